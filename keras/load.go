package keras

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// Size limits of the entries of a model file, so that a corrupt or
// hostile file cannot make LoadModel allocate without bound.
const (
	maxJSONEntry    = 64 << 20
	maxWeightsEntry = 1 << 36
)

// savedConfig is the part of the earlier format's config.json that
// loadGokerasV1 reads.
type savedConfig struct {
	ClassName string `json:"class_name"`
	Config    struct {
		Name   string `json:"name"`
		Dtype  string `json:"dtype"`
		Layers []struct {
			ClassName string         `json:"class_name"`
			Config    map[string]any `json:"config"`
		} `json:"layers"`
	} `json:"config"`
	BuildConfig *struct {
		InputShape []any `json:"input_shape"`
	} `json:"build_config"`
	CompileConfig *struct {
		Optimizer json.RawMessage `json:"optimizer"`
		Loss      json.RawMessage `json:"loss"`
		Metrics   []string        `json:"metrics"`
	} `json:"compile_config"`
}

// loadGokerasV1 rebuilds a model from the members of a file in this
// library's earlier format (weights in safetensors).
func loadGokerasV1(files map[string][]byte) (*Model, error) {
	if err := checkMetadata(files); err != nil {
		return nil, err
	}
	var cfg savedConfig
	if err := decodeEntry(files, configFile, &cfg); err != nil {
		return nil, err
	}
	var st trainingState
	if err := decodeEntry(files, stateFile, &st); err != nil {
		return nil, err
	}
	wdata, ok := files[weightsFile]
	if !ok {
		return nil, fmt.Errorf("%w: %s is missing", ErrBadFile, weightsFile)
	}
	_, ts, err := decodeSafetensors(wdata)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", weightsFile, err)
	}

	if cfg.ClassName != "Sequential" {
		return nil, fmt.Errorf("%w: model class %q is not supported (this library loads Sequential models)", ErrBadFile, cfg.ClassName)
	}
	m := Sequential()
	if cfg.Config.Name != "" {
		m.name = cfg.Config.Name
	}
	switch cfg.Config.Dtype {
	case "", "float32":
		m.dtype = tensor.Float32
	case "float64":
		m.dtype = tensor.Float64
	default:
		return nil, fmt.Errorf("%w: model dtype %q is not supported (float32 or float64)", ErrBadFile, cfg.Config.Dtype)
	}
	m.seed = st.Seed
	seen := map[string]bool{}
	for i, lc := range cfg.Config.Layers {
		l, err := layers.FromConfig(lc.ClassName, lc.Config)
		if err != nil {
			return nil, fmt.Errorf("%w: layer %d: %v", ErrBadFile, i, err)
		}
		if l.Name() != "" {
			if seen[l.Name()] {
				return nil, fmt.Errorf("%w: two layers are named %q", ErrBadFile, l.Name())
			}
			seen[l.Name()] = true
		}
		m.Add(l)
	}
	m.restoreCounts()

	if cfg.BuildConfig != nil && cfg.BuildConfig.InputShape != nil {
		in, err := buildShape(cfg.BuildConfig.InputShape)
		if err != nil {
			return nil, err
		}
		if err := m.checkWeightShapes(in, ts); err != nil {
			return nil, err
		}
		if err := m.build(in); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadFile, err)
		}
		if err := m.setWeightTensors(ts, true); err != nil {
			return nil, err
		}
		m.userSet = st.WeightsSet
	} else if len(ts) > 0 {
		return nil, fmt.Errorf("%w: the file holds weights but no build_config input_shape", ErrBadFile)
	}

	if cfg.CompileConfig != nil {
		if err := m.restoreCompile(cfg.CompileConfig.Optimizer, cfg.CompileConfig.Loss, cfg.CompileConfig.Metrics, ts); err != nil {
			return nil, err
		}
		if st.RNG != nil {
			if err := m.pcg.UnmarshalBinary(st.RNG); err != nil {
				return nil, fmt.Errorf("%w: %s rng_state: %v", ErrBadFile, stateFile, err)
			}
		}
	} else if hasOptimizerVars(ts) {
		return nil, fmt.Errorf("%w: the file holds optimizer variables but no compile_config", ErrBadFile)
	}
	return m, nil
}

// checkMetadata checks the format and version of the file.
func checkMetadata(files map[string][]byte) error {
	if _, ok := files[metadataFile]; !ok {
		return fmt.Errorf("%w: %s is missing (not a model file written by Save)", ErrBadFile, metadataFile)
	}
	var md metadata
	if err := decodeEntry(files, metadataFile, &md); err != nil {
		return err
	}
	if md.Format != formatName {
		if _, ok := files["model.weights.h5"]; ok {
			return fmt.Errorf("%w: this is a Keras .keras file with HDF5 weights; this library reads files written by Save (weights in %s)", ErrBadFile, weightsFile)
		}
		return fmt.Errorf("%w: format %q, want %q", ErrBadFile, md.Format, formatName)
	}
	if md.FormatVersion != formatVersion {
		return fmt.Errorf("%w: format_version %d is not supported (this library reads version %d)", ErrBadFile, md.FormatVersion, formatVersion)
	}
	return nil
}

// decodeEntry decodes a JSON entry of the file into v.
func decodeEntry(files map[string][]byte, name string, v any) error {
	b, ok := files[name]
	if !ok {
		return fmt.Errorf("%w: %s is missing", ErrBadFile, name)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrBadFile, name, err)
	}
	return nil
}

// buildShape reads build_config's input_shape, [null, d1, ...].
func buildShape(v []any) ([]int, error) {
	if len(v) < 2 {
		return nil, fmt.Errorf("%w: build_config input_shape %v needs a batch and at least one more dimension", ErrBadFile, v)
	}
	in := make([]int, len(v)-1)
	total := 1
	for i, x := range v[1:] {
		f, ok := x.(float64)
		if !ok || f != float64(int(f)) || f < 1 || f > 1<<31 {
			return nil, fmt.Errorf("%w: build_config input_shape %v: dimension %d must be a whole number in 1..%d", ErrBadFile, v, i+1, 1<<31)
		}
		in[i] = int(f)
		if total *= in[i]; total > 1<<31 {
			return nil, fmt.Errorf("%w: build_config input_shape %v is too large", ErrBadFile, v)
		}
	}
	return in, nil
}

// checkWeightShapes builds the layers for input shape in (declaring the
// weights without allocating them) and checks that the file holds every
// weight with its shape, so that nothing is allocated for a model the
// file cannot fill.
func (m *Model) checkWeightShapes(in []int, ts map[string]stTensor) error {
	if !m.functional {
		if err := m.chain(in); err != nil {
			return fmt.Errorf("%w: %v", ErrBadFile, err)
		}
	}
	m.collectWeights()
	for i, w := range m.weights {
		name := m.owners[i] + "/" + w.Name
		t, ok := ts[name]
		if !ok {
			return fmt.Errorf("%w: weight %s is missing (the file holds %s)", ErrBadFile, name, tensorNames(ts))
		}
		if !slices.Equal(t.shape, w.Shape) {
			return fmt.Errorf("%w: weight %s has shape %s in the file, the model expects %s", ErrBadFile, name, shapeString(t.shape), shapeString(w.Shape))
		}
	}
	return nil
}

// restoreCompile compiles the model from compile_config and restores the
// optimizer's variables.
func (m *Model) restoreCompile(optRaw, lossRaw json.RawMessage, metricNames []string, ts map[string]stTensor) error {
	var oc struct {
		ClassName string         `json:"class_name"`
		Config    map[string]any `json:"config"`
	}
	if err := json.Unmarshal(optRaw, &oc); err != nil {
		return fmt.Errorf("%w: compile_config optimizer: %v", ErrBadFile, err)
	}
	opt, err := optimizers.FromConfig(oc.ClassName, oc.Config)
	if err != nil {
		return fmt.Errorf("%w: compile_config optimizer: %v", ErrBadFile, err)
	}
	loss, err := lossFromJSON(lossRaw)
	if err != nil {
		return fmt.Errorf("%w: compile_config loss: %v", ErrBadFile, err)
	}
	if err := m.Compile(opt, loss, Metrics(anys(metricNames)...)); err != nil {
		return fmt.Errorf("%w: %v", ErrBadFile, err)
	}
	vars, err := optimizerVars(ts)
	if err != nil {
		return err
	}
	if len(vars) == 0 {
		return nil
	}
	if m.inShape == nil {
		return fmt.Errorf("%w: optimizer variables without weights", ErrBadFile)
	}
	if len(vars) > 1 {
		if err := opt.Build(m.trainedValues()); err != nil {
			return fmt.Errorf("%w: optimizer %s: %v", ErrBadFile, opt.Name(), err)
		}
	}
	if err := opt.SetVariables(vars); err != nil {
		return fmt.Errorf("%w: optimizer %s: %v", ErrBadFile, opt.Name(), err)
	}
	return nil
}

// lossFromJSON reads a loss saved as a name or as {"class_name", "config"}.
func lossFromJSON(raw json.RawMessage) (losses.Loss, error) {
	var name string
	if err := json.Unmarshal(raw, &name); err == nil {
		return losses.Get(name)
	}
	var lc struct {
		ClassName string         `json:"class_name"`
		Config    map[string]any `json:"config"`
	}
	if err := json.Unmarshal(raw, &lc); err != nil {
		return nil, err
	}
	return losses.FromConfig(lc.ClassName, lc.Config)
}

func hasOptimizerVars(ts map[string]stTensor) bool {
	for name := range ts {
		if strings.HasPrefix(name, optimizerPrefix) {
			return true
		}
	}
	return false
}

// optimizerVars collects optimizer/vars/0..n-1 in order.
func optimizerVars(ts map[string]stTensor) ([]*tensor.Dense, error) {
	byIndex := map[int]stTensor{}
	for name, t := range ts {
		rest, ok := strings.CutPrefix(name, optimizerPrefix)
		if !ok {
			continue
		}
		i, err := strconv.Atoi(rest)
		if err != nil || i < 0 || i >= len(ts) || strconv.Itoa(i) != rest {
			return nil, fmt.Errorf("%w: unexpected optimizer variable %q", ErrBadFile, name)
		}
		byIndex[i] = t
	}
	vars := make([]*tensor.Dense, len(byIndex))
	for i := range vars {
		t, ok := byIndex[i]
		if !ok {
			return nil, fmt.Errorf("%w: optimizer variable %s%d is missing", ErrBadFile, optimizerPrefix, i)
		}
		vars[i] = t.dense()
	}
	return vars, nil
}

// restoreCounts makes later unnamed layers get fresh names after loading
// ("dense_2" after "dense" and "dense_1").
func (m *Model) restoreCounts() {
	for _, l := range m.Layers() {
		base := layers.SnakeCase(l.ClassName())
		name := l.Name()
		n := 0
		if name == base {
			n = 1
		} else if rest, ok := strings.CutPrefix(name, base+"_"); ok {
			if k, err := strconv.Atoi(rest); err == nil && k >= 0 && k < 1<<30 {
				n = k + 1
			}
		}
		m.counts[base] = max(m.counts[base], n)
	}
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
