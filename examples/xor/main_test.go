package main

import (
	"math"
	"testing"
)

// Seed 000, "neural network in 11 lines" (../shared/REFERENCE.md, row 000
// "11 lines"): the loss falls near 0 and the predictions round to the
// targets. From the seed's numpy random.seed(1) weights the figures are
// also those printed in Trask's original post: the two-layer net's output
// after 10,000 steps [0.00966449, 0.00786506, 0.99358898, 0.99211957] and
// the three-layer net's errors 0.496410031903 (step 0) and
// 0.00858452565325 (step 10,000). The test stops the three-layer net at
// 20,000 steps of the seed's 60,000 to stay fast.
func TestRun(t *testing.T) {
	r, err := run(10000, 20000)
	if err != nil {
		t.Fatal(err)
	}
	want2 := []float64{0.00966449, 0.00786506, 0.99358898, 0.99211957}
	for i, w := range want2 {
		if math.Abs(r.Pred2[i]-w) > 1e-4 {
			t.Errorf("two-layer prediction %d = %.8f, want %.8f (±1e-4)", i, r.Pred2[i], w)
		}
	}
	if r.Loss2 > 1e-3 {
		t.Errorf("two-layer final loss %v, want < 1e-3", r.Loss2)
	}
	wantErr := []float64{0.496410031903, 0.00858452565325}
	if len(r.MAE3) < len(wantErr) {
		t.Fatalf("got %d error reports, want at least %d", len(r.MAE3), len(wantErr))
	}
	for i, w := range wantErr {
		if math.Abs(r.MAE3[i]-w) > 1e-4 {
			t.Errorf("three-layer error after %d steps = %.8f, want %.8f (±1e-4)", i*report, r.MAE3[i], w)
		}
	}
	if r.Loss3 > 1e-3 {
		t.Errorf("three-layer final loss %v, want < 1e-3", r.Loss3)
	}
	for i, target := range []float64{0, 1, 1, 0} {
		if math.Round(r.Pred3[i]) != target {
			t.Errorf("three-layer prediction %d = %.4f does not round to %v", i, r.Pred3[i], target)
		}
	}
}
