package keras_test

import (
	"context"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/datasets"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// The signatures the issues name, exactly as written there: programs and
// acceptance tests are written against them, so a change of any of these
// types must fail to compile here first.
var (
	_ func(...layers.Layer) *keras.Model                                                                         = keras.Sequential
	_ func(*keras.Model, layers.Layer)                                                                           = (*keras.Model).Add
	_ func(*keras.Model, optimizers.Optimizer, losses.Loss, ...keras.Option) error                               = (*keras.Model).Compile
	_ func(*keras.Model, tensor.Tensor, tensor.Tensor, ...keras.Option) (*keras.History, error)                  = (*keras.Model).Fit
	_ func(*keras.Model, context.Context, tensor.Tensor, tensor.Tensor, ...keras.Option) (*keras.History, error) = (*keras.Model).FitContext
	_ func(*keras.Model, tensor.Tensor, tensor.Tensor, ...keras.Option) (map[string]float64, error)              = (*keras.Model).Evaluate
	_ func(*keras.Model, tensor.Tensor, ...keras.Option) (*tensor.Dense, error)                                  = (*keras.Model).Predict
	_ func(*keras.Model) string                                                                                  = (*keras.Model).Summary
	_ func(*keras.Model) []*tensor.Dense                                                                         = (*keras.Model).GetWeights
	_ func(*keras.Model, []*tensor.Dense) error                                                                  = (*keras.Model).SetWeights
	_ func(*keras.Model, string) error                                                                           = (*keras.Model).Save
	_ func(string) (*keras.Model, error)                                                                         = keras.LoadModel
	_ func(*keras.Model, string) error                                                                           = (*keras.Model).SaveWeights
	_ func(*keras.Model, string) error                                                                           = (*keras.Model).LoadWeights
	_ func(*keras.Model, string) error                                                                           = (*keras.Model).ExportONNX
	_ error                                                                                                      = keras.ErrNotCompiled
	_ map[string][]float64                                                                                       = (&keras.History{}).History

	_ func(int) keras.Option                          = keras.Epochs
	_ func(int) keras.Option                          = keras.BatchSize
	_ func(bool) keras.Option                         = keras.Shuffle
	_ func(int) keras.Option                          = keras.Verbose
	_ func(float64) keras.Option                      = keras.ValidationSplit
	_ func(x, y tensor.Tensor) keras.Option           = keras.ValidationData
	_ func(...callbacks.Callback) keras.Option        = keras.Callbacks
	_ func(...any) keras.Option                       = keras.Metrics
	_ func(int64) keras.Option                        = keras.Seed
	_ func(int, ...layers.Option) layers.Layer        = layers.Dense
	_ func(...int) layers.Option                      = layers.InputShape
	_ layers.Option                                   = layers.Activation("relu")
	_ layers.Layer                                    = layers.Activation("relu")
	_ func(bool) layers.Option                        = layers.UseBias
	_ func(float64) layers.Layer                      = layers.Dropout
	_ func() layers.Layer                             = layers.Flatten
	_ func(...int) layers.Layer                       = layers.Reshape
	_ func(...optimizers.Option) optimizers.Optimizer = optimizers.SGD
	_ func(...optimizers.Option) optimizers.Optimizer = optimizers.Adam
	_ func(...optimizers.Option) optimizers.Optimizer = optimizers.AdamW
	_ func(...optimizers.Option) optimizers.Optimizer = optimizers.RMSprop
	_ func(...optimizers.Option) optimizers.Optimizer = optimizers.Adagrad
	_ func(...optimizers.Option) optimizers.Optimizer = optimizers.Adadelta
	_ func(...optimizers.Option) optimizers.Optimizer = optimizers.Adamax
	_ func(...optimizers.Option) optimizers.Optimizer = optimizers.Nadam
	_ func(float64) optimizers.Option                 = optimizers.LearningRate
	_ func(float64) optimizers.Option                 = optimizers.Momentum
	_ func(bool) optimizers.Option                    = optimizers.Nesterov
	_ func(...losses.Option) losses.Loss              = losses.MeanSquaredError
	_ func(...losses.Option) losses.Loss              = losses.BinaryCrossentropy
	_ func(...losses.Option) losses.Loss              = losses.CategoricalCrossentropy
	_ func(...losses.Option) losses.Loss              = losses.SparseCategoricalCrossentropy
	_ func(bool) losses.Option                        = losses.FromLogits

	_ func(...callbacks.Option) callbacks.Callback                 = callbacks.EarlyStopping
	_ func(string, ...callbacks.Option) callbacks.Callback         = callbacks.ModelCheckpoint
	_ func(string, ...callbacks.Option) callbacks.Callback         = callbacks.CSVLogger
	_ func(...callbacks.Option) callbacks.Callback                 = callbacks.ReduceLROnPlateau
	_ func(func(epoch int, lr float64) float64) callbacks.Callback = callbacks.LearningRateScheduler
	_ func() callbacks.Callback                                    = callbacks.TerminateOnNaN
	_ func(string) callbacks.Option                                = callbacks.Monitor
	_ func(int) callbacks.Option                                   = callbacks.Patience
	_ func(float64) callbacks.Option                               = callbacks.MinDelta
	_ func(string) callbacks.Option                                = callbacks.Mode
	_ func(float64) callbacks.Option                               = callbacks.Baseline
	_ func(bool) callbacks.Option                                  = callbacks.RestoreBestWeights
	_ func(int) callbacks.Option                                   = callbacks.StartFromEpoch
	_ func(bool) callbacks.Option                                  = callbacks.SaveBestOnly
	_ func(bool) callbacks.Option                                  = callbacks.SaveWeightsOnly
	_ func(float64) callbacks.Option                               = callbacks.Factor
	_ func(int) callbacks.Option                                   = callbacks.Cooldown
	_ func(float64) callbacks.Option                               = callbacks.MinLR
	_ func(string) callbacks.Option                                = callbacks.Separator
	_ func(bool) callbacks.Option                                  = callbacks.Append
	_ callbacks.Model                                              = (*keras.Model)(nil)

	_ func() (x, y *tensor.Dense)                                                                                                 = datasets.XOR
	_ func(int, ...datasets.Option) (x, y *tensor.Dense, err error)                                                               = datasets.Moons
	_ func(int, ...datasets.Option) (x, y *tensor.Dense, err error)                                                               = datasets.Circles
	_ func(int, ...datasets.Option) (x, y *tensor.Dense, err error)                                                               = datasets.Blobs
	_ func(int, ...datasets.Option) (x, y *tensor.Dense, err error)                                                               = datasets.Spirals
	_ func(float64) datasets.Option                                                                                               = datasets.Noise
	_ func(int64) datasets.Option                                                                                                 = datasets.Seed
	_ func(bool) datasets.Option                                                                                                  = datasets.Shuffle
	_ func(...datasets.Option) (xTrain, yTrain, xTest, yTest *tensor.Dense, err error)                                            = datasets.LoadMNIST
	_ func(*tensor.Dense, int) (*tensor.Dense, error)                                                                             = datasets.ToCategorical
	_ func(x, y *tensor.Dense, testSize float64, opts ...datasets.Option) (xTrain, xTest, yTrain, yTest *tensor.Dense, err error) = datasets.TrainTestSplit
)

// The object model (issue 15) and the functional API (issue 16).
var (
	_ layers.Layer                                                = (*keras.Model)(nil)
	_ func(*keras.Model, bool)                                    = (*keras.Model).SetTrainable
	_ func(*keras.Model, string)                                  = (*keras.Model).SetName
	_ func(...int) *keras.Tensor                                  = keras.Input
	_ func(layers.Layer, ...*keras.Tensor) *keras.Tensor          = keras.Apply
	_ func(inputs, outputs []*keras.Tensor) (*keras.Model, error) = keras.NewModel
	_ func(*keras.Tensor) []int                                   = (*keras.Tensor).Shape
	_ layers.Layer                                                = keras.Input(3)
)
