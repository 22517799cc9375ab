package datasets

import (
	"slices"
	"testing"

	"gorgonia.org/tensor"
)

func TestShuffleXY(t *testing.T) {
	n := 50
	xv := make([]float64, 3*n)
	yv := make([]int, n)
	for i := range n {
		xv[3*i], xv[3*i+1], xv[3*i+2] = float64(i), float64(10*i), float64(100*i)
		yv[i] = i
	}
	x := tensor.New(tensor.WithShape(n, 3), tensor.WithBacking(xv))
	y := tensor.New(tensor.WithShape(n), tensor.WithBacking(yv))
	xs, ys, err := ShuffleXY(x, y, 5)
	if err != nil {
		t.Fatal(err)
	}
	wantShape(t, "x", xs, n, 3)
	gx, gy := xs.Data().([]float64), ys.Data().([]int)
	for i, l := range gy {
		if gx[3*i] != float64(l) || gx[3*i+2] != float64(100*l) {
			t.Fatalf("row %d of x = %v does not belong with label %d", i, gx[3*i:3*i+3], l)
		}
	}
	if slices.IsSorted(gy) {
		t.Error("not shuffled")
	}
	if !slices.IsSorted(yv) {
		t.Error("input changed")
	}
	_, ys2, _ := ShuffleXY(x, y, 5)
	_, ys3, _ := ShuffleXY(x, y, 6)
	if !slices.Equal(gy, ys2.Data().([]int)) {
		t.Error("same seed gave another order")
	}
	if slices.Equal(gy, ys3.Data().([]int)) {
		t.Error("seeds 5 and 6 gave the same order")
	}
	_, _, err = ShuffleXY(x, dense32([]float32{1, 2}, 2), 1)
	wantArgError(t, err, "same number of samples, got 50 and 2")
}
