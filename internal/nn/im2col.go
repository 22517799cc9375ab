package nn

// colBudget is the most elements an im2col buffer holds: the batch is
// lowered a few samples at a time so the buffer stays in cache and its
// size does not grow with the batch.
const colBudget = 1 << 18

// samplesPerChunk returns how many samples of perSample col elements fit
// in colBudget (at least one).
func samplesPerChunk(perSample int) int {
	if perSample <= 0 {
		return 1
	}
	return max(1, colBudget/perSample)
}

// im2col lowers samples [n0, n1) of the NHWC image x (h×wd×c each) into
// col, one row per output cell, each row the kernel's window in the
// kernel's (ky, kx, channel) order, with zeros for padding.
func im2col[T float](x []T, h, wd, c int, w Window, oh, ow, n0, n1 int, col []T) {
	kc := w.KW * c
	K := w.KH * kc
	r := 0
	for n := n0; n < n1; n++ {
		img := x[n*h*wd*c : (n+1)*h*wd*c]
		for oy := 0; oy < oh; oy++ {
			y0 := oy*w.StrideH - w.PadTop
			for ox := 0; ox < ow; ox++ {
				x0 := ox*w.StrideW - w.PadLeft
				row := col[r*K : (r+1)*K]
				r++
				for ky := 0; ky < w.KH; ky++ {
					seg := row[ky*kc : (ky+1)*kc]
					iy := y0 + ky*w.DilH
					if iy < 0 || iy >= h {
						clear(seg)
						continue
					}
					line := img[iy*wd*c : (iy+1)*wd*c]
					if w.DilW == 1 {
						lo, hi := max(0, -x0), min(w.KW, wd-x0)
						if lo >= hi {
							clear(seg)
							continue
						}
						clear(seg[:lo*c])
						copy(seg[lo*c:hi*c], line[(x0+lo)*c:(x0+hi)*c])
						clear(seg[hi*c:])
						continue
					}
					for kx := 0; kx < w.KW; kx++ {
						d := seg[kx*c : (kx+1)*c]
						if ix := x0 + kx*w.DilW; ix < 0 || ix >= wd {
							clear(d)
						} else {
							copy(d, line[ix*c:(ix+1)*c])
						}
					}
				}
			}
		}
	}
}

// col2im is im2col's adjoint: it adds every row of col back onto the
// cells of x (samples [n0, n1)) it was read from, dropping the padding.
func col2im[T float](col []T, h, wd, c int, w Window, oh, ow, n0, n1 int, x []T) {
	kc := w.KW * c
	K := w.KH * kc
	r := 0
	for n := n0; n < n1; n++ {
		img := x[n*h*wd*c : (n+1)*h*wd*c]
		for oy := 0; oy < oh; oy++ {
			y0 := oy*w.StrideH - w.PadTop
			for ox := 0; ox < ow; ox++ {
				x0 := ox*w.StrideW - w.PadLeft
				row := col[r*K : (r+1)*K]
				r++
				for ky := 0; ky < w.KH; ky++ {
					iy := y0 + ky*w.DilH
					if iy < 0 || iy >= h {
						continue
					}
					seg := row[ky*kc : (ky+1)*kc]
					line := img[iy*wd*c : (iy+1)*wd*c]
					if w.DilW == 1 {
						lo, hi := max(0, -x0), min(w.KW, wd-x0)
						if lo >= hi {
							continue
						}
						add(line[(x0+lo)*c:(x0+hi)*c], seg[lo*c:hi*c])
						continue
					}
					for kx := 0; kx < w.KW; kx++ {
						if ix := x0 + kx*w.DilW; ix >= 0 && ix < wd {
							add(line[ix*c:(ix+1)*c], seg[kx*c:(kx+1)*c])
						}
					}
				}
			}
		}
	}
}

// add sets dst[i] += src[i].
func add[T float](dst, src []T) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] += v
	}
}
