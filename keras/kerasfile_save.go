package keras

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gokeras/keras/internal/hdf5"
	"github.com/gokeras/keras/internal/kconfig"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// KerasVersion is the Keras 3 release whose .keras layout Save follows,
// recorded as keras_version in metadata.json.
const KerasVersion = "3.15.0"

// zipEpoch is the timestamp of every member Save writes, and the
// date_saved of its metadata.json, so that saving the same model twice
// gives the same bytes (Keras stamps metadata.json and config.json so,
// and the weights and date_saved with the time of writing).
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// kerasConfig describes m in Keras 3's vocabulary, for config.json and
// for the weights layout (kconfig.WeightPaths).
func (m *Model) kerasConfig(withCompile bool) (*kconfig.Model, error) {
	km := &kconfig.Model{Name: m.name, Trainable: !m.frozen, DType: dtypeName(m.dtype)}
	if m.functional {
		if err := m.functionalConfig(km); err != nil {
			return nil, err
		}
	} else {
		km.ClassName = kconfig.Sequential
		if len(m.seqLayers) == 0 {
			return nil, fmt.Errorf("keras: %s has no layers; there is nothing to save", m.name)
		}
		if m.inShape != nil {
			km.BuildInputShape = append([]int{-1}, m.inShape...)
		}
		for i, l := range m.seqLayers {
			if il, ok := l.(*layers.InputLayer); ok {
				// Kept as given: Keras 3 writes the InputLayer of a model
				// started with keras.Input, and rebuilds one from
				// build_input_shape otherwise.
				if i == 0 && m.inShape != nil {
					km.Layers = append(km.Layers, inputLayerConfig(il.Name(), m.inShape, m.dtype))
				}
				continue
			}
			kl, err := layerConfig(l, m.dtype)
			if err != nil {
				return nil, err
			}
			km.Layers = append(km.Layers, kl)
		}
	}
	if withCompile && m.compiled {
		km.CompileConfig = m.compileConfig()
	}
	return km, nil
}

// inputLayerConfig is the InputLayer entry Keras 3 writes for an input of
// sample shape in.
func inputLayerConfig(name string, in []int, dt tensor.Dtype) kconfig.Layer {
	bs := []any{nil}
	for _, d := range in {
		bs = append(bs, d)
	}
	return kconfig.Layer{ClassName: "InputLayer", Name: name, Config: map[string]any{
		"batch_shape": bs, "dtype": dtypeName(dt), "sparse": false, "name": name,
	}}
}

// layerConfig is one layer's entry: a nested model's config, or the
// layer's class and config with its build_config.
func layerConfig(l layers.Layer, dt tensor.Dtype) (kconfig.Layer, error) {
	if sub, ok := l.(*Model); ok {
		km, err := sub.kerasConfig(false)
		if err != nil {
			return kconfig.Layer{}, err
		}
		return kconfig.Layer{ClassName: km.ClassName, Name: sub.name, Model: km}, nil
	}
	cfg := l.Config()
	// Keras 3 layers take no input shape arguments (Keras 2's
	// batch_input_shape is an InputLayer of its own there).
	delete(cfg, "batch_input_shape")
	delete(cfg, "input_shape")
	cfg["name"] = l.Name()
	cfg["dtype"] = dtypeName(dt)
	kl := kconfig.Layer{ClassName: l.ClassName(), Name: l.Name(), Config: cfg}
	if in, ok := layers.Built(l); ok && len(in) == 1 {
		shape := []any{nil}
		for _, d := range in[0] {
			shape = append(shape, d)
		}
		kl.BuildConfig = map[string]any{"input_shape": shape}
	}
	return kl, nil
}

// functionalConfig fills km with a functional model's layers, their
// inbound nodes and the model's inputs and outputs.
func (m *Model) functionalConfig(km *kconfig.Model) error {
	km.ClassName = kconfig.Functional
	refs := map[*Tensor]kconfig.Ref{}
	index := map[string]int{}
	for _, in := range m.inputs {
		name := in.InputLayer.Name()
		index[name] = len(km.Layers)
		km.Layers = append(km.Layers, inputLayerConfig(name, in.shape, m.dtype))
		refs[in] = kconfig.Ref{Layer: name, Shape: append([]int{-1}, in.shape...), DType: dtypeName(m.dtype)}
	}
	nodes := map[string]int{}
	for _, c := range m.calls {
		name := c.layer.Name()
		i, ok := index[name]
		if !ok {
			kl, err := layerConfig(c.layer, m.dtype)
			if err != nil {
				return err
			}
			i = len(km.Layers)
			index[name] = i
			km.Layers = append(km.Layers, kl)
		}
		call := kconfig.Call{}
		if _, multi := c.layer.(layers.MultiInputLayer); multi {
			call.List = true
		}
		for _, t := range c.inputs {
			r, ok := refs[t]
			if !ok {
				return fmt.Errorf("keras: %s: a call of %s takes a tensor from outside the model", m.name, name)
			}
			call.Args = append(call.Args, r)
		}
		km.Layers[i].Inbound = append(km.Layers[i].Inbound, call)
		refs[c.output] = kconfig.Ref{Layer: name, Node: nodes[name], Shape: append([]int{-1}, c.output.shape...), DType: dtypeName(m.dtype)}
		nodes[name]++
	}
	for _, in := range m.inputs {
		r := refs[in]
		km.Inputs = append(km.Inputs, kconfig.Ref{Layer: r.Layer, Node: r.Node})
	}
	for _, o := range m.outputs {
		r, ok := refs[o]
		if !ok {
			return fmt.Errorf("keras: %s: an output is not made in the model", m.name)
		}
		km.Outputs = append(km.Outputs, kconfig.Ref{Layer: r.Layer, Node: r.Node})
	}
	return nil
}

// weightsH5 writes m's weights (and, with the optimizer, its state) in
// Keras 3's layout: layers/<snake_class>[_n]/vars/<i> as
// kconfig.WeightPaths names them, and optimizer/vars/<i>.
func (m *Model) weightsH5(km *kconfig.Model, withOptimizer bool) ([]byte, error) {
	groups, err := kconfig.WeightPaths(km)
	if err != nil {
		return nil, fmt.Errorf("keras: weights layout: %w", err)
	}
	type ours struct {
		w    *layers.Weight
		done bool
	}
	byOwner := map[string][]*ours{}
	var all []*ours
	for i, w := range m.weights {
		o := &ours{w: w}
		byOwner[m.owners[i]] = append(byOwner[m.owners[i]], o)
		all = append(all, o)
	}
	w := hdf5.NewWriter()
	built := m.inShape != nil
	for _, vg := range groups {
		g, err := w.Root().CreateGroup(vg.Path)
		if err != nil {
			return nil, err
		}
		name := m.name
		switch {
		case vg.Layer != "" && vg.Part == "":
			name = vg.Layer[strings.LastIndex(vg.Layer, "/")+1:]
		case vg.Part != "":
			name = kconfig.SnakeCase(vg.Class)
		}
		if err := g.SetAttr("name", name); err != nil {
			return nil, err
		}
		if vg.Layer == "" || !built {
			continue
		}
		mine := byOwner[vg.Layer]
		var part []string
		if vg.Part != "" {
			part = strings.Split(vg.Part, "/")
		}
		var picked []*ours
		if vg.Known {
			for _, v := range vg.Vars {
				key := varKey(append(append([]string(nil), part...), v))
				var found *ours
				for _, o := range mine {
					if !o.done && varKey(strings.Split(o.w.Name, "/")) == key {
						found = o
						break
					}
				}
				if found == nil {
					return nil, fmt.Errorf("keras: saving %s: layer %s has no weight for Keras's variable %s", vg.Path, vg.Layer, key)
				}
				picked = append(picked, found)
			}
		} else {
			for _, o := range mine {
				if !o.done {
					picked = append(picked, o)
				}
			}
		}
		for i, o := range picked {
			o.done = true
			if _, err := g.CreateDataset(fmt.Sprint(i), o.w.Shape, backing(o.w.Value)); err != nil {
				return nil, fmt.Errorf("keras: saving %s: %w", vg.Path, err)
			}
		}
	}
	for i, o := range all {
		if !o.done {
			return nil, fmt.Errorf("keras: saving: weight %s/%s has no place in Keras's layout", m.owners[i], o.w.Name)
		}
	}
	if withOptimizer && m.opt != nil {
		if err := m.writeOptimizer(w); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("keras: writing HDF5: %w", err)
	}
	return buf.Bytes(), nil
}

// backing returns a copy of a tensor's values in row-major order.
func backing(t *tensor.Dense) any {
	if t.RequiresIterator() {
		t = t.Materialize().(*tensor.Dense)
	}
	switch d := t.Data().(type) {
	case []float32:
		return append([]float32(nil), d...)
	case []float64:
		return append([]float64(nil), d...)
	case []int64:
		return append([]int64(nil), d...)
	case float32:
		return []float32{d}
	case float64:
		return []float64{d}
	}
	return nil
}

// optimizerLayout says where this library's optimizer variables sit in
// Keras 3's optimizer/vars: Keras writes the iteration count, the
// learning rate (unless it is a schedule), then the slots interleaved
// per model variable (Adam: momentum 0, velocity 0, momentum 1, ...),
// then slot kinds Keras creates in later loops, each for every variable,
// then shared state. Ours are the iteration count, then each slot kind
// for every variable, then shared state. keras[i] is the index in Keras's
// list of our variable i.
func optimizerLayout(opt optimizers.Optimizer, nParams, nOurs int) (keras []int, lrVar bool, total int, err error) {
	cfg := opt.Config()
	class := optimizers.ClassName(opt)
	_, sched := cfg["learning_rate"].(map[string]any)
	lrVar = !sched
	inter, after, known := kconfig.OptimizerSlots(class, cfg)
	if nOurs == 1 || nParams == 0 {
		inter, after = nil, nil
	} else if !known {
		k := (nOurs - 1) / nParams
		inter = make([]string, k)
	}
	kinds := len(inter) + len(after)
	shared := nOurs - 1 - kinds*nParams
	if shared < 0 {
		return nil, false, 0, fmt.Errorf("optimizer %s has %d variables, fewer than %d slots for %d parameters", opt.Name(), nOurs, kinds, nParams)
	}
	base := 1
	if lrVar {
		base = 2
	}
	keras = make([]int, nOurs)
	keras[0] = 0
	for k := range kinds {
		for p := range nParams {
			ours := 1 + k*nParams + p
			if k < len(inter) {
				keras[ours] = base + p*len(inter) + k
			} else {
				keras[ours] = base + len(inter)*nParams + (k-len(inter))*nParams + p
			}
		}
	}
	for s := range shared {
		keras[1+kinds*nParams+s] = base + kinds*nParams + s
	}
	return keras, lrVar, base + kinds*nParams + shared, nil
}

// writeOptimizer writes optimizer/vars in Keras's order.
func (m *Model) writeOptimizer(w *hdf5.Writer) error {
	vars := m.opt.Variables()
	g, err := w.Root().CreateGroup(kconfig.OptimizerPath)
	if err != nil {
		return err
	}
	if err := g.SetAttr("name", m.opt.Name()); err != nil {
		return err
	}
	nParams := len(m.trainedValues())
	pos, lrVar, _, err := optimizerLayout(m.opt, nParams, len(vars))
	if err != nil {
		return fmt.Errorf("keras: saving the optimizer: %w", err)
	}
	for i, v := range vars {
		shape := []int(v.Shape())
		if i == 0 {
			shape = nil // Keras's iterations is a scalar
		}
		if _, err := g.CreateDataset(fmt.Sprint(pos[i]), shape, backing(v)); err != nil {
			return fmt.Errorf("keras: saving optimizer variable %d: %w", i, err)
		}
	}
	if lrVar {
		if _, err := g.CreateDataset("1", nil, []float32{float32(m.opt.LearningRate())}); err != nil {
			return err
		}
	}
	return nil
}

// loadKeras3Optimizer restores the optimizer's state from a Keras 3
// weights file's optimizer/vars.
func (m *Model) loadKeras3Optimizer(f *hdf5.File) error {
	g, err := f.Root().Group(kconfig.OptimizerPath)
	if err != nil {
		return fileErr(kconfig.OptimizerPath, err)
	}
	dss, err := numberedVars(g, kconfig.OptimizerPath)
	if err != nil {
		return err
	}
	if len(dss) == 0 {
		return nil
	}
	it, err := dss[0].ReadInt64()
	if err != nil || len(it) != 1 || it[0] < 0 {
		return badFile("%s/0: the iteration count must be one non-negative integer (%v)", kconfig.OptimizerPath, err)
	}
	iters := tensor.New(tensor.WithShape(1), tensor.WithBacking(it))
	if m.inShape == nil {
		return badFile("optimizer variables in a model without weights")
	}
	params := m.trainedValues()
	if len(dss) <= 2 {
		// Compiled but never trained: the count (and the rate) only.
		return fileErr("optimizer "+m.opt.Name(), m.opt.SetVariables([]*tensor.Dense{iters}))
	}
	if err := m.opt.Build(params); err != nil {
		return fileErr("optimizer "+m.opt.Name(), err)
	}
	ours := m.opt.Variables()
	pos, lrVar, total, err := optimizerLayout(m.opt, len(params), len(ours))
	if err != nil {
		return badFile("%v", err)
	}
	base := 1
	if lrVar {
		base = 2
	}
	if len(dss) <= base {
		return fileErr("optimizer "+m.opt.Name(), m.opt.SetVariables([]*tensor.Dense{iters}))
	}
	if len(dss) != total {
		return badFile("%s holds %d variables; optimizer %s of %d parameters has %d", kconfig.OptimizerPath, len(dss), m.opt.Name(), len(params), total)
	}
	vals := make([]*tensor.Dense, len(ours))
	vals[0] = iters
	for i := 1; i < len(ours); i++ {
		ds := dss[pos[i]]
		want := []int(ours[i].Shape())
		if !sameShape(ds.Shape(), want) && !(len(ds.Shape()) == 0 && len(want) == 1 && want[0] == 1) {
			return badFile("%s/%d has shape %s, optimizer %s expects %s", kconfig.OptimizerPath, pos[i], shapeString(ds.Shape()), m.opt.Name(), shapeString(want))
		}
		t, err := fileVar{ds: ds}.read(ours[i].Dtype())
		if err != nil {
			return err
		}
		if err := t.Reshape(want...); err != nil {
			return badFile("%s/%d: %v", kconfig.OptimizerPath, pos[i], err)
		}
		vals[i] = t
	}
	if err := m.opt.SetVariables(vals); err != nil {
		return fileErr("optimizer "+m.opt.Name(), err)
	}
	return nil
}

// marshal returns the bytes of the model's .keras file.
func (m *Model) marshal() ([]byte, error) {
	if err := m.ensureBuilt(); err != nil && !errors.Is(err, ErrNotBuilt) {
		return nil, err
	}
	km, err := m.kerasConfig(true)
	if err != nil {
		return nil, err
	}
	cfg, err := kconfig.Encode(km)
	if err != nil {
		return nil, fmt.Errorf("keras: encoding config.json: %w", err)
	}
	st := trainingState{Seed: m.seed, WeightsSet: m.userSet}
	if m.pcg != nil {
		if st.RNG, err = m.pcg.MarshalBinary(); err != nil {
			return nil, fmt.Errorf("keras: saving the random source: %w", err)
		}
	}
	stJSON, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	weights, err := m.weightsH5(km, m.inShape != nil)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []struct {
		name string
		data []byte
	}{
		{kconfig.MetadataFile, kconfig.EncodeMetadata(kconfig.NewMetadata(KerasVersion, zipEpoch))},
		{kconfig.ConfigFile, cfg},
		{kconfig.WeightsFile, weights},
		{stateFile, stJSON},
	} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store, Modified: zipEpoch})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
