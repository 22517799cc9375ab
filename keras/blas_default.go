//go:build !openblas && !purego

package keras

import (
	"github.com/gokeras/keras/internal/gemm"
	G "gorgonia.org/gorgonia"
)

// By default every program that imports this package runs Gorgonia's
// matrix products on internal/gemm: gonum's pure-Go BLAS with its Sgemm
// and Dgemm replaced by a blocked product on AVX2+FMA assembly kernels
// (chosen at run time; a pure-Go kernel on other CPUs), 5-10x faster than
// gonum's on this project's layer shapes. It needs no cgo, so
// CGO_ENABLED=0 builds keep it.
//
// As with the openblas tag (blas_openblas.go), the choice is process-wide
// because G.Use is: it sets the one BLAS of every graph and tensor
// operation in the program. Build with -tags openblas to use OpenBLAS
// instead, or -tags purego to keep gonum's BLAS as Gorgonia has it.
func init() {
	G.Use(gemm.Implementation{})
}
