//go:build openblas

package keras

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/blas"
	G "gorgonia.org/gorgonia"
)

// TestOpenBLASInUse checks that the openblas build tag really switched
// Gorgonia's process-wide BLAS, so a benchmark run with the tag measures
// OpenBLAS and not gonum's Go BLAS.
func TestOpenBLASInUse(t *testing.T) {
	if got, want := fmt.Sprintf("%T", G.WhichBLAS()), "keras.openBLAS"; got != want {
		t.Fatalf("G.WhichBLAS() is a %s, want %s (built with -tags openblas)", got, want)
	}
}

// TestOpenBLASProducts checks products on both sides of openBLASMin
// (so on both libraries), with transposes, against a plain loop.
func TestOpenBLASProducts(t *testing.T) {
	for _, s := range []struct {
		tA, tB  blas.Transpose
		m, n, k int
	}{
		{blas.NoTrans, blas.NoTrans, 100, 30, 784},
		{blas.Trans, blas.NoTrans, 784, 30, 100},
		{blas.NoTrans, blas.Trans, 7, 5, 3},
		{blas.Trans, blas.Trans, 300, 400, 300},
		{blas.NoTrans, blas.NoTrans, 1024, 512, 512}, // openBLASMin
	} {
		lda, ldb := s.k, s.n
		if s.tA == blas.Trans {
			lda = s.m
		}
		if s.tB == blas.Trans {
			ldb = s.k
		}
		a, b := make([]float64, s.m*s.k), make([]float64, s.k*s.n)
		a32, b32 := make([]float32, len(a)), make([]float32, len(b))
		for i := range a {
			a32[i] = float32(math.Sin(float64(i)))
			a[i] = float64(a32[i])
		}
		for i := range b {
			b32[i] = float32(math.Cos(float64(i)))
			b[i] = float64(b32[i])
		}
		at := func(i, p int) float64 {
			if s.tA == blas.Trans {
				return a[p*lda+i]
			}
			return a[i*lda+p]
		}
		bt := func(p, j int) float64 {
			if s.tB == blas.Trans {
				return b[j*ldb+p]
			}
			return b[p*ldb+j]
		}
		got := make([]float64, s.m*s.n)
		openBLAS{}.Dgemm(s.tA, s.tB, s.m, s.n, s.k, 1.5, a, lda, b, ldb, 0, got, s.n)
		got32 := make([]float32, s.m*s.n)
		openBLAS{}.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1.5, a32, lda, b32, ldb, 0, got32, s.n)
		for i := 0; i < s.m; i++ {
			for j := 0; j < s.n; j++ {
				var want float64
				for p := 0; p < s.k; p++ {
					want += at(i, p) * bt(p, j)
				}
				want *= 1.5
				tol := 1e-6 * float64(s.k)
				if g := got[i*s.n+j]; math.Abs(g-want) > 1e-12*float64(s.k) {
					t.Fatalf("%v: Dgemm C[%d][%d] = %v, want %v", s, i, j, g, want)
				}
				if g := float64(got32[i*s.n+j]); math.Abs(g-want) > tol {
					t.Fatalf("%v: Sgemm C[%d][%d] = %v, want %v", s, i, j, g, want)
				}
			}
		}
	}
}
