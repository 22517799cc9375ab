// Package gemm is a fast general matrix product (SGEMM and DGEMM) in Go,
// for the default build of gokeras, which needs no C compiler.
//
// Implementation is gonum's pure-Go BLAS (gonum.org/v1/gonum/blas/gonum)
// with Sgemm and Dgemm replaced by a blocked product in the manner of
// GotoBLAS and BLIS: B is cut into column panels that stay in the L1
// cache (packed into contiguous memory where that pays: B transposed, or
// many rows of A to share it) while an AVX2+FMA micro-kernel, generated
// in Go assembly with avo (see the asm folder; go generate rebuilds it),
// runs down the rows of A, computing a tile of up to 6 rows by 16 float32
// (or 8 float64) columns in ymm registers per call. The kernels are
// chosen at run time from the CPU's features (golang.org/x/sys/cpu); on
// other CPUs, and with the purego build tag, the same blocking runs a
// pure-Go kernel. Products of a million multiply-adds or more are shared
// with worker goroutines, one per processor (up to four); smaller ones run
// on the calling goroutine. Neither allocates once its buffers are pooled.
// Between products the workers sleep, or, while a caller is inside Hot
// (a training loop), spin for up to a millisecond, so that the next
// product finds them awake.
//
// Its use is to be handed to Gorgonia, which keeps one BLAS for the whole
// process:
//
//	G.Use(gemm.Implementation{})
//
// Every other BLAS routine is gonum's, unchanged.
package gemm
