package main

import (
	"math"
	"testing"
)

// Seed 000, "9 lines" single neuron (../shared/REFERENCE.md, row 000
// single neuron): after 10,000 steps from [-0.16595599, 0.44064899,
// -0.99977125] the weights are [9.67299303, -0.2078435, -4.62963669] and
// predict [1, 0, 0] = 0.99993704.
func TestRun(t *testing.T) {
	w, pred, err := run(10000)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{9.67299303, -0.2078435, -4.62963669}
	for i := range want {
		if math.Abs(w[i]-want[i]) > 1e-3 {
			t.Errorf("weight %d = %.6f, want %.8f (±1e-3)", i, w[i], want[i])
		}
	}
	if math.Abs(pred-0.99993704) > 1e-3 {
		t.Errorf("predict [1 0 0] = %.8f, want 0.99993704 (±1e-3)", pred)
	}
}
