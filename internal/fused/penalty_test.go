package fused

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestPenalty checks l1·Σ|w| + l2·Σw² against float64 loops and its
// gradient (scaled by an upstream 3) against central finite
// differences, for L1, L2 and both.
func TestPenalty(t *testing.T) {
	for _, tc := range []struct{ l1, l2 float64 }{{0, 0.01}, {0.02, 0}, {0.02, 0.01}} {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			r := rand.New(rand.NewPCG(7, 8))
			wv := randn(r, 12, 1)
			ref := func() float64 {
				s := 0.0
				for _, v := range wv {
					s += tc.l1*math.Abs(v) + tc.l2*v*v
				}
				return 3 * s
			}
			g := G.NewGraph()
			w := input(g, dt, "w", wv, 3, 4)
			p, err := Penalty(w, tc.l1, tc.l2)
			if err != nil {
				t.Fatal(err)
			}
			loss := G.Must(G.Mul(p, G.NewConstant(map[tensor.Dtype]any{tensor.Float32: float32(3), tensor.Float64: 3.0}[dt])))
			grads, err := G.Grad(loss, w)
			if err != nil {
				t.Fatal(err)
			}
			vals := run(t, g, loss, grads[0])
			tol := 1e-12
			if dt == tensor.Float32 {
				tol = 1e-5
			}
			if got := floats(vals[0])[0]; !close(got, ref(), tol) {
				t.Errorf("l1 %v l2 %v %v: penalty %v, want %v", tc.l1, tc.l2, dt, got, ref())
			}
			num := numGrad(wv, ref)
			for i, v := range floats(vals[1]) {
				if !close(v, num[i], max(tol, 1e-6)) {
					t.Errorf("l1 %v l2 %v %v: gradient[%d] %v, finite difference %v", tc.l1, tc.l2, dt, i, v, num[i])
				}
			}
		}
	}
}
