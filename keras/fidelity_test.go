package keras_test

import (
	"math"
	"testing"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// sigmoid is exact to rounding at the points where Gorgonia's cut off,
// and binary cross-entropy on its output reads Keras's numbers: with
// label 0 and pre-activation 15.5, float32 gives -log(1 - 0.999999821) =
// 15.537 (Keras), not the clip bound's 16.118 (-log(1e-7)).
func TestSigmoidSaturation(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		for _, z := range []float64{15.5, 20, 40, -15.5, -20, -40} {
			m := keras.Sequential(keras.Input(1), layers.Dense(1, layers.Activation("sigmoid"), layers.KernelInitializer("ones"), layers.BiasInitializer("zeros")))
			if err := m.Compile(optimizers.SGD(), losses.BinaryCrossentropy(), keras.DType(dt)); err != nil {
				t.Fatal(err)
			}
			var x *tensor.Dense
			if dt == tensor.Float32 {
				x = tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float32{float32(z)}))
			} else {
				x = tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float64{z}))
			}
			out, err := m.Predict(x)
			if err != nil {
				t.Fatal(err)
			}
			want := 1 / (1 + math.Exp(-z))
			var got float64
			if dt == tensor.Float32 {
				got = float64(out.Data().([]float32)[0])
				if float32(got) != float32(want) {
					t.Errorf("float32 sigmoid(%v) = %v, want %v", z, float32(got), float32(want))
				}
			} else {
				got = out.Data().([]float64)[0]
				if math.Abs(got-want) > 1e-15*want {
					t.Errorf("float64 sigmoid(%v) = %v, want %v", z, got, want)
				}
			}
			// Keras: clip p to [1e-7, 1-1e-7], loss = -log(1-p) for label 0,
			// in the model's dtype (float32: the bound is 0.99999988 and
			// 1-p at it is 1.19e-7, so the loss there is 15.942).
			p := math.Min(math.Max(got, 1e-7), 1-1e-7)
			wantLoss := -math.Log(1 - p)
			if dt == tensor.Float32 {
				p32 := min(max(float32(got), float32(1e-7)), float32(1-1e-7))
				wantLoss = -math.Log(float64(1 - p32))
			}
			res, err := m.Evaluate(x, tensor.New(tensor.WithShape(1, 1), tensor.WithBacking(zeros(dt))), keras.Verbose(0))
			if err != nil {
				t.Fatal(err)
			}
			tol := 1e-12
			if dt == tensor.Float32 {
				tol = 2e-3 // float32 arithmetic of 1-p near 1
			}
			if math.Abs(res["loss"]-wantLoss) > tol*math.Max(1, wantLoss) {
				t.Errorf("%v: BCE at %v = %v, want %v", dt, z, res["loss"], wantLoss)
			}
			if dt == tensor.Float32 && z == 15.5 && math.Abs(res["loss"]-15.54) > 0.01 {
				t.Errorf("float32 BCE at 15.5 = %v, Keras gives 15.54", res["loss"])
			}
		}
	}
}

func zeros(dt tensor.Dtype) any {
	if dt == tensor.Float32 {
		return []float32{0}
	}
	return []float64{0}
}

// The logged learning_rate is the rate used during that epoch, under a
// LearningRateScheduler (set at the epoch's start) and under an
// optimizer schedule (the epoch's last step's).
func TestLoggedLearningRate(t *testing.T) {
	xs, ys := seq([]int{8, 2}, 1), seq([]int{8, 1}, 1)
	m := keras.Sequential(keras.Input(2), layers.Dense(1))
	if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	sched := callbacks.LearningRateScheduler(func(epoch int, lr float64) float64 { return 0.01 * float64(epoch+1) })
	h, err := m.Fit(xs, ys, keras.Epochs(3), keras.Verbose(0), keras.Callbacks(sched))
	if err != nil {
		t.Fatal(err)
	}
	for e, lr := range h.History["learning_rate"] {
		if want := 0.01 * float64(e+1); math.Abs(lr-want) > 1e-12 {
			t.Errorf("scheduler epoch %d: logged %v, want %v", e, lr, want)
		}
	}
	// An optimizer schedule: 4 steps an epoch (batch 2), rate 0.1*0.5^(step/4).
	s := optimizers.ExponentialDecay(0.1, 4, 0.5, false)
	m2 := keras.Sequential(keras.Input(2), layers.Dense(1))
	if err := m2.Compile(optimizers.SGD(optimizers.Schedule(s)), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	h, err = m2.Fit(xs, ys, keras.Epochs(2), keras.BatchSize(2), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	for e, lr := range h.History["learning_rate"] {
		last := float64(4*e + 3) // the epoch's last step
		if want := 0.1 * math.Pow(0.5, last/4); math.Abs(lr-want) > 1e-9 {
			t.Errorf("schedule epoch %d: logged %v, want %v (step %v)", e, lr, want, last)
		}
	}
}

// Adding a layer after Fit keeps the trained layers' weights.
func TestAddAfterFitKeepsWeights(t *testing.T) {
	m := keras.Sequential(keras.Input(2), layers.Dense(3))
	if err := m.Compile(optimizers.SGD(optimizers.LearningRate(0.1)), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Fit(seq([]int{8, 2}, 1), seq([]int{8, 3}, 1), keras.Epochs(2), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	trained := m.GetWeights()
	m.Add(layers.Dense(1))
	after := m.GetWeights()
	if len(after) != 4 || !equal32(after[0], trained[0]) || !equal32(after[1], trained[1]) {
		t.Fatal("Add re-drew the trained weights")
	}
}
