package gemm

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// benchShapes are the products of this project's workloads: the MNIST
// MLPs' forward and backward products at batch 100, prediction at batch
// 32 and 1, a convolution's im2col product (a batch of 8 16×16 maps,
// 3×3×32 patches, 64 filters) and its weight gradient, 512³, and the
// tiny products of the moons net (300 samples, 2-3-2) and of 5X+1.
var benchShapes = []struct {
	name    string
	tA, tB  blas.Transpose
	m, n, k int
}{
	{"mnist30_fwd", blas.NoTrans, blas.NoTrans, 100, 30, 784},
	{"mnist30_dW", blas.Trans, blas.NoTrans, 784, 30, 100},
	{"mnist100_fwd", blas.NoTrans, blas.NoTrans, 100, 100, 784},
	{"mnist100_dW", blas.Trans, blas.NoTrans, 784, 100, 100},
	{"mnist100_dX", blas.NoTrans, blas.Trans, 100, 784, 100},
	{"mnist30_out", blas.NoTrans, blas.NoTrans, 100, 10, 30},
	{"mnist30_dW2", blas.Trans, blas.NoTrans, 30, 10, 100},
	{"mnist30_dh", blas.NoTrans, blas.Trans, 100, 30, 10},
	{"predict32", blas.NoTrans, blas.NoTrans, 32, 30, 784},
	{"predict1", blas.NoTrans, blas.NoTrans, 1, 30, 784},
	{"predict1_out", blas.NoTrans, blas.NoTrans, 1, 10, 30},
	{"conv128", blas.NoTrans, blas.NoTrans, 128, 64, 288},
	{"conv_im2col", blas.NoTrans, blas.NoTrans, 2048, 64, 288},
	{"conv_dW", blas.Trans, blas.NoTrans, 288, 64, 2048},
	{"square512", blas.NoTrans, blas.NoTrans, 512, 512, 512},
	{"moons_fwd", blas.NoTrans, blas.NoTrans, 300, 3, 2},
	{"moons_dW", blas.Trans, blas.NoTrans, 2, 3, 300},
	{"moons_dh", blas.NoTrans, blas.Trans, 300, 3, 2},
	{"linear", blas.NoTrans, blas.NoTrans, 32, 1, 1},
}

func BenchmarkSgemm(b *testing.B) {
	for _, s := range benchShapes {
		for _, impl := range []struct {
			name string
			blas blas.Float32
		}{{"gokeras", Implementation{}}, {"gonum", gonum.Implementation{}}} {
			b.Run(fmt.Sprintf("%s/%s", s.name, impl.name), func(b *testing.B) {
				x, lda, y, ldb, c, ldc := benchOperands[float32](s.tA, s.tB, s.m, s.n, s.k)
				b.ReportAllocs()
				for b.Loop() {
					impl.blas.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, x, lda, y, ldb, 0, c, ldc)
				}
				reportGFLOPS(b, s.m, s.n, s.k)
			})
		}
	}
}

func BenchmarkDgemm(b *testing.B) {
	for _, s := range benchShapes {
		for _, impl := range []struct {
			name string
			blas blas.Float64
		}{{"gokeras", Implementation{}}, {"gonum", gonum.Implementation{}}} {
			b.Run(fmt.Sprintf("%s/%s", s.name, impl.name), func(b *testing.B) {
				x, lda, y, ldb, c, ldc := benchOperands[float64](s.tA, s.tB, s.m, s.n, s.k)
				b.ReportAllocs()
				for b.Loop() {
					impl.blas.Dgemm(s.tA, s.tB, s.m, s.n, s.k, 1, x, lda, y, ldb, 0, c, ldc)
				}
				reportGFLOPS(b, s.m, s.n, s.k)
			})
		}
	}
}

func benchOperands[T float](tA, tB blas.Transpose, m, n, k int) (a []T, lda int, b []T, ldb int, c []T, ldc int) {
	lda, ldb, ldc = k, n, n
	if tA == blas.Trans {
		lda = m
	}
	if tB == blas.Trans {
		ldb = k
	}
	a, b, c = make([]T, m*k), make([]T, k*n), make([]T, m*n)
	for i := range a {
		a[i] = T(i%7) - 3
	}
	for i := range b {
		b[i] = T(i%5) - 2
	}
	return a, lda, b, ldb, c, ldc
}

func reportGFLOPS(b *testing.B, m, n, k int) {
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/float64(b.Elapsed().Nanoseconds()), "GFLOP/s")
}
