package keras

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/gokeras/keras/internal/kconfig"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/optimizers"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ModelFromJSON rebuilds a model from its architecture alone, as Keras's
// keras.models.model_from_json: a Keras 3 config.json, or a Keras 2 /
// tf.keras model.to_json() (the model_config of a legacy .h5 file). The
// weights are drawn from the model's seed; load trained ones with
// LoadWeights. Errors wrap ErrBadFile or ErrUnsupported as LoadModel's.
func ModelFromJSON(config []byte) (m *Model, err error) {
	defer recoverTo(&err, "ModelFromJSON")
	if len(config) > MaxConfigBytes {
		return nil, badFile("config of %d bytes is over the %d limit", len(config), MaxConfigBytes)
	}
	km, err := kconfig.Decode(config)
	if err != nil {
		return nil, fileErr("config", err)
	}
	era := 3
	if km.Module == "" && !strings.Contains(string(config), `"module"`) {
		era = 2 // Keras 2 and tf.keras never write "module"
	}
	return loadFromConfig(km, era, nil, nil, true)
}

// loadFromConfig builds the model km describes, fills its weights from
// src (nil: the file holds none), compiles it from its compile_config
// and restores the training state st (nil: none). lenient leaves the
// model uncompiled when the compile config names something not built
// here (legacy files, as Keras warns and goes on).
func loadFromConfig(km *kconfig.Model, era int, src weightSource, st *trainingState, lenient bool) (*Model, error) {
	ld := &loader{era: era, src: src, used: map[string]bool{}}
	if st != nil {
		ld.seed = st.Seed
	}
	m, err := ld.model(km, "", "config")
	if err != nil {
		return nil, err
	}
	if src != nil {
		for _, p := range src.paths() {
			if !ld.used[p] {
				return nil, badFile("the weights file holds variables for %q, which the model does not have", p)
			}
		}
	}
	if km.CompileConfig != nil {
		if err := m.compileFromConfig(km.CompileConfig); err != nil {
			if !lenient {
				return nil, err
			}
		}
	}
	m.userSet = len(ld.used) > 0
	if st != nil {
		m.userSet = st.WeightsSet
		if st.RNG != nil && m.pcg != nil {
			if err := m.pcg.UnmarshalBinary(st.RNG); err != nil {
				return nil, badFile("%s rng_state: %v", stateFile, err)
			}
		}
	}
	return m, nil
}

// loader carries what building a model from a file needs.
type loader struct {
	era    int
	src    weightSource
	used   map[string]bool // layer paths whose variables were taken
	seed   int64
	unheld int64 // values drawn because the file does not hold them
	depth  int

	// A dry run builds the layers' shapes only, to count the values the
	// architecture declares (declared) before any weights are read.
	dry      bool
	declared int64
}

// declaredValues counts the weight values km's architecture declares,
// without allocating any.
func declaredValues(km *kconfig.Model, era int) (int64, error) {
	ld := &loader{era: era, used: map[string]bool{}, dry: true}
	if _, err := ld.model(km, "", "config"); err != nil {
		return 0, err
	}
	return ld.declared, nil
}

// shapeStub stands for a nested model in a dry run: it has the model's
// output shape and no weights, so the parent's chain builds without
// drawing the nested model's weights.
type shapeStub struct {
	layers.Base
	out []int
}

func (s *shapeStub) ClassName() string             { return "Model" }
func (s *shapeStub) Build(in []int) ([]int, error) { return slices.Clone(s.out), nil }
func (s *shapeStub) Config() map[string]any        { return map[string]any{"name": s.Name()} }
func (s *shapeStub) Call(*layers.Context, *G.Node) (*G.Node, error) {
	return nil, fmt.Errorf("%s: a placeholder of a dry run is never called", s.Name())
}

// maxNesting bounds how deep models nest in a file.
const maxNesting = 32

// model builds the model km describes; prefix is its layers' path in
// the weights file ("" at the top, "encoder/" for a nested model), at
// the config's JSON path where.
func (ld *loader) model(km *kconfig.Model, prefix, where string) (*Model, error) {
	if ld.depth++; ld.depth > maxNesting {
		return nil, badFile("%s: models nested more than %d deep", where, maxNesting)
	}
	defer func() { ld.depth-- }()
	var m *Model
	var in []int
	var err error
	switch km.ClassName {
	case kconfig.Sequential:
		m, in, err = ld.sequential(km, prefix, where)
	case kconfig.Functional:
		m, err = ld.functional(km, prefix, where)
	default:
		reg := ""
		if km.RegisteredName != "" {
			reg = fmt.Sprintf(" (registered_name %q)", km.RegisteredName)
		}
		return nil, unsupported("%s: subclassed model class %q%s: its forward pass is Python code; only Sequential and Functional models load", where, km.ClassName, reg)
	}
	if err != nil {
		return nil, err
	}
	if km.Name != "" {
		m.name = km.Name
	}
	m.seed = ld.seed
	if !m.functional && in == nil {
		// The input shape is not known: nothing is built yet, so the
		// file can hold no weights and the sizes the config asks for
		// are checked against the ceiling.
		for _, l := range m.seqLayers {
			if err := checkConfigSizes(l); err != nil {
				return nil, err
			}
		}
		if ld.src != nil && ld.src.holds(prefix) {
			return nil, badFile("%s: the file holds weights but the model's input shape is not recorded (no InputLayer or build_input_shape)", where)
		}
		return m, nil
	}
	if !m.functional {
		if err := m.chain(in); err != nil {
			return nil, fileErr(where, err)
		}
	} else {
		in = m.inputs[0].shape
	}
	m.collectWeights()
	if ld.dry {
		for _, w := range m.weights {
			ld.declared = satAdd(ld.declared, numValues(w.Shape))
		}
		return m, nil
	}
	if err := ld.fill(m, prefix); err != nil {
		return nil, err
	}
	if err := m.build(in); err != nil {
		return nil, fileErr(where, err)
	}
	return m, nil
}

// dtypeOf reads a dtype policy name.
func dtypeOf(name, where string) (tensor.Dtype, error) {
	switch name {
	case "", "float32":
		return tensor.Float32, nil
	case "float64":
		return tensor.Float64, nil
	}
	return tensor.Float32, unsupported("%s: dtype %q (this library computes in float32 or float64)", where, name)
}

// sequential builds a Sequential model's layers and returns its input
// shape (nil when the file does not record it).
func (ld *loader) sequential(km *kconfig.Model, prefix, where string) (*Model, []int, error) {
	m := Sequential()
	dt, err := dtypeOf(km.DType, where+".config.dtype")
	if err != nil {
		return nil, nil, err
	}
	m.dtype = dt
	var in []int
	if km.BuildInputShape != nil {
		if in, err = sampleShape(km.BuildInputShape, where+" input shape"); err != nil {
			return nil, nil, err
		}
	}
	for i := range km.Layers {
		kl := &km.Layers[i]
		if kl.ClassName == "InputLayer" {
			if i != 0 {
				return nil, nil, badFile("%s: an InputLayer that is not the first layer of a Sequential model", kl.Path)
			}
			shape, err := inputLayerShape(kl)
			if err != nil {
				return nil, nil, err
			}
			if in != nil && !slices.Equal(in, shape) {
				return nil, nil, badFile("%s: input shape %s, the model's build shape %s", kl.Path, shapeString(shape), shapeString(in))
			}
			in = shape
			t := Input(shape...)
			t.InputLayer.SetName(kl.Name)
			m.Add(t)
			continue
		}
		l, err := ld.layer(kl, prefix)
		if err != nil {
			return nil, nil, err
		}
		m.Add(l)
		if m.err != nil {
			return nil, nil, badFile("%s: %v", kl.Path, m.err)
		}
	}
	if len(m.seqLayers) == 0 {
		return nil, nil, badFile("%s: a Sequential model without layers", where)
	}
	m.restoreCounts()
	return m, in, nil
}

// sampleShape drops the batch dimension of a Keras shape and checks the
// rest: every dimension known and positive (graphs here have fixed
// shapes), the size within maxValues.
func sampleShape(s []int, where string) ([]int, error) {
	if len(s) < 2 {
		return nil, badFile("%s %v: want a batch dimension and at least one more", where, s)
	}
	in := slices.Clone(s[1:])
	for i, d := range in {
		if d < 0 {
			return nil, unsupported("%s %s: dimension %d is None (variable); models here have fixed sample shapes", where, shapeString(in), i+1)
		}
	}
	if err := checkShape(in); err != nil {
		return nil, badFile("%s: %v", where, err)
	}
	return in, nil
}

// functional builds a Functional model's graph from its layers' inbound
// nodes, with keras.Input, Apply and NewModel.
func (ld *loader) functional(km *kconfig.Model, prefix, where string) (*Model, error) {
	dt, err := dtypeOf(km.DType, where+".config.dtype")
	if err != nil {
		return nil, err
	}
	if len(km.Inputs) != 1 || len(km.Outputs) != 1 {
		return nil, unsupported("%s: a Functional model of %d inputs and %d outputs (this library builds models of one input and one output)", where, len(km.Inputs), len(km.Outputs))
	}
	type pending struct {
		kl    *kconfig.Layer
		layer layers.Layer
	}
	nodes := map[string][]*Tensor{} // each layer's outputs, by node index
	var todo []pending
	for i := range km.Layers {
		kl := &km.Layers[i]
		if kl.ClassName == "InputLayer" {
			shape, err := inputLayerShape(kl)
			if err != nil {
				return nil, err
			}
			t := Input(shape...)
			if t.err != nil {
				return nil, badFile("%s: %v", kl.Path, t.err)
			}
			t.InputLayer.SetName(kl.Name)
			nodes[kl.Name] = []*Tensor{t}
			continue
		}
		l, err := ld.layer(kl, prefix)
		if err != nil {
			return nil, err
		}
		todo = append(todo, pending{kl, l})
	}
	// Calls are made in the order their inputs become available, as
	// Keras's functional_from_config processes its node queue.
	done := make([]int, len(todo)) // calls made per layer
	for progress := true; progress; {
		progress = false
		for i, p := range todo {
			for done[i] < len(p.kl.Inbound) {
				c := p.kl.Inbound[done[i]]
				args := make([]*Tensor, len(c.Args))
				ready := true
				for j, r := range c.Args {
					outs := nodes[r.Layer]
					if r.Node < 0 || r.Node >= len(outs) || r.Tensor != 0 {
						ready = false
						break
					}
					args[j] = outs[r.Node]
				}
				if !ready {
					break
				}
				t := Apply(p.layer, args...)
				if t.err != nil {
					return nil, fileErr(p.kl.Path, t.err)
				}
				nodes[p.kl.Name] = append(nodes[p.kl.Name], t)
				done[i]++
				progress = true
			}
		}
	}
	for i, p := range todo {
		if done[i] < len(p.kl.Inbound) {
			c := p.kl.Inbound[done[i]]
			return nil, badFile("%s.inbound_nodes[%d]: its inputs %v never become available (a missing layer, node or multi-output tensor)", p.kl.Path, done[i], c.Args)
		}
	}
	find := func(r kconfig.Ref, what string) (*Tensor, error) {
		outs := nodes[r.Layer]
		if r.Node < 0 || r.Node >= len(outs) || r.Tensor != 0 {
			return nil, badFile("%s.config.%s: tensor %s[%d][%d] is not in the model", where, what, r.Layer, r.Node, r.Tensor)
		}
		return outs[r.Node], nil
	}
	x, err := find(km.Inputs[0], "input_layers")
	if err != nil {
		return nil, err
	}
	y, err := find(km.Outputs[0], "output_layers")
	if err != nil {
		return nil, err
	}
	m, err := NewModel([]*Tensor{x}, []*Tensor{y})
	if err != nil {
		return nil, fileErr(where, err)
	}
	m.dtype = dt
	m.restoreCounts()
	return m, nil
}

// inputLayerShape reads an InputLayer's batch_shape.
func inputLayerShape(kl *kconfig.Layer) ([]int, error) {
	s, err := kl.Ints("batch_shape")
	if err != nil {
		return nil, fileErr("", err)
	}
	if s == nil {
		if s, err = kl.Ints("batch_input_shape"); err != nil {
			return nil, fileErr("", err)
		}
	}
	if s == nil {
		return nil, badFile("%s: InputLayer without batch_shape", kl.Path)
	}
	if dt, _ := kl.String("dtype", ""); dt != "" && dt != "float32" && dt != "float64" {
		return nil, unsupported("%s.config.dtype: input dtype %q (this library feeds float32 or float64)", kl.Path, dt)
	}
	if sp, _ := kl.Bool("sparse", false); sp {
		return nil, unsupported("%s.config.sparse: sparse inputs", kl.Path)
	}
	return sampleShape(s, kl.Path+".config.batch_shape")
}

// layer rebuilds one layer: a nested model, or a layer through
// layers.FromConfig with its config mapped to this library's reading.
func (ld *loader) layer(kl *kconfig.Layer, prefix string) (layers.Layer, error) {
	if kl.Model != nil {
		sub, err := ld.model(kl.Model, prefix+kl.Name+"/", kl.Path)
		if err != nil {
			return nil, err
		}
		if ld.dry && sub.outputs != nil {
			return &shapeStub{Base: layers.NewBase(kl.Name), out: sub.outShape()}, nil
		}
		if sub.inShape == nil {
			return nil, unsupported("%s: nested model %q without an input shape", kl.Path, kl.Name)
		}
		sub.name = kl.Name
		return sub, nil
	}
	if kl.Module != "" && !strings.HasPrefix(kl.Module, "keras") {
		return nil, unsupported("%s: custom layer %q from module %q (register it with layers.Register under its class name)", kl.Path, kl.ClassName, kl.Module)
	}
	cfg := ld.mapConfig(kl.ClassName, kl.Config)
	l, err := layers.FromConfig(kl.ClassName, cfg)
	if err != nil {
		return nil, fileErr(kl.Path, err)
	}
	if l.Name() == "" {
		l.SetName(kl.Name)
	}
	return l, nil
}

// mapConfig adapts a decoded layer config to this library's FromConfig:
// Keras 2's hard_sigmoid is clip(0.2x+0.5, 0, 1) (Keras 3's is
// relu6(x+3)/6), Keras 2 GRUs written before reset_after existed computed
// with reset_after false, and initializers that are Python functions
// are dropped (the weights come from the file).
func (ld *loader) mapConfig(class string, cfg map[string]any) map[string]any {
	if cfg == nil {
		return nil
	}
	out := maps.Clone(cfg)
	for k, v := range out {
		switch x := v.(type) {
		case string:
			if ld.era < 3 && x == "hard_sigmoid" && (k == "activation" || k == "recurrent_activation") {
				out[k] = "hard_sigmoid_keras2"
			}
		case map[string]any:
			if strings.HasSuffix(k, "_initializer") {
				if c, _ := x["class_name"].(string); c == "function" || c == "" {
					delete(out, k)
				}
				continue
			}
			if inner, ok := x["config"].(map[string]any); ok && (k == "layer" || k == "backward_layer") {
				c, _ := x["class_name"].(string)
				out[k] = map[string]any{"class_name": c, "config": ld.mapConfig(c, inner)}
			}
		}
	}
	if class == "GRU" && ld.era < 3 {
		if _, ok := out["reset_after"]; !ok {
			out["reset_after"] = false
		}
	}
	return out
}

// checkConfigSizes bounds the sizes a layer of a model whose input shape
// is unknown asks for.
func checkConfigSizes(l layers.Layer) error {
	cfg := l.Config()
	for _, k := range []string{"units", "filters", "input_dim", "output_dim"} {
		if f, ok := toFloat(cfg[k]); ok && f > MaxConfigSize {
			return badFile("%s: %s %v is over the %d that a file without weights may ask for", layers.LayerName(l), k, f, MaxConfigSize)
		}
	}
	return nil
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// fill sets every weight of m that has no value yet from the file (the
// layers at prefix+owner), and counts the ones the file does not hold
// against MaxUnheldValues, before anything is allocated.
func (ld *loader) fill(m *Model, prefix string) error {
	byOwner := map[string][]int{}
	var owners []string
	for i, w := range m.weights {
		if w.Value != nil {
			continue // a nested model's, filled already, or shared
		}
		o := m.owners[i]
		if byOwner[o] == nil {
			owners = append(owners, o)
		}
		byOwner[o] = append(byOwner[o], i)
	}
	type job struct {
		w    *layers.Weight
		read func(dt tensor.Dtype) (*tensor.Dense, error)
	}
	var jobs []job
	for _, o := range owners {
		idx := byOwner[o]
		path := prefix + o
		var vars []fileVar
		if ld.src != nil {
			var err error
			if vars, err = ld.src.layer(path); err != nil {
				return err
			}
			if len(vars) > 0 {
				ld.used[path] = true
			}
		}
		if len(vars) == 0 {
			for _, i := range idx {
				ld.unheld = satAdd(ld.unheld, numValues(m.weights[i].Shape))
			}
			if ld.unheld > MaxUnheldValues {
				return badFile("layer %s: the file does not hold its weights, and drawing them would make %d values, over the %d ceiling", path, ld.unheld, MaxUnheldValues)
			}
			continue
		}
		ws := make([]*layers.Weight, len(idx))
		for j, i := range idx {
			ws[j] = m.weights[i]
		}
		picked, err := matchVars(path, ws, vars)
		if err != nil {
			return err
		}
		for j, w := range ws {
			fv := picked[j]
			if !sameShape(fv.shape(), w.Shape) {
				return badFile("weight %s/%s has shape %s in the file, the model expects %s", path, w.Name, shapeString(fv.shape()), shapeString(w.Shape))
			}
			jobs = append(jobs, job{w, fv.read})
		}
	}
	// Every shape checked: now read.
	vals := make([]*tensor.Dense, len(jobs))
	for i, j := range jobs {
		t, err := j.read(m.dtype)
		if err != nil {
			return err
		}
		vals[i] = t
	}
	for i, j := range jobs {
		j.w.Value = vals[i]
	}
	return nil
}

func sameShape(a, b []int) bool {
	return len(a) == len(b) && (len(a) == 0 || slices.Equal(a, b))
}

func numValues(shape []int) int64 {
	n := int64(1)
	for _, d := range shape {
		if d <= 0 {
			return 0
		}
		if n > math.MaxInt64/int64(d) {
			return math.MaxInt64
		}
		n *= int64(d)
	}
	return n
}

func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// varKey normalizes a variable's path within its layer so that Keras 3
// groups ("forward_layer/cell" + "kernel"), legacy weight names
// ("forward_lstm/lstm_cell/kernel") and this library's weight names
// ("forward_lstm/kernel") compare equal: cells and wrapped "layer"
// segments drop out, forward_*/backward_* become forward/backward.
func varKey(segs []string) string {
	var out []string
	for i, s := range segs {
		last := i == len(segs)-1
		switch {
		case last:
			out = append(out, s)
		case s == "cell" || s == "layer" || strings.HasSuffix(s, "_cell"):
		case strings.HasPrefix(s, "forward_"):
			out = append(out, "forward")
		case strings.HasPrefix(s, "backward_"):
			out = append(out, "backward")
		default:
			out = append(out, s)
		}
	}
	return strings.Join(out, "/")
}

// matchVars pairs a layer's weights with the file's variables: by
// normalized name when every name is found, else in order (Keras 2
// files of renamed layers; classes whose variable names the file does
// not give).
func matchVars(path string, ws []*layers.Weight, vars []fileVar) ([]fileVar, error) {
	if len(vars) != len(ws) {
		names := make([]string, len(ws))
		for i, w := range ws {
			names[i] = w.Name
		}
		keys := make([]string, len(vars))
		for i, v := range vars {
			keys[i] = v.key
		}
		return nil, badFile("layer %s: the file holds %d variables (%s), the model's layer has %d (%s)", path, len(vars), strings.Join(keys, ", "), len(ws), strings.Join(names, ", "))
	}
	byKey := map[string]int{}
	for i, v := range vars {
		byKey[v.key] = i
	}
	out := make([]fileVar, len(ws))
	taken := map[int]bool{}
	for i, w := range ws {
		j, ok := byKey[varKey(strings.Split(w.Name, "/"))]
		if !ok || taken[j] {
			return vars, nil
		}
		taken[j] = true
		out[i] = vars[j]
	}
	return out, nil
}

// compileFromConfig compiles the model from a Keras compile_config
// (optimizer, loss and metrics, each a name or a {"class_name",
// "config"} object).
func (m *Model) compileFromConfig(cc map[string]any) error {
	var opt optimizers.Optimizer
	var err error
	switch o := cc["optimizer"].(type) {
	case string:
		opt, err = optimizers.Get(o)
	case map[string]any:
		class, _ := o["class_name"].(string)
		cfg, _ := o["config"].(map[string]any)
		opt, err = optimizers.FromConfig(class, cleanOptimizerConfig(cfg))
	default:
		err = fmt.Errorf("want a name or an optimizer object, got %T", cc["optimizer"])
	}
	if err != nil {
		return fileErr("compile_config.optimizer", err)
	}
	raw, err := json.Marshal(cc["loss"])
	if err != nil {
		return badFile("compile_config.loss: %v", err)
	}
	loss, err := lossFromJSON(raw)
	if err != nil {
		return fileErr("compile_config.loss", err)
	}
	var ms []any
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			ms = append(ms, x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			if cfg, ok := x["config"].(map[string]any); ok {
				if n, ok := cfg["name"].(string); ok {
					ms = append(ms, n)
					return
				}
			}
			if c, ok := x["class_name"].(string); ok {
				ms = append(ms, layers.SnakeCase(c))
			}
		}
	}
	walk(cc["metrics"])
	if err := m.Compile(opt, loss, Metrics(ms...)); err != nil {
		return fileErr("compile_config", err)
	}
	return nil
}

// cleanOptimizerConfig drops the Keras 3 optimizer settings that hold
// their default, "do nothing" value (no EMA, no loss scaling, no
// gradient accumulation), which this library's optimizers do not take.
func cleanOptimizerConfig(cfg map[string]any) map[string]any {
	if cfg == nil {
		return nil
	}
	out := maps.Clone(cfg)
	for k, v := range out {
		switch k {
		case "use_ema", "jit_compile", "is_legacy_optimizer":
			if b, ok := v.(bool); ok && !b {
				delete(out, k)
			}
		case "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps", "decay":
			if v == nil || k == "ema_momentum" || (k == "decay" && v == 0.0) {
				delete(out, k)
			}
		}
	}
	return out
}
