package plots_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gokeras/keras/plots"
)

// LossCurve draws History.History's loss and val_loss against the epoch.
func ExampleLossCurve() {
	dir, _ := os.MkdirTemp("", "plots")
	defer os.RemoveAll(dir)
	history := map[string][]float64{
		"loss":     {0.9, 0.5, 0.3, 0.2},
		"val_loss": {1.0, 0.6, 0.45, 0.4},
	}
	err := plots.LossCurve(filepath.Join(dir, "loss.png"), history)
	fmt.Println(err)
	// Output: <nil>
}
