package bench

import (
	"math/rand/v2"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// The LSTM workload of issue 11: LSTM(64) then Dense(1) on LSTMSamples
// sequences of LSTMSteps steps of LSTMFeatures features, batch
// LSTMBatch, Adam, mean squared error, float32. peers/lstm_torch.py is
// the same in PyTorch (its own random data of the same sizes).
const (
	LSTMSamples  = 10000
	LSTMSteps    = 50
	LSTMFeatures = 8
	LSTMBatch    = 64
)

// LSTMData returns the workload's inputs (samples, steps, features), from
// a fixed seed, and targets (samples, 1): each sequence's first feature
// at its first step, a target the model can learn.
func LSTMData() (x, y *tensor.Dense) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]float32, LSTMSamples*LSTMSteps*LSTMFeatures)
	for i := range xs {
		xs[i] = float32(r.NormFloat64())
	}
	ys := make([]float32, LSTMSamples)
	for i := range ys {
		ys[i] = xs[i*LSTMSteps*LSTMFeatures]
	}
	return tensor.New(tensor.WithShape(LSTMSamples, LSTMSteps, LSTMFeatures), tensor.WithBacking(xs)),
		tensor.New(tensor.WithShape(LSTMSamples, 1), tensor.WithBacking(ys))
}

// LSTMModel builds and compiles the workload's network.
func LSTMModel(seed int64) (*keras.Model, error) {
	m := keras.Sequential(keras.Input(LSTMSteps, LSTMFeatures), layers.LSTM(64), layers.Dense(1))
	if err := m.Compile(optimizers.Adam(), losses.MeanSquaredError(), keras.Seed(seed)); err != nil {
		return nil, err
	}
	return m, nil
}

// LSTMFit trains m for one epoch of batch LSTMBatch.
func LSTMFit(m *keras.Model, x, y *tensor.Dense) (*keras.History, error) {
	return m.Fit(x, y, keras.Epochs(1), keras.BatchSize(LSTMBatch), keras.Verbose(0))
}
