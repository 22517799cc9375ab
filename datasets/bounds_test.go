package datasets

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// Issue 17: arguments that would allocate beyond MaxValues are errors
// returned before any allocation (the process used to die in makeslice).
func TestAllocationBounds(t *testing.T) {
	huge := 1 << 40
	cases := []struct {
		name string
		call func() error
	}{
		{"Moons(1<<40)", func() error { _, _, err := Moons(huge); return err }},
		{"Moons(MaxInt)", func() error { _, _, err := Moons(math.MaxInt); return err }},
		{"Moons just past the bound", func() error { _, _, err := Moons(MaxValues/2 + 1); return err }},
		{"Circles(1<<40)", func() error { _, _, err := Circles(huge); return err }},
		{"Spirals(1<<40)", func() error { _, _, err := Spirals(huge); return err }},
		{"Blobs(1<<40)", func() error { _, _, err := Blobs(huge); return err }},
		{"Blobs features", func() error { _, _, err := Blobs(10, NFeatures(1<<40)); return err }},
		{"Blobs centers", func() error { _, _, err := Blobs(10, Centers(1<<40)); return err }},
		{"Blobs n*features overflow", func() error { _, _, err := Blobs(1<<32, NFeatures(1<<32)); return err }},
		{"Regression(1<<40)", func() error { _, _, err := Regression(huge); return err }},
		{"Regression features", func() error { _, _, err := Regression(2, NFeatures(math.MaxInt)); return err }},
		{"LinearRegression(1<<40)", func() error { _, _, err := LinearRegression(huge, 1, 0); return err }},
		{"Sine(1<<40)", func() error { _, _, err := Sine(huge); return err }},
		{"ToCategorical label 3e9", func() error {
			_, err := ToCategorical(dense32([]float32{3e9}, 1), 0)
			return err
		}},
		{"ToCategorical classes 1<<40", func() error {
			_, err := ToCategorical(dense32([]float32{1, 2}, 2), huge)
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("err = %v, want ErrInvalidArgument", err)
			}
			if !strings.Contains(err.Error(), "MaxValues") {
				t.Errorf("message %q does not name the bound", err)
			}
		})
	}
}

func TestCheckValues(t *testing.T) {
	cases := []struct {
		dims []int
		ok   bool
	}{
		{[]int{MaxValues}, true},
		{[]int{MaxValues + 1}, false},
		{[]int{1 << 14, 1 << 14}, true},
		{[]int{1 << 14, 1<<14 + 1}, false},
		{[]int{math.MaxInt, math.MaxInt}, false},
		{[]int{1 << 40, 0}, true},
		{[]int{3, -1}, false},
		{nil, true},
	}
	for _, tc := range cases {
		err := checkValues("f", "t", tc.dims...)
		if (err == nil) != tc.ok {
			t.Errorf("checkValues(%v) = %v, want ok=%v", tc.dims, err, tc.ok)
		}
	}
	// At the bound itself ToCategorical still works (a small case: the
	// product is what is checked, not the label alone).
	if _, err := ToCategorical(dense32([]float32{0, 1, 2}, 3), 4); err != nil {
		t.Fatal(err)
	}
}
