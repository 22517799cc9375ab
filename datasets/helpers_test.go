package datasets

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/tensor"
)

// f32 returns t's float32 values, failing the test for another dtype.
func f32(t *testing.T, d *tensor.Dense) []float32 {
	t.Helper()
	v, ok := d.Data().([]float32)
	if !ok {
		t.Fatalf("dtype %v, want float32", d.Dtype())
	}
	return v
}

func wantShape(t *testing.T, what string, d *tensor.Dense, shape ...int) {
	t.Helper()
	if got := []int(d.Shape()); !slices.Equal(got, shape) {
		t.Fatalf("%s shape %v, want %v", what, got, shape)
	}
}

// labelCounts counts the float32 labels 0..k-1 in y.
func labelCounts(t *testing.T, y *tensor.Dense, k int) []int {
	t.Helper()
	c := make([]int, k)
	for i, v := range f32(t, y) {
		if v != float32(int(v)) || v < 0 || int(v) >= k {
			t.Fatalf("label %d is %v, want a whole number in [0, %d)", i, v, k)
		}
		c[int(v)]++
	}
	return c
}

func wantArgError(t *testing.T, err error, substr string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", substr)
	}
	if !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("error %q does not wrap ErrInvalidArgument", err)
	}
	if !strings.Contains(err.Error(), substr) {
		t.Errorf("error %q does not contain %q", err, substr)
	}
}

// generator is the shape every random generator of the package has, for
// the table-driven reproducibility and error tests.
type generator func(n int, opts ...Option) (x, y *tensor.Dense, err error)

var generators = []struct {
	name string
	gen  generator
	// features of x and columns of y with default options
	features, yCols int
	// noise says whether the generator reads Noise (make_blobs has
	// cluster_std instead).
	noise bool
}{
	{"Moons", Moons, 2, 0, true},
	{"Circles", Circles, 2, 0, true},
	{"Blobs", Blobs, 2, 0, false},
	{"Spirals", Spirals, 2, 0, true},
	{"Regression", Regression, 100, 1, true},
	{"LinearRegression", func(n int, opts ...Option) (x, y *tensor.Dense, err error) {
		return LinearRegression(n, 5, 1, opts...)
	}, 1, 1, true},
	{"Sine", Sine, 1, 1, true},
}
