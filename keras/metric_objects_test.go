package keras_test

import (
	"math"
	"testing"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/metrics"
	"github.com/gokeras/keras/optimizers"
)

// keras.Metrics takes metric values: a from-logits BinaryCrossentropy
// metric logs the cross-entropy of sigmoid(logits), the number Keras's
// overfit-and-underfit tutorial watches, and a threshold-0 accuracy
// counts logits above 0.
func TestMetricObjectsFromLogits(t *testing.T) {
	model := keras.Sequential(keras.Input(2), layers.Dense(1))
	bce := metrics.BinaryCrossentropy(metrics.FromLogits(true), metrics.Name("binary_crossentropy"))
	acc := metrics.BinaryAccuracy(metrics.Threshold(0))
	if err := model.Compile(optimizers.SGD(optimizers.LearningRate(0)), losses.BinaryCrossentropy(losses.FromLogits(true)), keras.Metrics(bce, acc)); err != nil {
		t.Fatal(err)
	}
	xs := seq([]int{10, 2}, 3)
	ys := f32([]int{10, 1}, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0)
	res, err := model.Evaluate(xs, ys, keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	logits, err := model.Predict(xs)
	if err != nil {
		t.Fatal(err)
	}
	var want, hits float64
	for i, z := range data64(logits) {
		y := float64(ys.Data().([]float32)[i])
		// Keras's from-logits form: max(z, 0) - z*y + log(1 + exp(-|z|)).
		want += math.Max(z, 0) - z*y + math.Log1p(math.Exp(-math.Abs(z)))
		if (z > 0) == (y == 1) {
			hits++
		}
	}
	want /= 10
	if math.Abs(res["binary_crossentropy"]-want) > 1e-5 {
		t.Errorf("binary_crossentropy %v, want %v", res["binary_crossentropy"], want)
	}
	if math.Abs(res["loss"]-want) > 1e-5 {
		t.Errorf("loss %v, want %v", res["loss"], want)
	}
	if res["binary_accuracy"] != hits/10 {
		t.Errorf("binary_accuracy %v, want %v", res["binary_accuracy"], hits/10)
	}
	if _, err := model.Fit(xs, ys, keras.Epochs(1), keras.Verbose(0), keras.ValidationSplit(0.3)); err != nil {
		t.Fatal(err)
	}
	if err := model.Compile(optimizers.SGD(), losses.MeanSquaredError(), keras.Metrics(3.5)); err == nil {
		t.Error("Compile took a float as a metric")
	}
}
