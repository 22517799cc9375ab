package keras_test

import (
	"testing"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"gorgonia.org/tensor"
)

// FuzzPredictShapes feeds Predict inputs of arbitrary shapes, dtypes and
// values: every call returns numbers of the right shape or an error,
// never a panic or an engine failure.
//
//	go test -run '^$' -fuzz FuzzPredictShapes -fuzztime 30s ./keras
func FuzzPredictShapes(f *testing.F) {
	f.Add([]byte{2, 5, 4}, byte(0), []byte{1, 2, 3})
	f.Add([]byte{3, 2, 3, 4}, byte(1), []byte{255, 0})
	f.Add([]byte{1, 12}, byte(2), []byte{})
	f.Add([]byte{0}, byte(0), []byte{7})
	models := []func() *keras.Model{
		func() *keras.Model {
			return keras.Sequential(keras.Input(4), layers.Dense(3, layers.Activation("relu")), layers.Dense(2))
		},
		func() *keras.Model {
			return keras.Sequential(keras.Input(3, 4), layers.Flatten(), layers.Dense(2, layers.Activation("softmax")))
		},
		func() *keras.Model { return keras.Sequential(layers.Dense(2)) }, // built from the data
	}
	f.Fuzz(func(t *testing.T, dims []byte, kind byte, vals []byte) {
		if len(dims) == 0 || len(dims) > 5 {
			return
		}
		shape := make([]int, len(dims))
		total := 1
		for i, d := range dims {
			shape[i] = int(d % 16)
			total *= max(shape[i], 1)
		}
		if total > 4096 {
			return
		}
		n := 1
		for _, d := range shape {
			n *= d
		}
		var x *tensor.Dense
		switch kind % 3 {
		case 0:
			v := make([]float32, n)
			for i := range v {
				if len(vals) > 0 {
					v[i] = float32(int(vals[i%len(vals)])-128) / 16
				}
			}
			x = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
		case 1:
			v := make([]float64, n)
			for i := range v {
				if len(vals) > 0 {
					v[i] = float64(vals[i%len(vals)]) * 1e37
				}
			}
			x = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
		default:
			v := make([]int64, n)
			x = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
		}
		for _, mk := range models {
			m := mk()
			out, err := m.Predict(x, keras.BatchSize(int(kind)+1))
			if err != nil {
				if isEngine(err) {
					t.Fatalf("shape %v: engine failure: %v", shape, err)
				}
				continue
			}
			if s := out.Shape(); s[0] != shape[0] {
				t.Fatalf("shape %v: %d outputs", shape, s[0])
			}
		}
	})
}

func isEngine(err error) bool {
	for e := err; e != nil; {
		if e == keras.ErrEngine {
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}
