package datasets

import (
	"slices"
	"testing"

	"gorgonia.org/tensor"
)

// Keras's to_categorical: to_categorical([0, 2, 1], 3) is
// [[1,0,0],[0,0,1],[0,1,0]]; num_classes=None infers max+1; a trailing
// axis of size 1 is dropped.
func TestToCategorical(t *testing.T) {
	for _, tc := range []struct {
		name    string
		y       *tensor.Dense
		classes int
		shape   []int
		want    []float32
	}{
		{"(n,) float32", dense32([]float32{0, 2, 1}, 3), 3, []int{3, 3}, []float32{1, 0, 0, 0, 0, 1, 0, 1, 0}},
		{"(n,1) float64", tensor.New(tensor.WithShape(3, 1), tensor.WithBacking([]float64{0, 2, 1})), 3, []int{3, 3}, []float32{1, 0, 0, 0, 0, 1, 0, 1, 0}},
		{"infer classes", tensor.New(tensor.WithShape(2), tensor.WithBacking([]int{1, 3})), 0, []int{2, 4}, []float32{0, 1, 0, 0, 0, 0, 0, 1}},
		{"more classes", dense32([]float32{1}, 1), 4, []int{1, 4}, []float32{0, 1, 0, 0}},
		{"(a,b) labels", tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]uint8{0, 1, 1, 0})), 2, []int{2, 2, 2}, []float32{1, 0, 0, 1, 0, 1, 1, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ToCategorical(tc.y, tc.classes)
			if err != nil {
				t.Fatal(err)
			}
			wantShape(t, "one-hot", got, tc.shape...)
			if !slices.Equal(f32(t, got), tc.want) {
				t.Errorf("got %v, want %v", f32(t, got), tc.want)
			}
		})
	}
}

func TestToCategoricalErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		y       *tensor.Dense
		classes int
		inErr   string
	}{
		{"fractional", dense32([]float32{0, 1.5}, 2), 0, "whole numbers >= 0, got 1.5 at index 1"},
		{"negative", dense32([]float32{-1, 1}, 2), 0, "got -1 at index 0"},
		{"out of range", dense32([]float32{0, 3}, 2), 3, "label 3 is out of range for 3 classes"},
		{"nil", nil, 2, "y is nil"},
		{"bool", tensor.New(tensor.WithShape(2), tensor.WithBacking([]bool{true, false})), 2, "must be numeric"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ToCategorical(tc.y, tc.classes)
			wantArgError(t, err, tc.inErr)
		})
	}
}
