package main

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// Seed 000, James Loy's two-layer net (../shared/REFERENCE.md, row 000
// "James Loy"): after 1,500 iterations the loss has fallen toward 0 and
// the predictions are near [0, 1, 1, 0]; the loss curve is a picture.
func TestRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loss.png")
	r, err := run(1500, 1337, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Loss) != 1500 {
		t.Fatalf("got %d losses, want 1500", len(r.Loss))
	}
	first, last := r.Loss[0], r.Loss[len(r.Loss)-1]
	if last > 0.01 || last > first/10 {
		t.Errorf("loss went from %v to %v, want it below 0.01 and a tenth of the start", first, last)
	}
	for i, target := range []float64{0, 1, 1, 0} {
		if math.Abs(r.Pred[i]-target) > 0.1 {
			t.Errorf("prediction %d = %.4f, want within 0.1 of %v", i, r.Pred[i], target)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("%s is not a PNG: %v", path, err)
	}
}
