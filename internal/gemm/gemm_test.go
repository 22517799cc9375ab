package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// configs runs f once with every kernel this CPU can run active: the
// assembly one where there is one, and always the pure-Go one.
func configs(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	saved32, saved64 := active32, active64
	defer func() { active32, active64 = saved32, saved64 }()
	seen := map[string]bool{}
	for _, c := range []struct {
		c32 *config[float32]
		c64 *config[float64]
	}{{saved32, saved64}, {pureGo32, pureGo64}} {
		if seen[c.c32.name] {
			continue
		}
		seen[c.c32.name] = true
		active32, active64 = c.c32, c.c64
		t.Run(c.c32.name, f)
	}
}

// gemmCase is one product to check, with the padding of each leading
// dimension beyond the least it may be.
type gemmCase struct {
	tA, tB           blas.Transpose
	m, n, k          int
	padA, padB, padC int
	alpha, beta      float64
}

func (c gemmCase) String() string {
	return fmt.Sprintf("%c%c/%dx%dx%d/pad%d,%d,%d/a%g,b%g", c.tA, c.tB, c.m, c.n, c.k, c.padA, c.padB, c.padC, c.alpha, c.beta)
}

// sentinel marks the elements of C outside the m×n matrix, which a
// product must leave alone.
const sentinel = -12345

// operands makes the random A, B and C of c, with NaN in C where beta is
// zero (a product must not read it then) and sentinel in C's padding.
func operands[T float](c gemmCase, rng *rand.Rand) (a []T, lda int, b []T, ldb int, cm []T, ldc int) {
	ar, ac := c.m, c.k
	if c.tA != blas.NoTrans {
		ar, ac = c.k, c.m
	}
	br, bc := c.k, c.n
	if c.tB != blas.NoTrans {
		br, bc = c.n, c.k
	}
	lda, ldb, ldc = max(1, ac+c.padA), max(1, bc+c.padB), max(1, c.n+c.padC)
	fill := func(rows, ld int) []T {
		s := make([]T, rows*ld)
		for i := range s {
			s[i] = T(rng.Float64()*2 - 1)
		}
		return s
	}
	a, b = fill(ar, lda), fill(br, ldb)
	cm = fill(c.m, ldc)
	for i := 0; i < c.m; i++ {
		for j := 0; j < ldc; j++ {
			switch {
			case j >= c.n:
				cm[i*ldc+j] = sentinel
			case c.beta == 0:
				cm[i*ldc+j] = T(math.NaN())
			}
		}
	}
	return a, lda, b, ldb, cm, ldc
}

// checkGemmCase runs c with ours and with gonum's BLAS and compares the
// results element by element, within the rounding error of a k-term sum
// in either order: (k+4) ulps of the sum of the terms' magnitudes.
func checkGemmCase[T float](t *testing.T, c gemmCase, rng *rand.Rand, eps float64, run, ref func(c gemmCase, a []T, lda int, b []T, ldb int, cm []T, ldc int)) {
	t.Helper()
	a, lda, b, ldb, got, ldc := operands[T](c, rng)
	want := append([]T(nil), got...)
	run(c, a, lda, b, ldb, got, ldc)
	ref(c, a, lda, b, ldb, want, ldc)
	at := func(i, p int) float64 {
		if c.tA != blas.NoTrans {
			return float64(a[p*lda+i])
		}
		return float64(a[i*lda+p])
	}
	bt := func(p, j int) float64 {
		if c.tB != blas.NoTrans {
			return float64(b[j*ldb+p])
		}
		return float64(b[p*ldb+j])
	}
	for i := 0; i < c.m; i++ {
		for j := 0; j < ldc; j++ {
			g, w := float64(got[i*ldc+j]), float64(want[i*ldc+j])
			if j >= c.n {
				if g != sentinel {
					t.Fatalf("%v: C[%d][%d] in the padding changed to %g", c, i, j, g)
				}
				continue
			}
			mag := 0.0
			for p := 0; p < c.k; p++ {
				mag += math.Abs(at(i, p) * bt(p, j))
			}
			mag = math.Abs(c.alpha)*mag + 1
			if c.beta != 0 {
				mag += math.Abs(c.beta * w)
			}
			if math.IsNaN(g) || math.Abs(g-w) > float64(c.k+4)*eps*mag {
				t.Fatalf("%v: C[%d][%d] = %g, gonum %g", c, i, j, g, w)
			}
		}
	}
}

func sgemm(impl blas.Float32) func(c gemmCase, a []float32, lda int, b []float32, ldb int, cm []float32, ldc int) {
	return func(c gemmCase, a []float32, lda int, b []float32, ldb int, cm []float32, ldc int) {
		impl.Sgemm(c.tA, c.tB, c.m, c.n, c.k, float32(c.alpha), a, lda, b, ldb, float32(c.beta), cm, ldc)
	}
}

func dgemm(impl blas.Float64) func(c gemmCase, a []float64, lda int, b []float64, ldb int, cm []float64, ldc int) {
	return func(c gemmCase, a []float64, lda int, b []float64, ldb int, cm []float64, ldc int) {
		impl.Dgemm(c.tA, c.tB, c.m, c.n, c.k, c.alpha, a, lda, b, ldb, c.beta, cm, ldc)
	}
}

const (
	eps32 = 0x1p-23
	eps64 = 0x1p-52
)

var transposes = []blas.Transpose{blas.NoTrans, blas.Trans}

// TestGemmShapes covers every tile shape of both kernels: sizes around
// each multiple of the tile, every transpose, padded and tight leading
// dimensions, and the scalars that take special paths.
func TestGemmShapes(t *testing.T) {
	sizes := []int{1, 2, 3, 5, 6, 7, 8, 9, 13, 15, 16, 17, 25, 33}
	scalars := [][2]float64{{1, 0}, {-0.5, 1}, {2, 0.75}, {0, 0.5}, {0, 0}}
	configs(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		var cases []gemmCase
		for _, m := range sizes {
			for _, n := range sizes {
				k := sizes[(m+n)%len(sizes)]
				for _, tA := range transposes {
					for _, tB := range transposes {
						s := scalars[(m*3+n+int(tA)+int(tB))%len(scalars)]
						cases = append(cases, gemmCase{tA: tA, tB: tB, m: m, n: n, k: k,
							padA: m % 3, padB: n % 2, padC: (m + n) % 3, alpha: s[0], beta: s[1]})
					}
				}
			}
		}
		for _, c := range cases {
			checkGemmCase(t, c, rng, eps32, sgemm(Implementation{}), sgemm(gonum.Implementation{}))
			checkGemmCase(t, c, rng, eps64, dgemm(Implementation{}), dgemm(gonum.Implementation{}))
		}
	})
}

// TestGemmWorkloads checks the products of this project's models and
// others large enough to be blocked over k, to pack an untransposed B and
// to be split between goroutines, with each scalar pair.
func TestGemmWorkloads(t *testing.T) {
	shapes := []struct {
		name    string
		tA, tB  blas.Transpose
		m, n, k int
	}{
		{"mnist forward", blas.NoTrans, blas.NoTrans, 100, 30, 784},
		{"mnist dW", blas.Trans, blas.NoTrans, 784, 30, 100},
		{"mnist dX", blas.NoTrans, blas.Trans, 100, 784, 30},
		{"hidden 100", blas.NoTrans, blas.NoTrans, 100, 100, 784},
		{"predict 1", blas.NoTrans, blas.NoTrans, 1, 30, 784},
		{"predict 32", blas.NoTrans, blas.NoTrans, 32, 30, 784},
		{"conv", blas.NoTrans, blas.NoTrans, 128, 64, 288},
		{"conv dW", blas.Trans, blas.NoTrans, 288, 64, 128},
		{"tall", blas.Trans, blas.Trans, 301, 7, 530},
		{"wide", blas.Trans, blas.Trans, 5, 1030, 97},
		{"long k", blas.NoTrans, blas.Trans, 13, 29, 2100},
		{"one row", blas.NoTrans, blas.NoTrans, 1, 100, 300},
		{"one row tA", blas.Trans, blas.NoTrans, 1, 57, 1000},
		{"one row tB", blas.NoTrans, blas.Trans, 1, 31, 40},
		{"packed", blas.NoTrans, blas.NoTrans, 1030, 37, 50},
		{"packed tA", blas.Trans, blas.NoTrans, 1100, 8, 9},
	}
	scalars := [][2]float64{{1, 0}, {1.5, -1}, {-1, 0.25}}
	configs(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, s := range shapes {
			for _, sc := range scalars {
				c := gemmCase{tA: s.tA, tB: s.tB, m: s.m, n: s.n, k: s.k, padA: 1, padC: 2, alpha: sc[0], beta: sc[1]}
				checkGemmCase(t, c, rng, eps32, sgemm(Implementation{}), sgemm(gonum.Implementation{}))
				checkGemmCase(t, c, rng, eps64, dgemm(Implementation{}), dgemm(gonum.Implementation{}))
			}
		}
	})
}

// TestGemmParallelPieces splits products into more pieces than this
// machine's processors, whether or not a worker is free, and checks
// every piece lands where it belongs.
func TestGemmParallelPieces(t *testing.T) {
	configs(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, parts := range []int{2, 3, 4} {
			for _, sh := range [][3]int{{97, 45, 33}, {7, 200, 19}, {60, 16, 5}, {1, 1, 1}} {
				c := gemmCase{tA: blas.Trans, tB: blas.NoTrans, m: sh[0], n: sh[1], k: sh[2], padC: 1, alpha: 1, beta: 0.5}
				run := func(c gemmCase, a []float32, lda int, b []float32, ldb int, cm []float32, ldc int) {
					p := problem[float32]{aT: true, m: c.m, n: c.n, k: c.k, alpha: 1, beta: 0.5,
						a: a, lda: lda, b: b, ldb: ldb, c: cm, ldc: ldc}
					parallel(f32Config(), &p, parts)
				}
				t.Run(fmt.Sprintf("%d/%v", parts, sh), func(t *testing.T) {
					checkGemmCase(t, c, rng, eps32, run, sgemm(gonum.Implementation{}))
				})
			}
		}
	})
}

// TestGemmConcurrent runs large products from several goroutines at once,
// so the workers are busy and callers must run parts themselves.
func TestGemmConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	c := gemmCase{tA: blas.NoTrans, tB: blas.NoTrans, m: 100, n: 100, k: 300, alpha: 1}
	a, lda, b, ldb, want, ldc := operands[float32](c, rng)
	sgemm(gonum.Implementation{})(c, a, lda, b, ldb, want, ldc)
	errs := make(chan error, 8)
	for g := 0; g < cap(errs); g++ {
		go func() {
			got := make([]float32, len(want))
			for range 20 {
				Implementation{}.Sgemm(c.tA, c.tB, c.m, c.n, c.k, 1, a, lda, b, ldb, 0, got, ldc)
				for i := range got {
					if d := math.Abs(float64(got[i] - want[i])); d > 1e-3 {
						errs <- fmt.Errorf("C[%d] = %g, want %g", i, got[i], want[i])
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestGemmBadArguments checks that ours panics exactly where gonum's does,
// with the same message.
func TestGemmBadArguments(t *testing.T) {
	a := make([]float32, 12)
	cases := []struct {
		name                string
		tA, tB              blas.Transpose
		m, n, k, lda, ldb   int
		ldc, lenA, lenB, lc int
	}{
		{"transpose", 'x', blas.NoTrans, 2, 2, 2, 2, 2, 2, 4, 4, 4},
		{"m<0", blas.NoTrans, blas.NoTrans, -1, 2, 2, 2, 2, 2, 4, 4, 4},
		{"k<0", blas.NoTrans, blas.NoTrans, 2, 2, -1, 2, 2, 2, 4, 4, 4},
		{"lda", blas.NoTrans, blas.NoTrans, 2, 2, 3, 2, 2, 2, 6, 6, 4},
		{"ldb", blas.NoTrans, blas.Trans, 2, 2, 3, 3, 2, 2, 6, 6, 4},
		{"ldc", blas.NoTrans, blas.NoTrans, 2, 3, 2, 2, 3, 2, 4, 6, 6},
		{"short a", blas.Trans, blas.NoTrans, 2, 2, 3, 2, 2, 2, 5, 6, 4},
		{"short b", blas.NoTrans, blas.NoTrans, 2, 2, 3, 3, 2, 2, 6, 5, 4},
		{"short c", blas.NoTrans, blas.NoTrans, 2, 2, 3, 3, 2, 2, 6, 6, 3},
		{"fine", blas.NoTrans, blas.NoTrans, 2, 2, 3, 3, 2, 2, 6, 6, 4},
		{"empty", blas.NoTrans, blas.NoTrans, 0, 2, 3, 3, 2, 2, 0, 0, 0},
	}
	catch := func(f func()) (msg any) {
		defer func() { msg = recover() }()
		f()
		return nil
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			call := func(impl blas.Float32) func() {
				return func() {
					impl.Sgemm(c.tA, c.tB, c.m, c.n, c.k, 1, a[:c.lenA], c.lda, a[:c.lenB], c.ldb, 0, make([]float32, c.lc), c.ldc)
				}
			}
			got, want := catch(call(Implementation{})), catch(call(gonum.Implementation{}))
			if got != want {
				t.Fatalf("panic %v, gonum's %v", got, want)
			}
		})
	}
}

// TestGemmNoAllocs checks that products too small to split allocate
// nothing once the pools are warm, and that split ones do not either.
func TestGemmNoAllocs(t *testing.T) {
	shapes := [][3]int{{1, 10, 30}, {32, 30, 784}, {100, 30, 784}, {784, 30, 100}}
	configs(t, func(t *testing.T) {
		for _, sh := range shapes {
			for _, tA := range transposes {
				m, n, k := sh[0], sh[1], sh[2]
				a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
				lda := k
				if tA == blas.Trans {
					lda = m
				}
				f := func() { Implementation{}.Sgemm(tA, blas.NoTrans, m, n, k, 1, a, lda, b, n, 0, c, n) }
				f()
				if got := testing.AllocsPerRun(50, f); got > 0 {
					t.Errorf("%c %v: %g allocations a product", tA, sh, got)
				}
			}
		}
	})
}

type testRunner struct{}

func (testRunner) work() {}

// TestPollHot checks that a worker looks for products only inside Hot:
// outside, poll returns at once even with an offer waiting; inside, it
// takes the offer, and without one it gives up only after spin.
func TestPollHot(t *testing.T) {
	ch := make(chan runner, 1)
	ch <- testRunner{}
	if r := poll(ch); r != nil {
		t.Fatalf("poll outside Hot returned %v", r)
	}
	<-ch
	done := Hot()
	defer done()
	ch <- testRunner{}
	if r := poll(ch); r != (testRunner{}) {
		t.Fatalf("poll inside Hot returned %v, want the offer", r)
	}
	t0 := time.Now()
	if r := poll(ch); r != nil {
		t.Fatalf("poll with no offer returned %v", r)
	}
	if d := time.Since(t0); d < spin {
		t.Errorf("poll gave up after %v, before spin (%v)", d, spin)
	}
	done()
	done() // a second call does nothing
	if hot.Load() != 0 {
		t.Fatalf("hot = %d after done", hot.Load())
	}
}
