//go:build openblas

package keras

import (
	"fmt"
	"testing"

	G "gorgonia.org/gorgonia"
)

// TestOpenBLASInUse checks that the openblas build tag really switched
// Gorgonia's process-wide BLAS, so a benchmark run with the tag measures
// OpenBLAS and not gonum's Go BLAS.
func TestOpenBLASInUse(t *testing.T) {
	if got, want := fmt.Sprintf("%T", G.WhichBLAS()), "netlib.Implementation"; got != want {
		t.Fatalf("G.WhichBLAS() is a %s, want %s (built with -tags openblas)", got, want)
	}
}
