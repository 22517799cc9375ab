//go:build openblas

package keras

// #cgo LDFLAGS: -lopenblas
import "C"

import (
	"github.com/gokeras/keras/internal/gemm"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/netlib/blas/netlib"
	G "gorgonia.org/gorgonia"
)

// Built with -tags openblas, every program that imports this package runs
// Gorgonia's BLAS calls on OpenBLAS (through cgo and gonum's netlib
// bindings), except the matrix products that internal/gemm computes
// faster (openBLASMin below). It needs a C compiler and the OpenBLAS library
// at build time (Debian: apt-get install libopenblas-dev); the default
// build needs neither.
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
// OPENBLAS_NUM_THREADS sets OpenBLAS's own thread count.
func init() {
	G.Use(openBLAS{})
}

// openBLASMin is the least m·n·k of a product that goes to OpenBLAS.
// Measured on the project's 2-core machine (AVX2/AVX-512, OpenBLAS
// 0.3.21 on 2 threads, float32 GFLOP/s, internal/gemm then OpenBLAS),
// each product alone: the MNIST layers at batch 100 (100×30×784,
// 784×30×100, 100×100×784) 89 and 34, 83 and 24, 100 and 68; a batch of
// 32 through 784-30, 88 and 93; a convolution's im2col product
// (2048×64×288) 159 and 162 and its weight gradient 143 and 132; 512³
// 174 and 199; 1024³ 199 and 206. So OpenBLAS is ahead only on large
// products, and in a model's training not even there: its threads
// spin-wait between calls beside Go's, and with products from 2^25 on
// going to OpenBLAS an LSTM(64) epoch (weight gradients of 64×256×3200)
// took 3.6 s against 2.6 s. With more cores than internal/gemm's four
// goroutines, OpenBLAS's threads pay on the largest products.
const openBLASMin = 1 << 28

// openBLAS is OpenBLAS with the smaller matrix products on internal/gemm.
type openBLAS struct{ netlib.Implementation }

// Sgemm is OpenBLAS's for products of at least openBLASMin terms, else
// internal/gemm's.
func (openBLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m*n*k >= openBLASMin {
		netlib.Implementation{}.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemm.Implementation{}.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm is Sgemm in float64.
func (openBLAS) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if m*n*k >= openBLASMin {
		netlib.Implementation{}.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemm.Implementation{}.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
