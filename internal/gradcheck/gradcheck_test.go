package gradcheck

import (
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func sumOfCubes(in []*G.Node) (*G.Node, error) {
	c, err := G.Cube(in[0])
	if err != nil {
		return nil, err
	}
	p, err := G.HadamardProd(c, in[1])
	if err != nil {
		return nil, err
	}
	return G.Sum(p)
}

// d/dx sum(x^3*y) = 3x^2*y and d/dy = x^3, by hand.
func TestCheckAgreesOnKnownGradient(t *testing.T) {
	x := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{1, -2, 0.5, 3}))
	y := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{2, 1, -1, 0.25}))
	res, err := Check(sumOfCubes, []*tensor.Dense{x, y}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	want := []float64{6, 12, -0.75, 6.75}
	for i, w := range want {
		if d := res.Analytic[0][i] - w; d > 1e-12 || d < -1e-12 {
			t.Errorf("analytic[0][%d] = %v, want %v", i, res.Analytic[0][i], w)
		}
	}
	if want := 1*2 + -8*1 + 0.125*-1 + 27*0.25; res.Value != want {
		t.Errorf("value = %v, want %v", res.Value, want)
	}
	// Inputs are left unchanged.
	if x.Data().([]float64)[1] != -2 {
		t.Error("input modified")
	}
}

// A disagreement must be reported: relu probed exactly at its kink has
// a one-sided symbolic gradient (0 or 1) while central differences give
// 0.5.
func TestCheckReportsMismatch(t *testing.T) {
	x := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{0}))
	res, err := Check(func(in []*G.Node) (*G.Node, error) {
		r, err := G.Rectify(in[0])
		if err != nil {
			return nil, err
		}
		return G.Sum(r)
	}, []*tensor.Dense{x}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Err() == nil {
		t.Fatalf("expected a mismatch at the kink, got analytic %v numeric %v", res.Analytic, res.Numeric)
	}
	if res.Numeric[0][0] != 0.5 {
		t.Errorf("numeric = %v, want 0.5", res.Numeric[0][0])
	}
}

func TestCheckRejectsFloat32(t *testing.T) {
	x := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float32{0}))
	if _, err := Check(sumOfCubes, []*tensor.Dense{x}, Config{}); err == nil {
		t.Fatal("expected an error for float32 input")
	}
}
