package bench

import (
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// Spec is one workload's network and training settings, shared by every
// peer.
type Spec struct {
	Name     string
	Sizes    []int  // in, hidden..., out
	Hidden   string // activation of the hidden layers: "relu" or "tanh"
	Classify bool   // softmax output and categorical cross-entropy; else linear output and MSE
	LR       float64
	L2       float64 // Keras l2 factor on the kernels (0: none)
	Batch    int
	Epochs   int
	// KerasCE makes the hand-written program compute Keras's
	// cross-entropy on probabilities op for op (renormalise, clip, log)
	// instead of the cheaper stable log-softmax a Gorgonia user would
	// write, to separate the framework's loop from the loss's semantics.
	KerasCE bool
}

// The workloads of issue 7.
var (
	// MNIST30 and MNIST100: seed 001's MLP, SGD lr 0.1, batch 100.
	MNIST30  = Spec{Name: "mnist30", Sizes: []int{784, 30, 10}, Hidden: "relu", Classify: true, LR: 0.1, Batch: 100, Epochs: 1}
	MNIST100 = Spec{Name: "mnist100", Sizes: []int{784, 100, 10}, Hidden: "relu", Classify: true, LR: 0.1, Batch: 100, Epochs: 1}
	// Linear5X1: seed 003, Dense(1), SGD (Keras's lr 0.01), batch 32, 500 epochs.
	Linear5X1 = Spec{Name: "5x+1", Sizes: []int{1, 1}, LR: 0.01, Batch: 32, Epochs: 500}
	// MoonsSpec: seed 002, hidden 3 tanh, softmax out, 20,000 full-batch
	// passes. The seed steps 0.01 along the gradient of the *summed*
	// loss plus (0.01/2)·Σw²; on Keras's mean loss that is lr 0.01·300
	// and l2 0.01/(2·300).
	MoonsSpec = Spec{Name: "moons", Sizes: []int{2, 3, 2}, Hidden: "tanh", Classify: true, LR: 3, L2: 0.01 / 600, Batch: 300, Epochs: 20000}
)

// SameLoss returns s with KerasCE set.
func SameLoss(s Spec) Spec { s.KerasCE = true; return s }

// KerasModel builds and compiles spec's network with package keras.
func KerasModel(s Spec, seed int64) (*keras.Model, error) {
	var ls []layers.Layer
	for i := 1; i < len(s.Sizes); i++ {
		opts := []layers.Option{}
		if i == 1 {
			opts = append(opts, layers.InputShape(s.Sizes[0]))
		}
		if i < len(s.Sizes)-1 {
			opts = append(opts, layers.Activation(s.Hidden))
		} else if s.Classify {
			opts = append(opts, layers.Activation("softmax"))
		}
		if s.L2 > 0 {
			opts = append(opts, layers.KernelRegularizer(layers.L2(s.L2)))
		}
		ls = append(ls, layers.Dense(s.Sizes[i], opts...))
	}
	m := keras.Sequential(ls...)
	var loss losses.Loss = losses.MeanSquaredError()
	copts := []keras.Option{keras.Seed(seed)}
	if s.Classify {
		loss = losses.CategoricalCrossentropy()
		copts = append(copts, keras.Metrics("accuracy"))
	}
	if err := m.Compile(optimizers.SGD(optimizers.LearningRate(s.LR)), loss, copts...); err != nil {
		return nil, err
	}
	return m, nil
}

// KerasFit trains m on d for epochs epochs with spec's batch size.
func KerasFit(m *keras.Model, s Spec, d Data, epochs int) (*keras.History, error) {
	x, y := d.Tensors()
	return m.Fit(x, y, keras.Epochs(epochs), keras.BatchSize(s.Batch), keras.Verbose(0))
}

// Accuracy is the fraction of rows of pred (n, classes) whose largest
// value is at the one-hot label's position.
func Accuracy(pred []float32, d Data) float64 {
	hits := 0
	for i := 0; i < d.N; i++ {
		if argmax(pred[i*d.Out:(i+1)*d.Out]) == argmax(d.Y[i*d.Out:(i+1)*d.Out]) {
			hits++
		}
	}
	return float64(hits) / float64(d.N)
}

// KerasAccuracy predicts d with m and scores it.
func KerasAccuracy(m *keras.Model, d Data) (float64, error) {
	x, _ := d.Tensors()
	out, err := m.Predict(x, keras.BatchSize(1000))
	if err != nil {
		return 0, err
	}
	return Accuracy(out.Data().([]float32), d), nil
}

func argmax(v []float32) int {
	b := 0
	for i := range v {
		if v[i] > v[b] {
			b = i
		}
	}
	return b
}

// Weights returns copies of m's weights (kernel, bias per layer), to start
// a hand-written network from the same point.
func Weights(m *keras.Model) []*tensor.Dense { return m.GetWeights() }
