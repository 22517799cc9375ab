package gemm

import "sync"

// float is the element type of a product.
type float interface{ ~float32 | ~float64 }

// microKernel computes one tile of C = alpha*A*B + beta*C: mr ≤ MR rows and
// nr ≤ NR columns, summing over k ≥ 1 terms. Element A[i][p] is
// a[i*rsa+p*csa], B[p][j] is b[p*rsb+j] and C[i][j] is c[i*ldc+j]. It reads
// only those elements, and reads no C when beta is zero.
type microKernel[T float] func(mr, nr, k int, a []T, rsa, csa int, b []T, rsb int, c []T, ldc int, alpha, beta T)

// panelPacker copies kb rows of the nr ≤ NR leading columns of a row-major
// B (row stride ldb) into dst, row after row with stride NR, and zeroes
// the NR-nr columns after them.
type panelPacker[T float] func(nr, kb int, b []T, ldb int, dst []T)

// rowKernel computes columns [0, nr) of a one-row C = alpha*A*B + beta*C,
// nr in (rowMin, rowMax], with A[p] = a[p*csa] and B[p][j] = b[p*rsb+j].
type rowKernel[T float] func(nr, k int, a []T, csa int, b []T, rsb int, c []T, alpha, beta T)

// config is one way of running products of one element type: a kernel
// and the blocking that suits it.
type config[T float] struct {
	name   string
	mr, nr int // the kernel's largest tile
	// kc is the most terms of k one pass sums (the packed B panel is
	// kc×nr, to stay in L1), mc the most rows of A a pass runs over
	// (to stay in L2), nc the most columns of B packed at once.
	kc, mc, nc int
	kernel     microKernel[T]
	pack       panelPacker[T]
	// row, when there is one, runs one-row products (m = 1) where B is
	// read in place, rowMax columns at a time, leaving the kernel only
	// the last rowMin columns or fewer.
	row            rowKernel[T]
	rowMin, rowMax int
	// packMinM is the least m for which an untransposed B is packed
	// rather than read in place: below it, B's panels are used too few
	// times to repay the copy.
	packMinM int
	// parMin is the least m*n*k worth splitting between goroutines.
	parMin int
	bufs   sync.Pool // of *[]T, the packed panels of one goroutine
}

// problem is one product C = alpha*op(A)*op(B) + beta*C, or the part of
// one that a goroutine computes.
type problem[T float] struct {
	aT, bT      bool
	m, n, k     int
	alpha, beta T
	a, b, c     []T
	lda, ldb    int
	ldc         int
}

// gemm runs a product whose arguments checkGemm has accepted.
func gemm[T float](cfg *config[T], aT, bT bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if alpha == 0 || k == 0 {
		if beta != 1 {
			scale(m, n, beta, c, ldc)
		}
		return
	}
	p := problem[T]{aT: aT, bT: bT, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc}
	if m*n*k >= cfg.parMin {
		if parts := procs(); parts > 1 {
			parallel(cfg, &p, parts)
			return
		}
	}
	cfg.run(&p)
}

// scale sets C = beta*C, writing zeros without reading C when beta is
// zero.
func scale[T float](m, n int, beta T, c []T, ldc int) {
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
}

// rows is the part of p made of rows [i0, i1) of C.
func (p *problem[T]) rows(i0, i1 int) problem[T] {
	q := *p
	q.m = i1 - i0
	if p.aT {
		q.a = p.a[i0:]
	} else {
		q.a = p.a[i0*p.lda:]
	}
	q.c = p.c[i0*p.ldc:]
	return q
}

// cols is the part of p made of columns [j0, j1) of C.
func (p *problem[T]) cols(j0, j1 int) problem[T] {
	q := *p
	q.n = j1 - j0
	if p.bT {
		q.b = p.b[j0*p.ldb:]
	} else {
		q.b = p.b[j0:]
	}
	q.c = p.c[j0:]
	return q
}

// run computes p on the calling goroutine.
//
// The loops are BLIS's: for each block of nc columns of B and kc terms of
// k, B's block is packed (when that pays) into panels of NR columns;
// each panel then stays in L1 while the kernel walks down a block of mc
// rows of A, tile by tile. A is read in place with its own strides: each
// kernel call reads its rows (or, transposed, its columns) in order,
// which the prefetchers follow, so A is never copied.
func (cfg *config[T]) run(p *problem[T]) {
	MR, NR := cfg.mr, cfg.nr
	// Passes over k of equal length, so no pass is a short remainder.
	passes := (p.k + cfg.kc - 1) / cfg.kc
	kc := (p.k + passes - 1) / passes
	nc := min(cfg.nc, roundUp(p.n, NR))

	pack := cfg.packs(p)
	if p.m == 1 && !pack && cfg.row != nil {
		cfg.runRow(p, kc)
		return
	}
	var bp *[]T
	if pack {
		bp = cfg.buffer(kc * nc)
		defer cfg.bufs.Put(bp)
	}
	for jc := 0; jc < p.n; jc += nc {
		nb := min(nc, p.n-jc)
		for pc := 0; pc < p.k; pc += kc {
			kb := min(kc, p.k-pc)
			beta := p.beta
			if pc > 0 {
				beta = 1
			}
			if pack {
				cfg.packB(*bp, p, pc, jc, kb, nb)
			}
			for ic := 0; ic < p.m; ic += cfg.mc {
				mb := min(cfg.mc, p.m-ic)
				for jr := 0; jr < nb; jr += NR {
					nr := min(NR, nb-jr)
					var b []T
					rsb := NR
					if pack {
						b = (*bp)[jr*kb:]
					} else {
						b = p.b[pc*p.ldb+jc+jr:]
						rsb = p.ldb
					}
					for ir := 0; ir < mb; ir += MR {
						i := ic + ir
						var a []T
						var rsa, csa int
						if p.aT {
							a, rsa, csa = p.a[pc*p.lda+i:], 1, p.lda
						} else {
							a, rsa, csa = p.a[i*p.lda+pc:], p.lda, 1
						}
						cfg.kernel(min(MR, mb-ir), nr, kb, a, rsa, csa, b, rsb, p.c[i*p.ldc+jc+jr:], p.ldc, p.alpha, beta)
					}
				}
			}
		}
	}
}

// runRow computes a one-row p with passes of kc terms.
func (cfg *config[T]) runRow(p *problem[T], kc int) {
	csa := 1
	if p.aT {
		csa = p.lda
	}
	for pc := 0; pc < p.k; pc += kc {
		kb := min(kc, p.k-pc)
		beta := p.beta
		if pc > 0 {
			beta = 1
		}
		a := p.a[pc*csa:]
		b := p.b[pc*p.ldb:]
		j := 0
		for ; p.n-j > cfg.rowMin; j += cfg.rowMax {
			cfg.row(min(cfg.rowMax, p.n-j), kb, a, csa, b[j:], p.ldb, p.c[j:], p.alpha, beta)
		}
		for ; j < p.n; j += cfg.nr {
			cfg.kernel(1, min(cfg.nr, p.n-j), kb, a, 1, csa, b[j:], p.ldb, p.c[j:], p.ldc, p.alpha, beta)
		}
	}
}

// packs is whether run packs B for p.
func (cfg *config[T]) packs(p *problem[T]) bool { return p.bT || p.m >= cfg.packMinM }

// buffer is a slice of at least n elements from the pool.
func (cfg *config[T]) buffer(n int) *[]T {
	bp, _ := cfg.bufs.Get().(*[]T)
	if bp == nil {
		bp = new([]T)
	}
	if cap(*bp) < n {
		*bp = make([]T, n)
	}
	*bp = (*bp)[:cap(*bp)]
	return bp
}

// packB packs rows [pc, pc+kb) and columns [jc, jc+nb) of op(B) into dst
// as panels of NR columns, each kb×NR, one after the other.
func (cfg *config[T]) packB(dst []T, p *problem[T], pc, jc, kb, nb int) {
	NR := cfg.nr
	for jr := 0; jr < nb; jr += NR {
		nr := min(NR, nb-jr)
		d := dst[jr*kb : jr*kb+kb*NR]
		j := jc + jr
		if !p.bT {
			cfg.pack(nr, kb, p.b[pc*p.ldb+j:], p.ldb, d)
			continue
		}
		// Column j of op(B) is row j of B: read four of them in order,
		// write each step's four values side by side.
		jj := 0
		for ; jj+4 <= nr; jj += 4 {
			r0 := p.b[(j+jj)*p.ldb+pc:][:kb]
			r1 := p.b[(j+jj+1)*p.ldb+pc:][:kb]
			r2 := p.b[(j+jj+2)*p.ldb+pc:][:kb]
			r3 := p.b[(j+jj+3)*p.ldb+pc:][:kb]
			for q := range r0 {
				o := d[q*NR+jj : q*NR+jj+4 : q*NR+jj+4]
				o[0], o[1], o[2], o[3] = r0[q], r1[q], r2[q], r3[q]
			}
		}
		for ; jj < nr; jj++ {
			col := p.b[(j+jj)*p.ldb+pc:][:kb]
			for q, v := range col {
				d[q*NR+jj] = v
			}
		}
		if nr < NR {
			for q := 0; q < kb; q++ {
				clear(d[q*NR+nr : (q+1)*NR])
			}
		}
	}
}

// packGo is the pure-Go panelPacker.
func packGo[T float](NR int) panelPacker[T] {
	return func(nr, kb int, b []T, ldb int, dst []T) {
		for q := 0; q < kb; q++ {
			d := dst[q*NR : (q+1)*NR]
			copy(d, b[q*ldb:q*ldb+nr])
			clear(d[nr:])
		}
	}
}

func roundUp(x, to int) int { return (x + to - 1) / to * to }
