package datasets

import (
	"math"
	"testing"
)

// Explicit centers with cluster_std 0 put every sample on its center, so
// the labels and points can be checked exactly.
func TestBlobsCenterPoints(t *testing.T) {
	centers := [][]float64{{1, 2, 3}, {-4, 5, 6}}
	x, y, err := Blobs(7, CenterPoints(centers...), ClusterStd(0))
	if err != nil {
		t.Fatal(err)
	}
	wantShape(t, "x", x, 7, 3)
	xs := f32(t, x)
	counts := labelCounts(t, y, 2)
	if counts[0] != 4 || counts[1] != 3 {
		t.Errorf("counts %v, want [4 3]", counts)
	}
	for i, l := range f32(t, y) {
		for j, c := range centers[int(l)] {
			if float64(xs[3*i+j]) != c {
				t.Errorf("sample %d feature %d = %v, want center %v", i, j, xs[3*i+j], c)
			}
		}
	}
}

// Random centers lie inside center_box; samples spread about them with
// cluster_std; Features sets the width.
func TestBlobsRandomCenters(t *testing.T) {
	const n, std = 3000, 0.5
	x, y, err := Blobs(n, Centers(3), Features(4), CenterBox(-2, 2), ClusterStd(std), Seed(11))
	if err != nil {
		t.Fatal(err)
	}
	wantShape(t, "x", x, n, 4)
	xs, ys := f32(t, x), f32(t, y)
	var sum [3][4]float64
	var cnt [3]float64
	for i, l := range ys {
		for j := range 4 {
			sum[int(l)][j] += float64(xs[4*i+j])
		}
		cnt[int(l)]++
	}
	var ss float64
	for k := range 3 {
		for j := range 4 {
			m := sum[k][j] / cnt[k]
			if m < -2.1 || m > 2.1 {
				t.Errorf("cluster %d feature %d mean %v outside center_box (-2, 2)", k, j, m)
			}
			sum[k][j] = m
		}
	}
	for i, l := range ys {
		for j := range 4 {
			d := float64(xs[4*i+j]) - sum[int(l)][j]
			ss += d * d
		}
	}
	if got := math.Sqrt(ss / float64(4*n)); math.Abs(got-std) > 0.02 {
		t.Errorf("spread %v, want cluster_std %v", got, std)
	}
}

func TestBlobsErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  []Option
		inErr string
	}{
		{"zero centers", []Option{Centers(0)}, "centers must be positive, got 0"},
		{"ragged centers", []Option{CenterPoints([]float64{1, 2}, []float64{3})}, "same positive number of features"},
		{"no center points", []Option{CenterPoints()}, "at least one point"},
		{"features disagree", []Option{CenterPoints([]float64{1, 2}), Features(3)}, "n_features is 3 but the centers have 2"},
		{"zero features", []Option{Features(0)}, "n_features must be positive, got 0"},
		{"negative std", []Option{ClusterStd(-1)}, "cluster_std must be a finite number >= 0, got -1"},
		{"reversed box", []Option{CenterBox(1, -1)}, "center_box"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Blobs(10, tc.opts...)
			wantArgError(t, err, tc.inErr)
		})
	}
}
