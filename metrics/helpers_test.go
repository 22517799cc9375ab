package metrics

import (
	"math"
	"testing"

	"gorgonia.org/tensor"
)

// batch is one Update's targets and predictions, written as float64 and
// built in either dtype.
type batch struct {
	tShape, pShape []int
	yTrue, yPred   []float64
}

func (b batch) tensors(dt tensor.Dtype) (yTrue, yPred *tensor.Dense) {
	return build(dt, b.tShape, b.yTrue), build(dt, b.pShape, b.yPred)
}

func build(dt tensor.Dtype, shape []int, v []float64) *tensor.Dense {
	if dt == tensor.Float32 {
		f := make([]float32, len(v))
		for i, x := range v {
			f[i] = float32(x)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...)))
}

var dtypes = []tensor.Dtype{tensor.Float32, tensor.Float64}

// run feeds the batches to m in dtype dt and returns the result.
func run(t *testing.T, m Metric, dt tensor.Dtype, bs ...batch) float64 {
	t.Helper()
	for _, b := range bs {
		yt, yp := b.tensors(dt)
		if err := m.Update(yt, yp); err != nil {
			t.Fatalf("%s %v: Update: %v", m.Name(), dt, err)
		}
	}
	return m.Result()
}

// near compares with a tolerance fitting float32 arithmetic.
func near(got, want float64) bool {
	return math.Abs(got-want) <= 1e-6*math.Max(1, math.Abs(want))
}
