package keras_test

import (
	"math"
	"testing"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
)

// Fit's logged metrics are computed on the batch's predictions before the
// update: with learning rate 0, the "mse" metric equals the MSE loss for
// every output activation. (Gorgonia's backward pass reuses the memory of
// the forward output; a regression test for reading it too late.)
func TestFitMetricsSeeForwardOutput(t *testing.T) {
	for _, act := range []string{"linear", "relu", "sigmoid", "tanh", "softmax", "deep"} {
		t.Run(act, func(t *testing.T) {
			m := keras.Sequential(layers.Dense(2, layers.Activation(act), layers.InputShape(3)))
			if act == "deep" {
				m = keras.Sequential(
					layers.Dense(5, layers.Activation("tanh"), layers.InputShape(3)),
					layers.Dense(4, layers.Activation("sigmoid")),
					layers.Dense(2, layers.Activation("softmax")),
				)
			}
			if err := m.Compile(optimizers.SGD(optimizers.LearningRate(0)), losses.MeanSquaredError(), keras.Metrics("mse")); err != nil {
				t.Fatal(err)
			}
			x := f32([]int{4, 3}, 0, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1)
			y := f32([]int{4, 2}, 0, 1, 1, 0, 1, 0, 0, 1)
			h, err := m.Fit(x, y, keras.BatchSize(4), keras.Verbose(0))
			if err != nil {
				t.Fatal(err)
			}
			loss, mse := h.History["loss"][0], h.History["mse"][0]
			if math.Abs(loss-mse) > 1e-6 {
				t.Errorf("loss %v, logged mse %v", loss, mse)
			}
		})
	}
}
