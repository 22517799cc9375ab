package main

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/gokeras/keras/plots"
)

// The seed 003 figure: predict([10.0]) = 50.98739 after 500 epochs; from
// any glorot_uniform start with zero bias it lands in [50.986, 51.000]
// (../shared/REFERENCE.md, seed 003 row). The loss curve is written as a
// PNG that decodes.
func TestRun(t *testing.T) {
	pred, hist, err := run(context.Background(), 500, 0)
	if err != nil {
		t.Fatal(err)
	}
	if pred < 50.98 || pred > 51.0 {
		t.Errorf("predict(10) = %v, want in [50.98, 51.00]", pred)
	}
	loss := hist.History["loss"]
	if len(loss) != 500 || loss[499] > 1e-3 || loss[499] >= loss[0] {
		t.Errorf("loss history: %d values, first %v, last %v", len(loss), loss[0], loss[len(loss)-1])
	}
	path := filepath.Join(t.TempDir(), "loss.png")
	if err := plots.LossCurve(path, hist.History); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("loss curve is not a PNG: %v", err)
	}
}
