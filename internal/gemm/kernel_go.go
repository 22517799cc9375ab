package gemm

// The pure-Go kernel's tile is goMR×goNR; it keeps 2×4 blocks of C in
// scalar registers (8 accumulators, 2 values of A, 4 of B: within the 16
// float registers of amd64 and arm64).
const (
	goMR = 4
	goNR = 8
)

// goConfig is the blocking for the pure-Go kernel.
func goConfig[T float](name string) *config[T] {
	return &config[T]{
		name: name,
		mr:   goMR, nr: goNR,
		kc: 256, mc: 128, nc: 1024,
		kernel:   kernelGo[T],
		pack:     packGo[T](goNR),
		packMinM: 4 * goMR,
		parMin:   1 << 20,
	}
}

var (
	pureGo32 = goConfig[float32]("go")
	pureGo64 = goConfig[float64]("go")
)

// kernelGo is the pure-Go microKernel, for tiles of up to goMR×goNR.
func kernelGo[T float](mr, nr, k int, a []T, rsa, csa int, b []T, rsb int, c []T, ldc int, alpha, beta T) {
	var acc [goMR * goNR]T
	for i0 := 0; i0 < mr; i0 += 2 {
		for j0 := 0; j0 < nr; j0 += 4 {
			if i0+2 <= mr && j0+4 <= nr {
				block2x4(k, a[i0*rsa:], rsa, csa, b[j0:], rsb, acc[i0*goNR+j0:])
				continue
			}
			for i := i0; i < min(i0+2, mr); i++ {
				for j := j0; j < min(j0+4, nr); j++ {
					var s T
					for p := 0; p < k; p++ {
						s += a[i*rsa+p*csa] * b[p*rsb+j]
					}
					acc[i*goNR+j] = s
				}
			}
		}
	}
	for i := 0; i < mr; i++ {
		row := c[i*ldc : i*ldc+nr]
		sum := acc[i*goNR : i*goNR+nr]
		if beta == 0 {
			for j, s := range sum {
				row[j] = alpha * s
			}
			continue
		}
		for j, s := range sum {
			row[j] = alpha*s + beta*row[j]
		}
	}
}

// block2x4 sums k terms of a 2×4 block into acc (rows goNR apart).
func block2x4[T float](k int, a []T, rsa, csa int, b []T, rsb int, acc []T) {
	var c00, c01, c02, c03, c10, c11, c12, c13 T
	ia, ib := 0, 0
	for p := 0; p < k; p++ {
		a0, a1 := a[ia], a[ia+rsa]
		bb := b[ib : ib+4 : ib+4]
		b0, b1, b2, b3 := bb[0], bb[1], bb[2], bb[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		ia += csa
		ib += rsb
	}
	acc[0], acc[1], acc[2], acc[3] = c00, c01, c02, c03
	acc[goNR], acc[goNR+1], acc[goNR+2], acc[goNR+3] = c10, c11, c12, c13
}
