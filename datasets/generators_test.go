package datasets

import (
	"slices"
	"testing"
)

// Properties every random generator shares: shapes, float32, the same seed
// gives the same data bit for bit, another seed other data, and the
// errors for n <= 0 and negative noise.
func TestGeneratorsCommon(t *testing.T) {
	for _, g := range generators {
		t.Run(g.name, func(t *testing.T) {
			const n = 101
			x, y, err := g.gen(n, Noise(0.1), Seed(7))
			if err != nil {
				t.Fatal(err)
			}
			wantShape(t, "x", x, n, g.features)
			if g.yCols == 0 {
				wantShape(t, "y", y, n)
			} else {
				wantShape(t, "y", y, n, g.yCols)
			}
			x2, y2, err := g.gen(n, Noise(0.1), Seed(7))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(f32(t, x), f32(t, x2)) || !slices.Equal(f32(t, y), f32(t, y2)) {
				t.Error("same seed gave different data")
			}
			x3, _, err := g.gen(n, Noise(0.1), Seed(8))
			if err != nil {
				t.Fatal(err)
			}
			if slices.Equal(f32(t, x), f32(t, x3)) {
				t.Error("seeds 7 and 8 gave the same x")
			}
			// No Seed option means DefaultSeed.
			xd, _, err := g.gen(n, Noise(0.1))
			if err != nil {
				t.Fatal(err)
			}
			xs, _, err := g.gen(n, Noise(0.1), Seed(DefaultSeed))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(f32(t, xd), f32(t, xs)) {
				t.Error("no Seed option differs from Seed(DefaultSeed)")
			}

			cases := []struct {
				n     int
				opts  []Option
				inErr string
			}{
				{0, nil, "n_samples must be positive, got 0"},
				{-3, nil, "n_samples must be positive, got -3"},
			}
			if g.noise {
				cases = append(cases, struct {
					n     int
					opts  []Option
					inErr string
				}{10, []Option{Noise(-0.5)}, "noise must be a finite number >= 0, got -0.5"})
			}
			for _, tc := range cases {
				x, y, err := g.gen(tc.n, tc.opts...)
				wantArgError(t, err, tc.inErr)
				if x != nil || y != nil {
					t.Error("non-nil tensors returned with an error")
				}
			}
		})
	}
}

// Class generators split n as scikit-learn does: n/2 outer and n-n/2
// inner for Moons and Circles (make_moons, make_circles), n/k per cluster
// plus one for the first n%k for Blobs (make_blobs) and Spirals.
func TestLabelBalance(t *testing.T) {
	for _, tc := range []struct {
		name string
		gen  generator
		n    int
		opts []Option
		want []int
	}{
		{"Moons even", Moons, 300, nil, []int{150, 150}},
		{"Moons odd", Moons, 7, nil, []int{3, 4}},
		{"Moons one", Moons, 1, nil, []int{0, 1}},
		{"Circles odd", Circles, 101, nil, []int{50, 51}},
		{"Blobs default 3", Blobs, 100, nil, []int{34, 33, 33}},
		{"Blobs 4", Blobs, 10, []Option{Centers(4)}, []int{3, 3, 2, 2}},
		{"Spirals 3 arms", Spirals, 100, []Option{Arms(3)}, []int{34, 33, 33}},
		{"Spirals default", Spirals, 11, nil, []int{6, 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, y, err := tc.gen(tc.n, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got := labelCounts(t, y, len(tc.want)); !slices.Equal(got, tc.want) {
				t.Errorf("label counts %v, want %v", got, tc.want)
			}
		})
	}
}
