package main

import "testing"

// The seed 003 figure: predict([10.0]) = 50.98739 after 500 epochs; from
// any glorot_uniform start with zero bias it lands in [50.986, 51.000]
// (../shared/REFERENCE.md, seed 003 row).
func TestRun(t *testing.T) {
	pred, loss, err := run(500, 0)
	if err != nil {
		t.Fatal(err)
	}
	if pred < 50.98 || pred > 51.0 {
		t.Errorf("predict(10) = %v, want in [50.98, 51.00]", pred)
	}
	if loss > 1e-3 {
		t.Errorf("final loss %v, want < 1e-3", loss)
	}
}
