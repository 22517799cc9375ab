package keras

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"gorgonia.org/tensor"
)

// TestGatherAhead checks that the gatherer hands out, batch after batch,
// exactly the rows a plain copy gathers (a shorter last batch included),
// in both dtypes, and that stopping it mid-pass leaves no goroutine.
func TestGatherAhead(t *testing.T) {
	const samples, row = 23, 3
	f32 := make([]float32, samples*row)
	f64 := make([]float64, samples*row)
	for i := range f32 {
		f32[i], f64[i] = float32(i), float64(i)
	}
	order := rand.New(rand.NewPCG(1, 2)).Perm(samples)
	for _, tc := range []struct {
		name  string
		x     *array
		batch int
	}{
		{"float32 batch 5", &array{shape: []int{samples, row}, f32: f32}, 5},
		{"float64 batch 5", &array{shape: []int{samples, row}, f64: f64}, 5},
		{"float32 one batch", &array{shape: []int{samples, row}, f32: f32}, samples},
		{"float64 batch 1", &array{shape: []int{samples, row}, f64: f64}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var bufs [2]*tensor.Dense
			for pass := 0; pass < 2; pass++ { // the buffers are reused
				g := gatherAhead(tc.x, order, tc.batch, &bufs)
				for from := 0; from < samples; from += tc.batch {
					idx := order[from:min(from+tc.batch, samples)]
					got := g.next()
					want := tc.x.batchTensor(nil, len(idx))
					tc.x.gather(want, idx)
					if !got.Shape().Eq(want.Shape()) {
						t.Fatalf("pass %d, batch at %d: shape %v, want %v", pass, from, got.Shape(), want.Shape())
					}
					if !slices.Equal(values(got), values(want)) {
						t.Fatalf("pass %d, batch at %d: %v, want %v", pass, from, values(got), values(want))
					}
				}
				g.close()
			}
		})
	}
	// Stopped after one batch, the goroutine returns.
	before := runtime.NumGoroutine()
	var bufs [2]*tensor.Dense
	x := &array{shape: []int{samples, row}, f32: f32}
	g := gatherAhead(x, order, 2, &bufs)
	g.next()
	g.close()
	for i := 0; runtime.NumGoroutine() > before && i < 100; i++ {
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after close, %d before", n, before)
	}
}

// TestView checks that a view is x's samples in place.
func TestView(t *testing.T) {
	x := &array{shape: []int{4, 2}, f32: []float32{0, 1, 2, 3, 4, 5, 6, 7}}
	v := x.view(1, 3, []int{2})
	if !v.Shape().Eq(tensor.Shape{2, 2}) || !slices.Equal(v.Float32s(), []float32{2, 3, 4, 5}) {
		t.Fatalf("view(1, 3) = %v %v", v.Shape(), v.Data())
	}
	if &v.Float32s()[0] != &x.f32[2] {
		t.Fatal("view copied the samples")
	}
}

func values(t *tensor.Dense) []float64 {
	switch d := t.Data().(type) {
	case []float32:
		out := make([]float64, len(d))
		for i, v := range d {
			out[i] = float64(v)
		}
		return out
	case []float64:
		return d
	}
	return nil
}

// TestPassBatches checks the batches a pass over tensors hands out: the
// rows of each batch's samples, whether gathered ahead (shuffled, large
// batches), viewed in place (in order, large batches) or left to the
// caller to copy (small batches), for a whole pass and one stopped early.
func TestPassBatches(t *testing.T) {
	const row = 1024
	for _, tc := range []struct {
		name    string
		samples int
		batch   int
		shuffle bool
		want    string // "ahead", "view" or "copy"
	}{
		{"shuffled, large batches", 37, 10, true, "ahead"},
		{"in order, large batches", 37, 10, false, "view"},
		{"shuffled, small batches", 37, 3, true, "copy"},
		{"in order, small batches", 37, 3, false, "copy"},
		{"shuffled, one large batch", 9, 9, true, "copy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := &array{shape: []int{tc.samples, row}, f32: make([]float32, tc.samples*row)}
			for i := range x.f32 {
				x.f32[i] = float32(i)
			}
			m := newModel("pass")
			m.rng = rand.New(rand.NewPCG(3, 4))
			d := &tensorData{m: m, x: x, y: x, batch: tc.batch, shuffle: tc.shuffle}
			for _, stopAt := range []int{-1, 1} {
				seen := 0
				for st, err := range d.pass(t.Context()) {
					if err != nil {
						t.Fatal(err)
					}
					got := "copy"
					if st.xs != nil {
						got = "view"
						if &st.xs.Float32s()[0] != &x.f32[st.idx[0]*row] {
							got = "ahead"
						}
						want := x.batchTensor(nil, len(st.idx))
						x.gather(want, st.idx)
						if !slices.Equal(st.xs.Float32s(), want.Float32s()) {
							t.Fatalf("batch %d: rows differ from samples %v", seen, st.idx)
						}
					}
					if got != tc.want {
						t.Fatalf("batch %d: handed out by %s, want %s", seen, got, tc.want)
					}
					seen++
					if seen == stopAt {
						break
					}
				}
			}
		})
	}
}
