//go:build amd64 && !purego

package gemm

import "golang.org/x/sys/cpu"

//go:generate go run ./asm -out kernel_amd64.s -stubs kernel_stub_amd64.go -pkg gemm

// The AVX2 kernels' tiles: 6 rows of two ymm registers.
const (
	avxMR   = 6
	avxNR32 = 16
	avxNR64 = 8
)

var (
	avx32 = &config[float32]{
		name: "avx2",
		mr:   avxMR, nr: avxNR32,
		kc: 384, mc: 240, nc: 2048,
		kernel: kernelAVX32,
		pack:   packAVX32,
		row:    rowAVX32, rowMin: 3 * avxNR32 / 2, rowMax: 2 * avxNR32,
		packMinM: 1024,
		parMin:   1 << 20,
	}
	avx64 = &config[float64]{
		name: "avx2",
		mr:   avxMR, nr: avxNR64,
		kc: 256, mc: 240, nc: 1024,
		kernel: kernelAVX64,
		pack:   packAVX64,
		row:    rowAVX64, rowMin: 3 * avxNR64 / 2, rowMax: 2 * avxNR64,
		packMinM: 1024,
		parMin:   1 << 20,
	}
)

// hasAVX2 is whether this CPU (and its OS) runs the AVX2+FMA kernels.
var hasAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// active32 and active64 are the configs products run on; tests set them
// to the pure-Go ones to test those on this CPU too.
var (
	active32 = pick(avx32, pureGo32)
	active64 = pick(avx64, pureGo64)
)

func pick[T float](avx, pure *config[T]) *config[T] {
	if hasAVX2 {
		return avx
	}
	return pure
}

func f32Config() *config[float32] { return active32 }
func f64Config() *config[float64] { return active64 }

// The masks of the partial tiles: lane j of the mask loaded from
// &mask32[16-r] is set for j < r.
var (
	mask32 = [32]int32{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}
	mask64 = [16]int64{-1, -1, -1, -1, -1, -1, -1, -1}
)

type asmKernel32 func(k int, a *float32, rsa, csa int, b *float32, rsb int, c *float32, ldc int, alpha, beta float32, mask *int32)
type asmKernel64 func(k int, a *float64, rsa, csa int, b *float64, rsb int, c *float64, ldc int, alpha, beta float64, mask *int64)

// The kernels by rows-1 and column shape (full, tail2, tail1).
var (
	kernels32 = [avxMR][3]asmKernel32{
		{sgemm1xfull, sgemm1xtail2, sgemm1xtail1},
		{sgemm2xfull, sgemm2xtail2, sgemm2xtail1},
		{sgemm3xfull, sgemm3xtail2, sgemm3xtail1},
		{sgemm4xfull, sgemm4xtail2, sgemm4xtail1},
		{sgemm5xfull, sgemm5xtail2, sgemm5xtail1},
		{sgemm6xfull, sgemm6xtail2, sgemm6xtail1},
	}
	kernels64 = [avxMR][3]asmKernel64{
		{dgemm1xfull, dgemm1xtail2, dgemm1xtail1},
		{dgemm2xfull, dgemm2xtail2, dgemm2xtail1},
		{dgemm3xfull, dgemm3xtail2, dgemm3xtail1},
		{dgemm4xfull, dgemm4xtail2, dgemm4xtail1},
		{dgemm5xfull, dgemm5xtail2, dgemm5xtail1},
		{dgemm6xfull, dgemm6xtail2, dgemm6xtail1},
	}
)

// kernelAVX32 is the microKernel of the float32 assembly kernels.
func kernelAVX32(mr, nr, k int, a []float32, rsa, csa int, b []float32, rsb int, c []float32, ldc int, alpha, beta float32) {
	shape, mask := 0, &mask32[0]
	switch {
	case nr == avxNR32:
	case nr > avxNR32/2:
		shape, mask = 1, &mask32[avxNR32+avxNR32/2-nr]
	default:
		shape, mask = 2, &mask32[avxNR32-nr]
	}
	kernels32[mr-1][shape](k, &a[0], rsa*4, csa*4, &b[0], rsb*4, &c[0], ldc*4, alpha, beta, mask)
}

// kernelAVX64 is the microKernel of the float64 assembly kernels.
func kernelAVX64(mr, nr, k int, a []float64, rsa, csa int, b []float64, rsb int, c []float64, ldc int, alpha, beta float64) {
	shape, mask := 0, &mask64[0]
	switch {
	case nr == avxNR64:
	case nr > avxNR64/2:
		shape, mask = 1, &mask64[avxNR64+avxNR64/2-nr]
	default:
		shape, mask = 2, &mask64[avxNR64-nr]
	}
	kernels64[mr-1][shape](k, &a[0], rsa*8, csa*8, &b[0], rsb*8, &c[0], ldc*8, alpha, beta, mask)
}

// rowAVX32 is the rowKernel of the float32 assembly kernels: its fourth
// register is masked to the nr-24 columns it holds.
func rowAVX32(nr, k int, a []float32, csa int, b []float32, rsb int, c []float32, alpha, beta float32) {
	_ = b[nr-1]
	_ = c[nr-1]
	sgemm1xwide(k, &a[0], 0, csa*4, &b[0], rsb*4, &c[0], 0, alpha, beta, &mask32[avxNR32+3*avxNR32/2-nr])
}

// rowAVX64 is the rowKernel of the float64 assembly kernels.
func rowAVX64(nr, k int, a []float64, csa int, b []float64, rsb int, c []float64, alpha, beta float64) {
	_ = b[nr-1]
	_ = c[nr-1]
	dgemm1xwide(k, &a[0], 0, csa*8, &b[0], rsb*8, &c[0], 0, alpha, beta, &mask64[avxNR64+3*avxNR64/2-nr])
}

// packAVX32 is the panelPacker of the float32 assembly kernels.
func packAVX32(nr, kb int, b []float32, ldb int, dst []float32) {
	_ = dst[kb*avxNR32-1]
	if nr == avxNR32 {
		spackB(kb, &b[0], ldb*4, &dst[0], nil)
		return
	}
	spackBMasked(kb, &b[0], ldb*4, &dst[0], &mask32[avxNR32-nr])
}

// packAVX64 is the panelPacker of the float64 assembly kernels.
func packAVX64(nr, kb int, b []float64, ldb int, dst []float64) {
	_ = dst[kb*avxNR64-1]
	if nr == avxNR64 {
		dpackB(kb, &b[0], ldb*8, &dst[0], nil)
		return
	}
	dpackBMasked(kb, &b[0], ldb*8, &dst[0], &mask64[avxNR64-nr])
}
