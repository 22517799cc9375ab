package keras

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/metrics"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// The model file is a zip archive laid out as Keras 3's ".keras" file,
// with the weights in safetensors instead of HDF5:
//
//	metadata.json              {"format": "gokeras", "format_version": 1, ...}
//	config.json                Keras's model config: class_name "Sequential",
//	                           every layer's class_name and config,
//	                           build_config and compile_config
//	training_state.json        seed and state of the model's random source
//	model.weights.safetensors  the weights ("dense_1/kernel") and the
//	                           optimizer's variables ("optimizer/vars/0" is
//	                           the iteration count, then its slots)
const (
	formatName      = "gokeras"
	formatVersion   = 1
	metadataFile    = "metadata.json"
	configFile      = "config.json"
	stateFile       = "training_state.json"
	weightsFile     = "model.weights.safetensors"
	optimizerPrefix = "optimizer/vars/"
)

// metadata is metadata.json.
type metadata struct {
	Format        string `json:"format"`
	FormatVersion int    `json:"format_version"`
	KerasVersion  string `json:"keras_version"`
}

// trainingState is training_state.json: what Fit needs, besides the
// weights and the optimizer's variables, to go on exactly where it
// stopped.
type trainingState struct {
	Seed       int64  `json:"seed"`
	RNG        []byte `json:"rng_state,omitempty"` // math/rand/v2 PCG state
	WeightsSet bool   `json:"weights_set"`
}

// Save writes the whole model to one file at path, as Keras's
// model.save("model.keras"): its architecture as Keras-style JSON, the
// compile settings (optimizer with its config, loss, metrics), the
// weights, the optimizer's state and the model's random source, so that
// LoadModel gives a model that predicts the same numbers bit for bit and
// whose Fit (with InitialEpoch) resumes the training exactly. The file is
// written to a temporary name in the same directory, synced and renamed
// into place, so a crash never destroys the previous file at path.
func (m *Model) Save(path string) (err error) {
	defer recoverTo(&err, "Save")
	data, err := m.marshal()
	if err != nil {
		return err
	}
	return writeFile(path, data)
}

// marshal returns the bytes of the model file.
func (m *Model) marshal() ([]byte, error) {
	if err := m.ensureBuilt(); err != nil && err != ErrNotBuilt {
		return nil, err
	}
	cfg, err := m.modelConfig()
	if err != nil {
		return nil, err
	}
	st := trainingState{Seed: m.seed, WeightsSet: m.userSet}
	if m.pcg != nil {
		if st.RNG, err = m.pcg.MarshalBinary(); err != nil {
			return nil, fmt.Errorf("keras: saving the random source: %w", err)
		}
	}
	var order []string
	ts := map[string]stTensor{}
	if m.inShape != nil {
		if order, ts, err = m.weightTensors(); err != nil {
			return nil, err
		}
	}
	if m.opt != nil {
		for i, v := range m.opt.Variables() {
			name := fmt.Sprintf("%s%d", optimizerPrefix, i)
			t, err := toSTTensor(v)
			if err != nil {
				return nil, fmt.Errorf("keras: optimizer variable %d: %w", i, err)
			}
			order, ts[name] = append(order, name), t
		}
	}
	weights, err := encodeSafetensors(order, ts, map[string]string{
		"producer": formatName, "format_version": fmt.Sprint(formatVersion),
	})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	entries := []struct {
		name string
		v    any
		raw  []byte
	}{
		{name: metadataFile, v: metadata{Format: formatName, FormatVersion: formatVersion, KerasVersion: "3 (gokeras)"}},
		{name: configFile, v: cfg},
		{name: stateFile, v: st},
		{name: weightsFile, raw: weights},
	}
	for _, e := range entries {
		data, method := e.raw, zip.Store
		if e.v != nil {
			if data, err = json.MarshalIndent(e.v, "", "  "); err != nil {
				return nil, fmt.Errorf("keras: encoding %s: %w", e.name, err)
			}
			method = zip.Deflate
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: method})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// modelConfig is Keras's serialized Sequential model, with its
// build_config and compile_config.
func (m *Model) modelConfig() (map[string]any, error) {
	mls := m.Layers()
	ls := make([]any, len(mls))
	for i, l := range mls {
		ls[i] = map[string]any{
			"module":          "keras.layers",
			"class_name":      l.ClassName(),
			"config":          l.Config(),
			"registered_name": nil,
		}
	}
	cfg := map[string]any{
		"module":     "keras",
		"class_name": "Sequential",
		"config": map[string]any{
			"name":      m.name,
			"trainable": true,
			"dtype":     dtypeName(m.dtype),
			"layers":    ls,
		},
		"registered_name": nil,
	}
	if m.inShape != nil {
		cfg["build_config"] = map[string]any{"input_shape": append([]any{nil}, intsAny(m.inShape)...)}
	}
	if m.compiled {
		cfg["compile_config"] = map[string]any{
			"optimizer": map[string]any{
				"module":          "keras.optimizers",
				"class_name":      optimizers.ClassName(m.opt),
				"config":          m.opt.Config(),
				"registered_name": nil,
			},
			"loss": map[string]any{
				"module":          "keras.losses",
				"class_name":      lossClassName(m.loss),
				"config":          m.loss.Config(),
				"registered_name": nil,
			},
			"metrics":             m.metricNames(),
			"loss_weights":        nil,
			"weighted_metrics":    nil,
			"run_eagerly":         false,
			"steps_per_execution": 1,
			"jit_compile":         false,
		}
	}
	return cfg, nil
}

// lossClassName is Keras's class name of a loss ("MeanSquaredError")
// when the losses registry knows it, else the loss's own name.
func lossClassName(l losses.Loss) string {
	parts := strings.Split(l.Name(), "_")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	if c := strings.Join(parts, ""); c != l.Name() {
		if _, err := losses.FromConfig(c, nil); err == nil {
			return c
		}
	}
	return l.Name()
}

func dtypeName(dt tensor.Dtype) string {
	if dt == tensor.Float64 {
		return "float64"
	}
	return "float32"
}

func intsAny(v []int) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// metricNames lists the compiled metrics by name: as given, or the
// metric's own name for a metric value.
func (m *Model) metricNames() []string {
	names := make([]string, 0, len(m.metricSet))
	for _, v := range m.metricSet {
		switch x := v.(type) {
		case string:
			names = append(names, x)
		case metrics.Metric:
			names = append(names, x.Name())
		}
	}
	return names
}
