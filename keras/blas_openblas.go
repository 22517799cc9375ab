//go:build openblas

package keras

// #cgo LDFLAGS: -lopenblas
import "C"

import (
	"gonum.org/v1/netlib/blas/netlib"
	G "gorgonia.org/gorgonia"
)

// Built with -tags openblas, every program that imports this package runs
// Gorgonia's matrix products on OpenBLAS (through cgo and gonum's netlib
// bindings) instead of gonum's pure-Go BLAS: 2.5-3x faster on
// matmul-heavy training such as MNIST. It needs a C compiler and the
// OpenBLAS library at build time (Debian: apt-get install
// libopenblas-dev); the default build needs neither.
//
// The choice is made once, here, for the whole process, because that is
// the only choice Gorgonia offers: G.Use sets one package-level BLAS for
// every graph and every tensor operation in the program (it also calls
// tensor.Use), not per model or per machine. So it is a build-time switch
// rather than a Compile option, which could only flip that global under
// every other model of the program.
//
// The cgo directive above links libopenblas, which carries the CBLAS
// symbols that gonum's netlib package calls but does not link itself.
// OPENBLAS_NUM_THREADS sets OpenBLAS's own thread count; for small
// layers, 1 is often fastest, since OpenBLAS's threads spin beside Go's.
func init() {
	G.Use(netlib.Implementation{})
}
