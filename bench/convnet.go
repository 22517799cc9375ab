package bench

import (
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// ConvnetBatch is the batch size of Keras's "Simple MNIST convnet".
const ConvnetBatch = 128

// ConvnetModel builds and compiles the network of Keras's "Simple MNIST
// convnet" (examples/mnist_convnet): Conv2D 32 3x3 relu, MaxPooling2D,
// Conv2D 64 3x3 relu, MaxPooling2D, Flatten, Dropout 0.5, Dense 10
// softmax; Adam with Keras's defaults, categorical cross-entropy.
func ConvnetModel(seed int64) (*keras.Model, error) {
	m := keras.Sequential(
		keras.Input(28, 28, 1),
		layers.Conv2D(32, 3, layers.Activation("relu")),
		layers.MaxPooling2D(layers.PoolSize(2, 2)),
		layers.Conv2D(64, 3, layers.Activation("relu")),
		layers.MaxPooling2D(layers.PoolSize(2, 2)),
		layers.Flatten(),
		layers.Dropout(0.5),
		layers.Dense(10, layers.Activation("softmax")),
	)
	if err := m.Compile(optimizers.Adam(), losses.CategoricalCrossentropy(), keras.Metrics("accuracy"), keras.Seed(seed)); err != nil {
		return nil, err
	}
	return m, nil
}

// ImageTensors returns d's x as (N, 28, 28, 1) images and y (N, Out),
// sharing d's memory.
func (d Data) ImageTensors() (x, y *tensor.Dense) {
	return tensor.New(tensor.WithShape(d.N, 28, 28, 1), tensor.WithBacking(d.X)),
		tensor.New(tensor.WithShape(d.N, d.Out), tensor.WithBacking(d.Y))
}

// ConvnetFit trains m on the MNIST images of d for epochs epochs, batch
// 128, shuffled each epoch as Keras does.
func ConvnetFit(m *keras.Model, d Data, epochs int) (*keras.History, error) {
	x, y := d.ImageTensors()
	return m.Fit(x, y, keras.Epochs(epochs), keras.BatchSize(ConvnetBatch), keras.Verbose(0))
}

// ConvnetAccuracy predicts the images of d with m and scores them.
func ConvnetAccuracy(m *keras.Model, d Data) (float64, error) {
	x, _ := d.ImageTensors()
	out, err := m.Predict(x, keras.BatchSize(1000))
	if err != nil {
		return 0, err
	}
	return Accuracy(out.Data().([]float32), d), nil
}
