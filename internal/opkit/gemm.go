package opkit

import (
	"unsafe"

	"gonum.org/v1/gonum/blas"
	G "gorgonia.org/gorgonia"
)

// Float is the element type of the ops' kernels.
type Float interface{ ~float32 | ~float64 }

// Gemm computes c = op(a)·op(b) + beta·c on row-major matrices, where
// op(a) is m×k and op(b) is k×n, through Gorgonia's BLAS
// (G.WhichBLAS), so that a faster implementation installed with G.Use is
// the one used. With k = 0 there is nothing to multiply and c becomes
// beta·c, a beta of 0 setting it to zero, as BLAS defines it; the BLAS
// is then not called, since gonum's rejects a leading dimension of 0.
func Gemm[T Float](transA, transB bool, m, n, k int, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if beta == 1 {
			return
		}
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			if beta == 0 {
				clear(row)
				continue
			}
			for j := range row {
				row[j] *= beta
			}
		}
		return
	}
	ta, tb := blas.NoTrans, blas.NoTrans
	if transA {
		ta = blas.Trans
	}
	if transB {
		tb = blas.Trans
	}
	impl := G.WhichBLAS()
	// A pointer, unlike a slice, goes into an interface without an
	// allocation.
	switch any(&c[0]).(type) {
	case *float32:
		impl.Sgemm(ta, tb, m, n, k, 1, cast[float32](a), lda, cast[float32](b), ldb, float32(beta), cast[float32](c), ldc)
	case *float64:
		impl.Dgemm(ta, tb, m, n, k, 1, cast[float64](a), lda, cast[float64](b), ldb, float64(beta), cast[float64](c), ldc)
	}
}

// cast reinterprets s as a slice of U, which must be T's underlying type.
func cast[U, T Float](s []T) []U {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*U)(unsafe.Pointer(&s[0])), len(s))
}
