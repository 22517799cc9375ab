package datasets

import (
	"slices"
	"testing"

	"gorgonia.org/tensor"
)

func TestFixedSets(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fn     func() (x, y *tensor.Dense)
		xShape []int
		x, y   []float32
	}{
		{"XOR", XOR, []int{4, 2}, []float32{0, 0, 0, 1, 1, 0, 1, 1}, []float32{0, 1, 1, 0}},
		// iamtrask's "11 lines" three-layer net and James Loy's net (seed
		// 000): inputs [[0,0,1],[0,1,1],[1,0,1],[1,1,1]], targets [0,1,1,0].
		{"XOR3", XOR3, []int{4, 3}, []float32{0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1}, []float32{0, 1, 1, 0}},
		// Seed 000 lines 181-182: training_set_inputs =
		// array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]), outputs [0, 1, 1, 0].
		{"SingleNeuron", SingleNeuron, []int{4, 3}, []float32{0, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1}, []float32{0, 1, 1, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, y := tc.fn()
			wantShape(t, "x", x, tc.xShape...)
			wantShape(t, "y", y, 4, 1)
			if !slices.Equal(f32(t, x), tc.x) || !slices.Equal(f32(t, y), tc.y) {
				t.Errorf("got x %v y %v, want x %v y %v", f32(t, x), f32(t, y), tc.x, tc.y)
			}
			// Each call returns fresh tensors: changing one leaves the next intact.
			f32(t, x)[0] = 9
			x2, _ := tc.fn()
			if f32(t, x2)[0] == 9 {
				t.Error("tensors are shared between calls")
			}
		})
	}
}
