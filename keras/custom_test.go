package keras_test

import (
	"fmt"
	"path/filepath"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/ops"
	"github.com/gokeras/keras/optimizers"
)

// scaleLayer is a user's custom layer: x * factor, with a learned
// per-feature gain, written against the public contract only.
type scaleLayer struct {
	layers.Base
	factor float64
	gain   *layers.Weight
}

func (s *scaleLayer) ClassName() string { return "TestScale" }

func (s *scaleLayer) Build(in []int) ([]int, error) {
	init, err := layers.GetInitializer("ones")
	if err != nil {
		return nil, err
	}
	s.gain = &layers.Weight{Name: "gain", Shape: []int{in[len(in)-1]}, Initializer: init}
	return in, nil
}

func (s *scaleLayer) Weights() []*layers.Weight {
	if s.gain == nil {
		return nil
	}
	return []*layers.Weight{s.gain}
}

func (s *scaleLayer) Call(ctx *layers.Context, x *G.Node) (*G.Node, error) {
	y, err := ops.Multiply(x, ctx.Param(s.Name(), s.gain))
	if err != nil {
		return nil, err
	}
	return ops.Multiply(y, s.factor)
}

func (s *scaleLayer) Config() map[string]any {
	m := s.BaseConfig()
	m["factor"] = s.factor
	return m
}

// halfMSE is a user's custom loss: mean((y - p)²) / 2.
type halfMSE struct{}

func (halfMSE) Name() string           { return "test_half_mse" }
func (halfMSE) Config() map[string]any { return map[string]any{} }
func (halfMSE) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	d, err := ops.Subtract(yTrue, yPred)
	if err != nil {
		return nil, err
	}
	sq, err := ops.Square(d)
	if err != nil {
		return nil, err
	}
	m, err := ops.Mean(sq)
	if err != nil {
		return nil, err
	}
	return ops.Multiply(m, 0.5)
}

func init() {
	if err := layers.Register("TestScale", func(cfg map[string]any) (layers.Layer, error) {
		f, ok := cfg["factor"].(float64)
		if !ok {
			return nil, fmt.Errorf("factor missing")
		}
		return &scaleLayer{factor: f}, nil
	}); err != nil {
		panic(err)
	}
	if err := losses.Register("test_half_mse", func(map[string]any) (losses.Loss, error) { return halfMSE{}, nil }); err != nil {
		panic(err)
	}
}

// A custom layer and a custom loss, registered by name, train, save and
// load; the loaded model predicts the same numbers.
func TestCustomObjectsSaveLoad(t *testing.T) {
	model := keras.Sequential(keras.Input(3), &scaleLayer{factor: 2}, layers.Dense(1))
	if err := model.Compile(optimizers.Adam(), halfMSE{}); err != nil {
		t.Fatal(err)
	}
	xs, ys := seq([]int{8, 3}, 1), seq([]int{8, 1}, 1)
	hist, err := model.Fit(xs, ys, keras.Epochs(3), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	if l := hist.History["loss"]; len(l) != 3 || !(l[2] < l[0]) {
		t.Fatalf("loss %v does not fall", l)
	}
	want, err := model.Predict(xs)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "custom.keras")
	if err := model.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := keras.LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := loaded.Predict(xs)
	if err != nil {
		t.Fatal(err)
	}
	if !equal32(got, want) {
		t.Fatalf("loaded model predicts %v, want %v", got.Data(), want.Data())
	}
	if loaded.Loss() == nil || loaded.Loss().Name() != "test_half_mse" {
		t.Fatalf("loaded loss %v", loaded.Loss())
	}
	if s, ok := loaded.Layers()[1].(*scaleLayer); !ok || s.factor != 2 {
		t.Fatalf("layer 1 is %T %+v", loaded.Layers()[1], loaded.Layers()[1])
	}
}
