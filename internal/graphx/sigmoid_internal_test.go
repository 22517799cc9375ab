package graphx

import (
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The op on scalars, and into a preallocated buffer (as keras's
// executor calls it), gives what Do gives on a fresh tensor.
func TestSigmoidOpValues(t *testing.T) {
	op := sigmoidOp{}
	if v, err := op.Do(G.NewF64(0)); err != nil || float64(*v.(*G.F64)) != 0.5 {
		t.Errorf("Do(F64 0) = %v, %v", v, err)
	}
	if v, err := op.Do(G.NewF32(15.5)); err != nil || float32(*v.(*G.F32)) != float32(sigmoid64(15.5)) {
		t.Errorf("Do(F32 15.5) = %v, %v", v, err)
	}
	x := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float32{-40, 0, 15.5, 40}))
	fresh, err := op.Do(x)
	if err != nil {
		t.Fatal(err)
	}
	buf := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float32{9, 9, 9, 9}))
	got, err := op.UsePreallocDo(buf, x)
	if err != nil {
		t.Fatal(err)
	}
	if got != G.Value(buf) {
		t.Error("UsePreallocDo did not write into the buffer it was given")
	}
	f, g := fresh.(*tensor.Dense).Float32s(), buf.Float32s()
	for i := range f {
		if f[i] != g[i] {
			t.Errorf("[%d]: prealloc %v, fresh %v", i, g[i], f[i])
		}
	}
	if _, err := op.Do(tensor.New(tensor.WithShape(2), tensor.WithBacking([]int{1, 2}))); err == nil {
		t.Error("Do on ints: expected an error")
	}
	if _, err := op.Do(); err == nil {
		t.Error("Do without inputs: expected an error")
	}
}
