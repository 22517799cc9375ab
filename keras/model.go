package keras

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/metrics"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// DefaultSeed is the seed of a model compiled without keras.Seed, so that
// runs are reproducible unless the program asks otherwise.
const DefaultSeed int64 = 1337

// Model is a Sequential model: a stack of layers compiled onto Gorgonia
// graphs, trained with Fit and used with Evaluate and Predict, as Keras's
// keras.Sequential.
type Model struct {
	name   string
	layers []layers.Layer
	counts map[string]int

	// Known once the input shape is: each layer's output shape.
	inShape  []int
	shapes   [][]int
	weights  []*layers.Weight
	owners   []string // layer name of each weight
	dtype    tensor.Dtype
	seed     int64
	userSet  bool // weights came from SetWeights or training
	compiled bool

	opt       optimizers.Optimizer
	loss      losses.Loss
	sparse    bool
	metricSet []string
	metrics   []metrics.Metric
	rng       *rand.Rand // shuffling and dropout masks
	pcg       *rand.PCG  // rng's source, kept so Save can record its state

	progs map[progKey]*program
	stop  bool
}

// Sequential returns a model made of the given layers, in order, as
// keras.Sequential([...]).
func Sequential(ls ...layers.Layer) *Model {
	m := &Model{name: "sequential", counts: map[string]int{}, dtype: tensor.Float32, seed: DefaultSeed}
	for _, l := range ls {
		m.Add(l)
	}
	return m
}

// Input returns an input layer for samples of the given shape (without the
// batch dimension), as keras.Input(shape=...). Put it first in Sequential.
func Input(shape ...int) layers.Layer { return layers.Input(shape...) }

// Add appends a layer to the model, naming it after its class when it has
// no name ("dense", "dense_1", ...). Adding a layer to a built model drops
// its compiled graphs; the model is built again on next use.
func (m *Model) Add(l layers.Layer) {
	if l == nil {
		return
	}
	if l.Name() == "" {
		l.SetName(m.uniqueName(snake(l.ClassName())))
	}
	m.layers = append(m.layers, l)
	m.reset()
}

// Layers returns the model's layers.
func (m *Model) Layers() []layers.Layer { return slices.Clone(m.layers) }

func (m *Model) uniqueName(base string) string {
	n := m.counts[base]
	m.counts[base]++
	if n == 0 {
		return base
	}
	return fmt.Sprintf("%s_%d", base, n)
}

// snake turns a class name into Keras's layer name prefix ("InputLayer"
// -> "input_layer").
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// reset forgets the built state after a change of architecture.
func (m *Model) reset() {
	m.inShape, m.shapes, m.weights, m.owners = nil, nil, nil, nil
	m.userSet = false
	m.metrics = nil
	m.progs = nil
}

// declaredInput is the input shape given by the first layer, or nil.
func (m *Model) declaredInput() []int {
	if len(m.layers) == 0 {
		return nil
	}
	return m.layers[0].InputShape()
}

// build builds every layer for samples of shape in and draws the weights.
// Building again with the same shape does nothing; another shape is an
// error naming the first layer.
func (m *Model) build(in []int) error {
	if len(m.layers) == 0 {
		return fmt.Errorf("keras: %s has no layers", m.name)
	}
	if m.inShape != nil {
		if !slices.Equal(in, m.inShape) {
			return fmt.Errorf("%s: expected input of shape %s, got %s", m.layers[0].Name(), shapeString(m.inShape), shapeString(in))
		}
		return nil
	}
	if d := m.declaredInput(); d != nil && !slices.Equal(d, in) {
		return fmt.Errorf("%s: expected input of shape %s, got %s", m.layers[0].Name(), shapeString(d), shapeString(in))
	}
	shape := slices.Clone(in)
	var shapes [][]int
	var weights []*layers.Weight
	var owners []string
	for _, l := range m.layers {
		out, err := l.Build(shape)
		if err != nil {
			return err
		}
		shapes = append(shapes, out)
		for _, w := range l.Weights() {
			weights = append(weights, w)
			owners = append(owners, l.Name())
		}
		shape = out
	}
	m.inShape, m.shapes, m.weights, m.owners = slices.Clone(in), shapes, weights, owners
	m.initWeights()
	return nil
}

// ensureBuilt builds the model from its declared input shape.
func (m *Model) ensureBuilt() error {
	if m.inShape != nil {
		return nil
	}
	d := m.declaredInput()
	if d == nil {
		return ErrNotBuilt
	}
	return m.build(d)
}

// initWeights draws every weight from the model's seed. The stream is
// separate from the one used for shuffling, so the initial weights depend
// only on the seed and the architecture.
func (m *Model) initWeights() {
	rng := rand.New(rand.NewPCG(uint64(m.seed), 0x6b657261735f7769))
	for _, w := range m.weights {
		vals := w.Initializer.Initialize(rng, w.Shape)
		w.Value = newDense(m.dtype, w.Shape, vals)
	}
	m.userSet = false
	m.progs = nil
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
func (m *Model) outShape() []int { return m.shapes[len(m.shapes)-1] }

// StopTraining asks Fit to stop after the current epoch, as setting
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

// Optimizer returns the compiled optimizer, or nil.
func (m *Model) Optimizer() optimizers.Optimizer { return m.opt }

// Loss returns the compiled loss, or nil.
func (m *Model) Loss() losses.Loss { return m.loss }

func shapeString(s []int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	if len(s) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
