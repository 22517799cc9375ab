package keras

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/gokeras/keras/internal/kconfig"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/metrics"
	"github.com/gokeras/keras/optimizers"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// DefaultSeed is the seed of a model compiled without keras.Seed, so that
// runs are reproducible unless the program asks otherwise.
const DefaultSeed int64 = 1337

// Model is a graph of layer calls compiled onto Gorgonia graphs, trained
// with Fit and used with Evaluate and Predict, as Keras's keras.Model. A
// Sequential model is the one-chain case: its graph is made from its
// layers, in order, once the input shape is known. A functional model
// (NewModel) has its graph from the start. A Model is itself a
// layers.Layer, so a model can be a layer of another and shares its
// weights there.
type Model struct {
	name       string
	functional bool
	seqLayers  []layers.Layer // Sequential: the layers as added
	counts     map[string]int
	err        error // a construction mistake, reported on use
	frozen     bool

	// The graph: a functional model's from NewModel; a Sequential's made
	// by build.
	inputs, outputs []*Tensor
	calls           []*call
	graphLayers     []layers.Layer // distinct layers in call order, inputs first

	// Known once the input shape is.
	inShape  []int
	weights  []*layers.Weight
	owners   []string         // layer name of each weight
	drawn    []*layers.Weight // the weights this model drew
	dtype    tensor.Dtype
	seed     int64
	userSet  bool // weights came from SetWeights or training
	compiled bool

	opt       optimizers.Optimizer
	loss      losses.Loss
	sparse    bool
	metricSet []any
	metrics   []metrics.Metric
	rng       *rand.Rand // shuffling and dropout masks
	pcg       *rand.PCG  // rng's source, kept so Save can record its state

	// Compiled graphs, free to run, and their generation; mu guards them
	// and the lazy build. run is held by Fit (exclusive) and by Predict
	// and Evaluate (shared), so those two are safe for concurrent use;
	// evalMu serialises Evaluate, whose metrics are the model's.
	progs   map[progKey][]*program
	gen     int
	mu      sync.Mutex
	buildMu sync.Mutex // Predict's lazy build
	run     sync.RWMutex
	evalMu  sync.Mutex
	stop    bool
	lastLR  float64 // the rate of the last training step

	trainedSet []bool // which weights the compiled training graphs train
}

func newModel(name string) *Model {
	return &Model{name: name, counts: map[string]int{}, dtype: tensor.Float32, seed: DefaultSeed}
}

// Sequential returns a model made of the given layers, in order, as
// keras.Sequential([...]). The first may be keras.Input(shape...), and any
// may be a Model (its layers and weights shared).
func Sequential(ls ...layers.Layer) *Model {
	m := newModel("sequential")
	for _, l := range ls {
		m.Add(l)
	}
	return m
}

// Add appends a layer to a Sequential model, naming it after its class
// when it has no name ("dense", "dense_1", ...). The layers already
// there keep their weights, trained or not; the model's graph is made
// again on next use. Adding to a functional model, adding a tensor that
// is not a keras.Input, or a second layer of an existing name, is an
// error reported by the next call that uses the model.
func (m *Model) Add(l layers.Layer) {
	if l == nil {
		return
	}
	if t, ok := l.(*Tensor); ok {
		if t.InputLayer == nil || t.err != nil {
			m.fail(fmt.Errorf("keras: %s: only a keras.Input tensor can be a layer of a Sequential model", m.name))
			return
		}
		l = t.InputLayer
	}
	if m.functional {
		m.fail(fmt.Errorf("keras: %s: Add works on Sequential models only", m.name))
		return
	}
	if l.Name() == "" {
		l.SetName(m.uniqueName(layers.SnakeCase(l.ClassName())))
	}
	for _, o := range m.seqLayers {
		if o.Name() == l.Name() && o != l {
			m.fail(fmt.Errorf("keras: %s: layer name %q is used by two layers; names must be unique within a model", m.name, l.Name()))
			return
		}
	}
	m.seqLayers = append(m.seqLayers, l)
	m.reset()
}

func (m *Model) fail(err error) {
	if m.err == nil {
		m.err = err
	}
}

// Layers returns the model's layers: a Sequential model's as added, a
// functional model's in call order after its InputLayer.
func (m *Model) Layers() []layers.Layer {
	if m.functional {
		return slices.Clone(m.graphLayers)
	}
	return slices.Clone(m.seqLayers)
}

// SetName names the model ("sequential" and "functional" by default).
func (m *Model) SetName(name string) { m.name = name }

// Name returns the model's name.
func (m *Model) Name() string { return m.name }

// ClassName returns "Sequential" or "Functional".
func (m *Model) ClassName() string {
	if m.functional {
		return "Functional"
	}
	return "Sequential"
}

// InputShape returns the shape of one input sample, or nil while it is
// unknown.
func (m *Model) InputShape() []int {
	m.buildMu.Lock() // Predict may be building the model
	in := m.inShape
	m.buildMu.Unlock()
	if in != nil {
		return slices.Clone(in)
	}
	return m.declaredInput()
}

// OutputShape returns the shape of one output sample (Keras's
// model.output_shape without the batch axis), or nil while it is unknown
// (a Sequential model not yet built).
func (m *Model) OutputShape() []int {
	m.buildMu.Lock() // Predict may be building the model
	defer m.buildMu.Unlock()
	if len(m.outputs) == 0 {
		return nil
	}
	return slices.Clone(m.outputs[0].shape)
}

// Dtype returns the model's float type: tensor.Float32 unless Compile's
// DType, or the file it was loaded from, said float64.
func (m *Model) Dtype() tensor.Dtype { return m.dtype }

// Build builds the model for samples of shape in and returns the shape of
// one output sample, so that a model can be a layer of another.
func (m *Model) Build(in []int) ([]int, error) {
	if err := m.build(in); err != nil {
		return nil, err
	}
	return m.outShape(), nil
}

// Weights returns every weight once, in Keras's order, so that a model
// can be a layer of another.
func (m *Model) Weights() []*layers.Weight { return slices.Clone(m.weights) }

// Call adds the model's graph on x to ctx's graph, so that a model can
// be a layer of another.
func (m *Model) Call(ctx *layers.Context, x *G.Node) (out *G.Node, err error) {
	defer recoverTo(&err, m.name+" call")
	switch {
	case ctx == nil || x == nil:
		return nil, fmt.Errorf("keras: %s: Call needs a context and an input node", m.name)
	case m.inShape == nil:
		return nil, ErrNotBuilt
	}
	outs, masks, err := m.call(ctx, []*G.Node{x}, []*G.Node{ctx.Mask()})
	if err != nil {
		return nil, err
	}
	ctx.SetMask(masks[0])
	return outs[0], nil
}

// Config returns the model's Keras config, as a layer's: what Keras 3
// writes under "config" for a Sequential or Functional model (name,
// layers, ...).
func (m *Model) Config() map[string]any {
	fallback := map[string]any{"name": m.name}
	_ = m.ensureBuilt() // the InputLayer entry needs the shape; unbuilt is fine
	km, err := m.kerasConfig(false)
	if err != nil {
		return fallback
	}
	data, err := kconfig.Encode(km)
	if err != nil {
		return fallback
	}
	var v struct {
		Config map[string]any `json:"config"`
	}
	if json.Unmarshal(data, &v) != nil || v.Config == nil {
		return fallback
	}
	return v.Config
}

// Trainable reports whether the model's weights are trained (default
// true).
func (m *Model) Trainable() bool { return !m.frozen }

// SetTrainable freezes (false) or unfreezes the model and every layer in
// it, as setting Keras's model.trainable: Fit leaves frozen weights alone
// and Summary counts them as non-trainable.
func (m *Model) SetTrainable(b bool) {
	m.frozen = !b
	for _, l := range m.Layers() {
		l.SetTrainable(b)
	}
	m.dropPrograms()
}

func (m *Model) uniqueName(base string) string {
	n := m.counts[base]
	m.counts[base]++
	if n == 0 {
		return base
	}
	return fmt.Sprintf("%s_%d", base, n)
}

// reset forgets the built state after a change of architecture. The
// layers keep their weights.
func (m *Model) reset() {
	m.inShape, m.weights, m.owners = nil, nil, nil
	m.inputs, m.outputs, m.calls, m.graphLayers = nil, nil, nil, nil
	m.metrics = nil
	m.dropPrograms()
}

// declaredInput is the input shape given by the first layer, or nil.
func (m *Model) declaredInput() []int {
	if m.functional {
		return slices.Clone(m.inputs[0].shape)
	}
	if len(m.seqLayers) == 0 {
		return nil
	}
	return m.seqLayers[0].InputShape()
}

// build makes the model's graph for samples of shape in (a Sequential
// model's chain of calls), collects the weights and draws the ones not
// drawn yet. Building again with the same shape does nothing; another
// shape is an error naming the first layer.
func (m *Model) build(in []int) (err error) {
	defer recoverTo(&err, "build")
	if m.err != nil {
		return m.err
	}
	if m.inShape != nil {
		if !slices.Equal(in, m.inShape) {
			return fmt.Errorf("%s: expected input of shape %s, got %s", m.firstName(), shapeString(m.inShape), shapeString(in))
		}
		return nil
	}
	if d := m.declaredInput(); d != nil {
		if err := checkShape(d); err != nil {
			return fmt.Errorf("keras: %s: declared input shape: %w", m.firstName(), err)
		}
	}
	if d := m.declaredInput(); d != nil && !slices.Equal(d, in) {
		return fmt.Errorf("%s: expected input of shape %s, got %s", m.firstName(), shapeString(d), shapeString(in))
	}
	if err := checkShape(in); err != nil {
		return fmt.Errorf("keras: %s: input shape: %w", m.name, err)
	}
	if !m.functional {
		if err := m.chain(in); err != nil {
			return err
		}
	}
	m.inShape = slices.Clone(in)
	m.collectWeights()
	return m.drawWeights()
}

// chain makes a Sequential model's graph: each layer applied to the
// previous one's output.
func (m *Model) chain(in []int) error {
	if len(m.seqLayers) == 0 {
		return fmt.Errorf("keras: %s has no layers", m.name)
	}
	x := Input(in...)
	if x.err != nil {
		return x.err
	}
	x.InputLayer.SetName("input_layer")
	input := x
	for _, l := range m.seqLayers {
		if il, ok := l.(*layers.InputLayer); ok {
			if !slices.Equal(il.InputShape(), in) {
				return fmt.Errorf("%s: expected input of shape %s, got %s", il.Name(), shapeString(il.InputShape()), shapeString(in))
			}
			input.InputLayer = il
			continue
		}
		if x = Apply(l, x); x.err != nil {
			return x.err
		}
	}
	return m.setGraph([]*Tensor{input}, []*Tensor{x})
}

func (m *Model) firstName() string {
	if ls := m.Layers(); len(ls) > 0 {
		return ls[0].Name()
	}
	return m.name
}

// collectWeights lists every weight of the graph's layers once, in call
// order, with the layer that owns it.
func (m *Model) collectWeights() {
	m.weights, m.owners = nil, nil
	seen := map[*layers.Weight]bool{}
	for _, l := range m.graphLayers {
		var owners []string
		if sub, ok := l.(*Model); ok {
			owners = sub.owners
		}
		for i, w := range l.Weights() {
			if seen[w] {
				continue
			}
			seen[w] = true
			owner := l.Name()
			if i < len(owners) {
				owner = l.Name() + "/" + owners[i]
			}
			m.weights = append(m.weights, w)
			m.owners = append(m.owners, owner)
		}
	}
}

// trainable reports, for each weight, whether the optimizer trains it:
// not NonTrainable and every layer holding it trainable.
func (m *Model) trainable() []bool {
	frozen := map[*layers.Weight]bool{}
	var walk func(l layers.Layer, on bool)
	walk = func(l layers.Layer, on bool) {
		on = on && l.Trainable()
		if sub, ok := l.(*Model); ok {
			for _, s := range sub.graphLayers {
				walk(s, on)
			}
			return
		}
		for _, w := range l.Weights() {
			if !on || w.NonTrainable {
				frozen[w] = true
			}
		}
	}
	for _, l := range m.graphLayers {
		walk(l, !m.frozen)
	}
	out := make([]bool, len(m.weights))
	for i, w := range m.weights {
		out[i] = !frozen[w]
	}
	return out
}

// ensureBuilt builds the model from its declared input shape.
func (m *Model) ensureBuilt() error {
	if m.err != nil {
		return m.err
	}
	if m.inShape != nil {
		return nil
	}
	d := m.declaredInput()
	if d == nil {
		return ErrNotBuilt
	}
	return m.build(d)
}

// drawWeights draws, from the model's seed, every weight that has no
// value yet. The stream is separate from the one used for shuffling, so
// the initial weights depend only on the seed and the architecture;
// weights a layer already had (trained in another model, shared) are
// kept.
func (m *Model) drawWeights() error {
	rng := rand.New(rand.NewPCG(uint64(m.seed), 0x6b657261735f7769))
	total := 0
	for i, w := range m.weights {
		if w.Value != nil {
			continue
		}
		if err := checkShape(w.Shape); err != nil && len(w.Shape) > 0 {
			return fmt.Errorf("keras: weight %s/%s: %w", m.owners[i], w.Name, err)
		}
		if total += numel(w.Shape); total > MaxParams {
			return fmt.Errorf("keras: %s: more than %d weight values (at %s/%s %s); build smaller models", m.name, MaxParams, m.owners[i], w.Name, shapeString(w.Shape))
		}
	}
	for _, w := range m.weights {
		if w.Value != nil {
			if w.Value.Dtype() != m.dtype {
				// Set by the layer itself (Normalization's Adapt) in
				// another float type: the model's is the one that counts.
				w.Value = newDense(m.dtype, w.Shape, float64s(w.Value))
			}
			continue
		}
		vals := w.Initializer.Initialize(rng, w.Shape)
		w.Value = newDense(m.dtype, w.Shape, vals)
		m.drawn = append(m.drawn, w)
	}
	m.dropPrograms()
	return nil
}

// redraw draws the weights this model drew again, from the current seed.
func (m *Model) redraw() error {
	for _, w := range m.drawn {
		w.Value = nil
	}
	m.drawn = nil
	return m.drawWeights()
}

// newDense returns a tensor of dtype dt and the given shape holding vals.
func newDense(dt tensor.Dtype, shape []int, vals []float64) *tensor.Dense {
	if dt == tensor.Float64 {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(slices.Clone(vals)))
	}
	f := make([]float32, len(vals))
	for i, v := range vals {
		f[i] = float32(v)
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
}

// outShape is the shape of one output sample.
func (m *Model) outShape() []int { return m.outputs[0].shape }

// lastLayer is the layer that makes the output.
func (m *Model) lastLayer() layers.Layer {
	if c := m.outputs[0].call; c != nil {
		return c.layer
	}
	return m.inputs[0].InputLayer
}

// StopTraining asks Fit to stop after the current batch, as setting
// Keras's model.stop_training.
func (m *Model) StopTraining() { m.stop = true }

// LearningRate returns the optimizer's current learning rate, or 0 before
// Compile.
func (m *Model) LearningRate() float64 {
	if m.opt == nil {
		return 0
	}
	return m.opt.LearningRate()
}

// SetLearningRate sets the optimizer's learning rate.
func (m *Model) SetLearningRate(lr float64) error {
	if m.opt == nil {
		return ErrNotCompiled
	}
	m.opt.SetLearningRate(lr)
	return nil
}

// Iterations returns the number of optimizer steps taken, or 0 before
// Compile.
func (m *Model) Iterations() int64 {
	if m.opt == nil {
		return 0
	}
	return m.opt.Iterations()
}

// Optimizer returns the compiled optimizer, or nil.
func (m *Model) Optimizer() optimizers.Optimizer { return m.opt }

// Loss returns the compiled loss, or nil.
func (m *Model) Loss() losses.Loss { return m.loss }

// shapeString writes a sample shape as Keras does: (28, 28, 1), (784,).
func shapeString(s []int) string { return layers.ShapeString(s) }
