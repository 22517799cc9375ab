package datasets

import (
	"errors"
	"math"
	"testing"

	"gorgonia.org/tensor"
)

// Reference: scikit-learn's StandardScaler on [[0, 1], [2, 1], [4, 1]]
// learns mean [2, 1] and scale [sqrt(8/3), 1] (ddof=0; the constant
// column gets scale 1), and MinMaxScaler maps each column onto [0, 1].
func TestStandardScaler(t *testing.T) {
	train := dense32([]float32{0, 1, 2, 1, 4, 1}, 3, 2)
	var s StandardScaler
	got, err := s.FitTransform(train)
	if err != nil {
		t.Fatal(err)
	}
	sd := math.Sqrt(8.0 / 3)
	want := []float32{float32(-2 / sd), 0, 0, 0, float32(2 / sd), 0}
	if !closeAll(f32(t, got), want, 1e-6) {
		t.Errorf("got %v, want %v", f32(t, got), want)
	}
	if s.Mean[0] != 2 || s.Scale[1] != 1 {
		t.Errorf("Mean %v Scale %v", s.Mean, s.Scale)
	}
	// Fitted on train, applied to other data with the train statistics.
	other, err := s.Transform(dense32([]float32{2 + float32(sd), 5}, 1, 2))
	if err != nil {
		t.Fatal(err)
	}
	if !closeAll(f32(t, other), []float32{1, 4}, 1e-6) {
		t.Errorf("Transform(other) = %v, want [1 4]", f32(t, other))
	}
	back, err := s.InverseTransform(got)
	if err != nil {
		t.Fatal(err)
	}
	if !closeAll(f32(t, back), f32(t, train), 1e-6) {
		t.Errorf("InverseTransform = %v", f32(t, back))
	}
	// float64 in, float64 out.
	g64, err := s.Transform(tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float64{2, 1})))
	if err != nil {
		t.Fatal(err)
	}
	if g64.Dtype() != tensor.Float64 {
		t.Errorf("dtype %v, want float64", g64.Dtype())
	}
}

func TestMinMaxScaler(t *testing.T) {
	train := dense32([]float32{0, 10, 5, 1, 2, 20, 5, 1, 4, 30, 5, 1}, 3, 2, 2)
	for _, tc := range []struct {
		name string
		s    MinMaxScaler
		want []float32
	}{
		{"default [0,1]", MinMaxScaler{}, []float32{0, 0, 0, 0, 0.5, 0.5, 0, 0, 1, 1, 0, 0}},
		{"[-1,1]", MinMaxScaler{Low: -1, High: 1}, []float32{-1, -1, -1, -1, 0, 0, -1, -1, 1, 1, -1, -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.s.FitTransform(train)
			if err != nil {
				t.Fatal(err)
			}
			wantShape(t, "scaled", got, 3, 2, 2)
			if !closeAll(f32(t, got), tc.want, 1e-6) {
				t.Errorf("got %v, want %v", f32(t, got), tc.want)
			}
			back, err := tc.s.InverseTransform(got)
			if err != nil {
				t.Fatal(err)
			}
			if !closeAll(f32(t, back), f32(t, train), 1e-5) {
				t.Errorf("InverseTransform = %v", f32(t, back))
			}
		})
	}
}

func TestScalerErrors(t *testing.T) {
	x := dense32([]float32{1, 2, 3, 4}, 2, 2)
	var s StandardScaler
	if _, err := s.Transform(x); !errors.Is(err, ErrNotFitted) {
		t.Errorf("Transform before Fit: %v, want ErrNotFitted", err)
	}
	var m MinMaxScaler
	if _, err := m.Transform(x); !errors.Is(err, ErrNotFitted) {
		t.Errorf("Transform before Fit: %v, want ErrNotFitted", err)
	}
	if err := s.Fit(x); err != nil {
		t.Fatal(err)
	}
	_, err := s.Transform(dense32([]float32{1, 2, 3}, 1, 3))
	wantArgError(t, err, "fitted on 2 features, got x with 3")
	bad := MinMaxScaler{Low: 1, High: 1}
	wantArgError(t, bad.Fit(x), "must be smaller than its maximum")
	wantArgError(t, s.Fit(nil), "x is nil")
	wantArgError(t, s.Fit(dense32([]float32{}, 0, 2)), "x is empty")
}
