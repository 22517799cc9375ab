//go:build !openblas && !purego

package keras

import (
	"fmt"
	"testing"

	G "gorgonia.org/gorgonia"
)

// TestDefaultBLASInUse checks that the default build switched Gorgonia's
// process-wide BLAS to internal/gemm, so models and benchmarks run on it.
func TestDefaultBLASInUse(t *testing.T) {
	if got, want := fmt.Sprintf("%T", G.WhichBLAS()), "gemm.Implementation"; got != want {
		t.Fatalf("G.WhichBLAS() is a %s, want %s", got, want)
	}
}
