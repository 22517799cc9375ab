package keras_test

import (
	"fmt"

	"github.com/gokeras/keras/datasets"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
)

// FitDataset trains on a pipeline: here the 5X+1 tutorial's six points,
// shuffled every pass and batched by 2, with sample weights carried by
// the batches.
func ExampleModel_FitDataset() {
	xs := f32([]int{6, 1}, -1, 0, 1, 2, 3, 4)
	ys := f32([]int{6, 1}, -4, 1, 6, 11, 16, 21)
	w := f32([]int{6}, 1, 1, 1, 1, 1, 2) // the last point counts twice
	model := keras.Sequential(keras.Input(1), layers.Dense(1))
	if err := model.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		fmt.Println(err)
		return
	}
	ds := datasets.FromTensorsWeighted(xs, ys, w).Shuffle(6, 42).Batch(2).Prefetch(2)
	hist, err := model.FitDataset(ds, keras.Epochs(300), keras.Verbose(0))
	if err != nil {
		fmt.Println(err)
		return
	}
	loss := hist.History["loss"]
	fmt.Println(len(loss), "epochs; loss fell:", loss[len(loss)-1] < loss[0]/100)
	out, _ := model.Predict(f32([]int{1, 1}, 10))
	fmt.Printf("predict(10) ≈ %.0f\n", out.Data().([]float32)[0])
	// Output:
	// 300 epochs; loss fell: true
	// predict(10) ≈ 51
}
