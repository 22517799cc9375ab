package datasets

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorgonia.org/tensor"
)

// seqXY returns x (n, 2) with row i = [i, -i] and y (n,) with y[i] = i,
// so that every row names the sample it came from.
func seqXY(n int) (x, y *tensor.Dense) {
	xs := make([]float32, 2*n)
	ys := make([]float32, n)
	for i := range n {
		xs[2*i], xs[2*i+1], ys[i] = float32(i), -float32(i), float32(i)
	}
	return dense32(xs, n, 2), dense32(ys, n)
}

// collect runs one pass and returns its batches, failing on an error.
func collect(t *testing.T, ds Dataset) []Batch {
	t.Helper()
	var out []Batch
	for b, err := range ds.Batches(context.Background()) {
		if err != nil {
			t.Fatalf("batch %d: %v", len(out), err)
		}
		out = append(out, b)
	}
	return out
}

// passErr runs one pass and returns its error (nil if none) and the
// number of good batches before it.
func passErr(ds Dataset) (int, error) {
	n := 0
	for _, err := range ds.Batches(context.Background()) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// sampleIDs returns the y values of the batches, in order, checking that
// each x row matches its label as seqXY made them.
func sampleIDs(t *testing.T, bs []Batch) []int {
	t.Helper()
	var ids []int
	for bi, b := range bs {
		xs, ys := f32(t, b.X), f32(t, b.Y)
		for i, v := range ys {
			if xs[2*i] != v || xs[2*i+1] != -v {
				t.Fatalf("batch %d row %d: x = %v, y = %v: rows of x and y were separated", bi, i, xs[2*i:2*i+2], v)
			}
			ids = append(ids, int(v))
		}
	}
	return ids
}

func batchSizes(bs []Batch) []int {
	out := make([]int, len(bs))
	for i, b := range bs {
		out[i] = b.X.Shape()[0]
	}
	return out
}

func iota(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func TestFromTensorsUnbatched(t *testing.T) {
	x, y := seqXY(5)
	bs := collect(t, FromTensors(x, y))
	if len(bs) != 5 {
		t.Fatalf("%d elements, want 5 (one per sample)", len(bs))
	}
	for i, b := range bs {
		wantShape(t, "x", b.X, 1, 2)
		wantShape(t, "y", b.Y, 1)
		if b.SampleWeight != nil {
			t.Error("SampleWeight should be nil")
		}
		if got := f32(t, b.X); got[0] != float32(i) {
			t.Errorf("element %d holds sample %v", i, got[0])
		}
	}
	// A batch handed out is a copy: writing into it leaves x alone.
	f32(t, bs[0].X)[0] = 99
	if f32(t, x)[0] != 0 {
		t.Error("changing a batch changed the source tensor")
	}
	// y may be nil.
	for _, b := range collect(t, FromTensors(x, nil).Batch(2)) {
		if b.Y != nil {
			t.Error("y should be nil when FromTensors got none")
		}
	}
}

func TestFromTensorsKeepsDtypeAndShape(t *testing.T) {
	x := tensor.New(tensor.WithShape(3, 2, 2), tensor.WithBacking([]float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}))
	y := tensor.New(tensor.WithShape(3), tensor.WithBacking([]int{7, 8, 9}))
	w := dense32([]float32{0.5, 1, 2}, 3)
	bs := collect(t, FromTensorsWeighted(x, y, w).Batch(2))
	if !slices.Equal(batchSizes(bs), []int{2, 1}) {
		t.Fatalf("batch sizes %v", batchSizes(bs))
	}
	wantShape(t, "x", bs[0].X, 2, 2, 2)
	if got := bs[1].X.Data().([]float64); !slices.Equal(got, []float64{8, 9, 10, 11}) {
		t.Errorf("last x = %v", got)
	}
	if got := bs[0].Y.Data().([]int); !slices.Equal(got, []int{7, 8}) {
		t.Errorf("y = %v", got)
	}
	if got := f32(t, bs[1].SampleWeight); !slices.Equal(got, []float32{2}) {
		t.Errorf("sample weight = %v", got)
	}
}

func TestBatch(t *testing.T) {
	x, y := seqXY(10)
	cases := []struct {
		n     int
		sizes []int
	}{
		{1, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
		{3, []int{3, 3, 3, 1}},
		{5, []int{5, 5}},
		{10, []int{10}},
		{64, []int{10}},
		{1 << 40, []int{10}}, // far larger than the data: no allocation of that size
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			p := FromTensors(x, y).Batch(tc.n)
			bs := collect(t, p)
			if !slices.Equal(batchSizes(bs), tc.sizes) {
				t.Errorf("sizes %v, want %v", batchSizes(bs), tc.sizes)
			}
			if got := sampleIDs(t, bs); !slices.Equal(got, iota(10)) {
				t.Errorf("samples %v, want 0..9 in order", got)
			}
			if p.Cardinality() != len(tc.sizes) {
				t.Errorf("Cardinality %d, want %d", p.Cardinality(), len(tc.sizes))
			}
		})
	}
}

// Batch regroups the rows of elements of any size: a FromFunc source
// yielding blocks of 7 rows batched by 5 gives the rows in order, 5 at a
// time, the reference being a plain loop over the rows.
func TestBatchRegroupsElements(t *testing.T) {
	const total, block, n = 23, 7, 5
	src := FromFunc(func(ctx context.Context, yield func(Batch) bool) error {
		for start := 0; start < total; start += block {
			m := min(block, total-start)
			x, y := seqXY(start + m)
			xs := f32(t, x)[2*start:]
			ys := f32(t, y)[start:]
			if !yield(Batch{X: dense32(slices.Clone(xs), m, 2), Y: dense32(slices.Clone(ys), m)}) {
				return nil
			}
		}
		return nil
	})
	bs := collect(t, src.Batch(n))
	var want []int
	for i := 0; i < total; i += n {
		want = append(want, min(n, total-i))
	}
	if !slices.Equal(batchSizes(bs), want) {
		t.Errorf("sizes %v, want %v", batchSizes(bs), want)
	}
	if got := sampleIDs(t, bs); !slices.Equal(got, iota(total)) {
		t.Errorf("samples %v", got)
	}
	if src.Cardinality() != UnknownCardinality {
		t.Errorf("FromFunc cardinality %d, want unknown", src.Cardinality())
	}
}

func TestShuffleDeterministicAndReshuffled(t *testing.T) {
	const n = 50
	x, y := seqXY(n)
	passes := func(p *Pipeline, k int) [][]int {
		var out [][]int
		for range k {
			out = append(out, sampleIDs(t, collect(t, p)))
		}
		return out
	}
	a := passes(FromTensors(x, y).Shuffle(n, 7).Batch(8), 3)
	b := passes(FromTensors(x, y).Shuffle(n, 7).Batch(8), 3)
	c := passes(FromTensors(x, y).Shuffle(n, 8).Batch(8), 1)
	for k := range a {
		if !slices.Equal(a[k], b[k]) {
			t.Errorf("pass %d: the same seed gave different orders", k)
		}
		sorted := slices.Sorted(slices.Values(a[k]))
		if !slices.Equal(sorted, iota(n)) {
			t.Errorf("pass %d is not a permutation of the samples: %v", k, a[k])
		}
		if slices.Equal(a[k], iota(n)) {
			t.Errorf("pass %d is not shuffled", k)
		}
	}
	if slices.Equal(a[0], a[1]) || slices.Equal(a[1], a[2]) {
		t.Error("passes were not reshuffled")
	}
	if slices.Equal(a[0], c[0]) {
		t.Error("seeds 7 and 8 gave the same order")
	}
}

// The buffer semantics of tf.data: the element handed out at position i
// was drawn from a buffer holding at most the inputs 0..i+buffer-1, so it
// can never come from further ahead; a buffer of 1 changes nothing.
func TestShuffleBuffer(t *testing.T) {
	const n = 200
	x, y := seqXY(n)
	for _, buf := range []int{1, 2, 10, 64, n, 10 * n} {
		for seed := range int64(5) {
			ids := sampleIDs(t, collect(t, FromTensors(x, y).Shuffle(buf, seed).Batch(32)))
			if !slices.Equal(slices.Sorted(slices.Values(ids)), iota(n)) {
				t.Fatalf("buffer %d: not a permutation", buf)
			}
			for i, id := range ids {
				if id > i+buf-1 {
					t.Fatalf("buffer %d: position %d holds sample %d, beyond the buffer's reach", buf, i, id)
				}
			}
			if buf == 1 && !slices.Equal(ids, iota(n)) {
				t.Fatalf("buffer 1 changed the order: %v", ids)
			}
		}
	}
}

// A full buffer shuffles uniformly: over 2400 seeds, each of the 24 orders
// of 4 samples turns up about 100 times (a binomial with sd about 10).
func TestShuffleUniform(t *testing.T) {
	x, y := seqXY(4)
	counts := map[string]int{}
	for seed := range int64(2400) {
		ids := sampleIDs(t, collect(t, FromTensors(x, y).Shuffle(4, seed).Batch(4)))
		counts[fmt.Sprint(ids)]++
	}
	if len(counts) != 24 {
		t.Fatalf("%d distinct orders, want 24", len(counts))
	}
	for k, c := range counts {
		if c < 55 || c > 145 {
			t.Errorf("order %s came %d times, want about 100", k, c)
		}
	}
}

// Shuffle after Batch shuffles whole batches.
func TestShuffleAfterBatch(t *testing.T) {
	x, y := seqXY(12)
	bs := collect(t, FromTensors(x, y).Batch(3).Shuffle(4, 1))
	seen := map[int]bool{}
	for _, b := range bs {
		ids := sampleIDs(t, []Batch{b})
		if len(ids) != 3 || ids[0]%3 != 0 || ids[1] != ids[0]+1 || ids[2] != ids[0]+2 {
			t.Fatalf("batch %v is not one of the original batches", ids)
		}
		seen[ids[0]] = true
	}
	if len(seen) != 4 {
		t.Errorf("got %d distinct batches, want 4", len(seen))
	}
}

func TestMap(t *testing.T) {
	x, y := seqXY(6)
	p := FromTensors(x, y).Batch(4).Map(func(b Batch) (Batch, error) {
		xs := f32(t, b.X)
		for i := range xs {
			xs[i] *= 2 // in place on the batch's own memory
		}
		w := make([]float32, b.X.Shape()[0])
		for i := range w {
			w[i] = 0.5
		}
		b.SampleWeight = dense32(w, len(w))
		return b, nil
	})
	for range 2 { // a second pass sees the source unchanged
		bs := collect(t, p)
		if !slices.Equal(batchSizes(bs), []int{4, 2}) {
			t.Fatalf("sizes %v", batchSizes(bs))
		}
		if got := f32(t, bs[1].X); !slices.Equal(got, []float32{8, -8, 10, -10}) {
			t.Errorf("mapped x = %v", got)
		}
		if bs[0].SampleWeight == nil || f32(t, bs[0].SampleWeight)[3] != 0.5 {
			t.Error("Map's sample weight is missing")
		}
	}
	if f32(t, x)[2] != 1 {
		t.Error("Map wrote into the source tensor")
	}

	// Map may change the number of samples: the cardinality stays, the
	// rows become unknown.
	halve := FromTensors(x, y).Batch(2).Map(func(b Batch) (Batch, error) {
		return Batch{X: dense32(f32(t, b.X)[:2], 1, 2)}, nil
	})
	if got := batchSizes(collect(t, halve)); !slices.Equal(got, []int{1, 1, 1}) {
		t.Errorf("sizes after a row-dropping Map %v", got)
	}
	if halve.Cardinality() != 3 || halve.Batch(2).Cardinality() != UnknownCardinality {
		t.Errorf("cardinalities %d and %d", halve.Cardinality(), halve.Batch(2).Cardinality())
	}
}

var errSource = errors.New("source broke")

func TestErrors(t *testing.T) {
	x, y := seqXY(10)
	failAt := func(k int) *Pipeline {
		return FromFunc(func(ctx context.Context, yield func(Batch) bool) error {
			for i := range k {
				xb, yb := seqXY(i + 1)
				if !yield(Batch{X: dense32(f32(t, xb)[2*i:], 1, 2), Y: dense32(f32(t, yb)[i:], 1)}) {
					return nil
				}
			}
			return errSource
		})
	}
	cases := []struct {
		name     string
		p        *Pipeline
		good     int // batches before the error
		is       error
		contains string
	}{
		{"source error", failAt(5).Batch(2), 2, errSource, "source broke"},
		{"source error through Prefetch", failAt(5).Batch(2).Prefetch(2), 2, errSource, "source broke"},
		{"source error through Shuffle and Cache", failAt(3).Shuffle(2, 1).Cache().Batch(1), 1, errSource, ""},
		{"source panic", FromFunc(func(context.Context, func(Batch) bool) error { panic("boom") }), 0, nil, "boom"},
		{"map error", FromTensors(x, y).Batch(3).Map(func(b Batch) (Batch, error) {
			if b.X.Shape()[0] == 1 {
				return b, errSource
			}
			return b, nil
		}), 3, errSource, "element 3"},
		{"map panic in Prefetch's goroutine", FromTensors(x, y).Map(func(Batch) (Batch, error) { panic("map boom") }).Prefetch(1), 0, nil, "map boom"},
		{"map returns no X", FromTensors(x, y).Map(func(Batch) (Batch, error) { return Batch{}, nil }), 0, nil, "no X"},
		{"element with no X", FromFunc(func(_ context.Context, yield func(Batch) bool) error {
			yield(Batch{Y: y})
			return nil
		}), 0, nil, "element 0"},
		{"element with X and Y of different lengths", FromFunc(func(_ context.Context, yield func(Batch) bool) error {
			yield(Batch{X: x, Y: dense32([]float32{1, 2}, 2)})
			return nil
		}), 0, nil, "10 samples but y holds 2"},
		{"nil x", FromTensors(nil, y), 0, ErrInvalidArgument, "x is nil"},
		{"typed nil x", FromTensors((*tensor.Dense)(nil), y), 0, ErrInvalidArgument, "x is nil"},
		{"x and y lengths", FromTensors(x, dense32([]float32{1}, 1)), 0, ErrInvalidArgument, "10 and 1"},
		{"weights length", FromTensorsWeighted(x, y, dense32([]float32{1}, 1)), 0, ErrInvalidArgument, "sample_weight"},
		{"scalar x", FromTensors(tensor.New(tensor.FromScalar(float32(1))), nil), 0, ErrInvalidArgument, "scalar"},
		{"Batch(0)", FromTensors(x, y).Batch(0), 0, ErrInvalidArgument, "batch size"},
		{"Shuffle(0)", FromTensors(x, y).Shuffle(0, 1), 0, ErrInvalidArgument, "buffer"},
		{"Prefetch(0)", FromTensors(x, y).Prefetch(0), 0, ErrInvalidArgument, "buffer"},
		{"Prefetch(1<<40)", FromTensors(x, y).Prefetch(1 << 40), 0, ErrInvalidArgument, "buffer"},
		{"nil Map", FromTensors(x, y).Map(nil), 0, ErrInvalidArgument, "nil"},
		{"nil FromFunc", FromFunc(nil), 0, ErrInvalidArgument, "nil"},
		{"nil pipeline", (*Pipeline)(nil).Batch(2), 0, ErrInvalidArgument, "nil Pipeline"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			good, err := passErr(tc.p)
			if err == nil {
				t.Fatal("no error")
			}
			if good != tc.good {
				t.Errorf("%d batches before the error, want %d", good, tc.good)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("error %q does not say %q", err, tc.contains)
			}
		})
	}
}

// A batch whose non-leading shape changes mid-stream is an error naming
// the batch, whether it comes out of Batch (naming the element) or goes
// straight to the consumer (naming the batch).
func TestShapeChangeMidStream(t *testing.T) {
	widths := []int{3, 3, 3, 4, 3}
	src := FromFunc(func(_ context.Context, yield func(Batch) bool) error {
		for _, w := range widths {
			if !yield(Batch{X: dense32(make([]float32, 2*w), 2, w)}) {
				return nil
			}
		}
		return nil
	})
	good, err := passErr(src)
	if err == nil || good != 3 || !strings.Contains(err.Error(), "batch 3") || !strings.Contains(err.Error(), "[4]") {
		t.Errorf("unbatched: %d good, err %v; want 3 and an error naming batch 3", good, err)
	}
	good, err = passErr(src.Batch(2))
	if err == nil || !strings.Contains(err.Error(), "element 3") {
		t.Errorf("batched: %d good, err %v; want an error naming element 3", good, err)
	}
	// dtype changes and Y appearing mid-stream count too.
	mixed := FromFunc(func(_ context.Context, yield func(Batch) bool) error {
		yield(Batch{X: dense32([]float32{1}, 1, 1)})
		yield(Batch{X: dense32([]float32{1}, 1, 1), Y: dense32([]float32{1}, 1)})
		return nil
	})
	if _, err := passErr(mixed); err == nil || !strings.Contains(err.Error(), "batch 1: Y") {
		t.Errorf("Y appearing mid-stream: %v", err)
	}
}

func TestTake(t *testing.T) {
	x, y := seqXY(10)
	cases := []struct {
		name  string
		p     *Pipeline
		sizes []int
		card  int
	}{
		{"batches", FromTensors(x, y).Batch(3).Take(2), []int{3, 3}, 2},
		{"more than there are", FromTensors(x, y).Batch(3).Take(9), []int{3, 3, 3, 1}, 4},
		{"samples before Batch", FromTensors(x, y).Take(5).Batch(2), []int{2, 2, 1}, UnknownCardinality},
		{"all", FromTensors(x, y).Batch(4).Take(-1), []int{4, 4, 2}, 3},
		{"none", FromTensors(x, y).Batch(4).Take(0), nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bs := collect(t, tc.p)
			if !slices.Equal(batchSizes(bs), tc.sizes) {
				t.Errorf("sizes %v, want %v", batchSizes(bs), tc.sizes)
			}
			if got := tc.p.Cardinality(); got != tc.card {
				t.Errorf("Cardinality %d, want %d", got, tc.card)
			}
		})
	}
	// Take stops the source: an endless source ends after n batches.
	var made atomic.Int64
	endless := FromFunc(func(ctx context.Context, yield func(Batch) bool) error {
		for {
			made.Add(1)
			if !yield(Batch{X: dense32([]float32{1}, 1, 1)}) {
				return nil
			}
		}
	})
	if got := len(collect(t, endless.Batch(4).Take(3))); got != 3 {
		t.Errorf("%d batches of an endless source, want 3", got)
	}
	if made.Load() != 12 {
		t.Errorf("the source made %d elements for 3 batches of 4, want 12", made.Load())
	}
}

func TestCache(t *testing.T) {
	var calls atomic.Int64
	src := FromFunc(func(ctx context.Context, yield func(Batch) bool) error {
		calls.Add(1)
		for i := range 5 {
			if !yield(Batch{X: dense32([]float32{float32(i)}, 1, 1)}) {
				return nil
			}
		}
		return nil
	})
	p := src.Cache().Batch(2)
	// A pass stopped early records nothing.
	for range p.Batches(context.Background()) {
		break
	}
	first := collect(t, p)
	f32(t, first[0].X)[0] = 42 // must not reach the cache
	second := collect(t, p)
	third := collect(t, p)
	if calls.Load() != 2 {
		t.Errorf("the source ran %d times, want 2 (the stopped pass and the recorded one)", calls.Load())
	}
	for _, bs := range [][]Batch{second, third} {
		var got []float32
		for _, b := range bs {
			got = append(got, f32(t, b.X)...)
		}
		if !slices.Equal(got, []float32{0, 1, 2, 3, 4}) {
			t.Errorf("replayed %v, want 0..4", got)
		}
	}
	// Shuffle after Cache still reshuffles each pass.
	x, y := seqXY(30)
	sh := FromTensors(x, y).Cache().Shuffle(30, 3).Batch(30)
	if slices.Equal(sampleIDs(t, collect(t, sh)), sampleIDs(t, collect(t, sh))) {
		t.Error("Shuffle after Cache gave the same order twice")
	}
	// Shuffle before Cache is frozen by it.
	fr := FromTensors(x, y).Shuffle(30, 3).Cache().Batch(30)
	if !slices.Equal(sampleIDs(t, collect(t, fr)), sampleIDs(t, collect(t, fr))) {
		t.Error("Cache did not replay the recorded order")
	}
}

func TestPrefetchSameBatches(t *testing.T) {
	x, y := seqXY(100)
	base := FromTensors(x, y).Shuffle(100, 5).Batch(7)
	a := sampleIDs(t, collect(t, base))
	pre := FromTensors(x, y).Shuffle(100, 5).Batch(7).Prefetch(3)
	b := sampleIDs(t, collect(t, pre))
	if !slices.Equal(a, b) {
		t.Error("Prefetch changed the batches")
	}
	if pre.Cardinality() != 15 {
		t.Errorf("Cardinality %d, want 15", pre.Cardinality())
	}
}

// settleGoroutines waits (up to 2 s) for the goroutine count to come back
// to want, returning the last count seen.
func settleGoroutines(want int) int {
	deadline := time.Now().Add(2 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// endless is a source that never ends, for the stop tests.
func endlessSource() *Pipeline {
	return FromFunc(func(ctx context.Context, yield func(Batch) bool) error {
		for i := 0; ; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			if !yield(Batch{X: dense32([]float32{float32(i)}, 1, 1)}) {
				return nil
			}
		}
	})
}

func TestPrefetchNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	// Two prefetch stages, consumer stops after 3 batches.
	p := endlessSource().Prefetch(4).Batch(8).Prefetch(2)
	for range 20 {
		n := 0
		for _, err := range p.Batches(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			if n++; n == 3 {
				break
			}
		}
		// Batches waits for its goroutines; none may be left running.
		if got := settleGoroutines(before); got > before {
			t.Fatalf("%d goroutines after the loop, %d before", got, before)
		}
	}
}

func TestPrefetchCancel(t *testing.T) {
	before := runtime.NumGoroutine()
	// A source that blocks for a long time between elements, watching ctx.
	slow := FromFunc(func(ctx context.Context, yield func(Batch) bool) error {
		for {
			if !yield(Batch{X: dense32([]float32{1}, 1, 1)}) {
				return nil
			}
			select {
			case <-time.After(time.Minute):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})
	for _, p := range []*Pipeline{slow.Prefetch(2), slow.Batch(1)} {
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		var got error
		n := 0
		for _, err := range p.Batches(ctx) {
			if err != nil {
				got = err
				break
			}
			n++
			go func() { time.Sleep(20 * time.Millisecond); cancel() }()
		}
		if !errors.Is(got, context.Canceled) {
			t.Errorf("err = %v after %d batches, want context.Canceled", got, n)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("cancellation took %v", d)
		}
		cancel()
	}
	if got := settleGoroutines(before); got > before {
		t.Errorf("%d goroutines after cancelling, %d before", got, before)
	}
	// A context cancelled before the pass: an error and no batch.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	x, y := seqXY(4)
	for b, err := range FromTensors(x, y).Batch(2).Prefetch(1).Batches(ctx) {
		if err == nil || b.X != nil || !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled ctx: batch %v, err %v", b.X, err)
		}
	}
}

// An epoch over 10 million generated samples through FromFunc, Batch and
// Prefetch does not grow the heap with the number of samples: after a
// collection the live heap at the end of the pass is what it was after
// the first thousand batches, within a few MiB, while hundreds of MiB of
// samples went through.
func TestMemoryBounded(t *testing.T) {
	const total, block, features, batch = 10_000_000, 500, 4, 256
	src := FromFunc(func(ctx context.Context, yield func(Batch) bool) error {
		for start := 0; start < total; start += block {
			xs := make([]float32, block*features)
			ys := make([]float32, block)
			for i := range ys {
				ys[i] = float32(start + i)
				xs[i*features] = float32(start + i)
			}
			if !yield(Batch{X: dense32(xs, block, features), Y: dense32(ys, block)}) {
				return nil
			}
		}
		return nil
	})
	var ms runtime.MemStats
	heap := func() uint64 {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var base, peak, allocStart uint64
	seen, nb := 0, 0
	for b, err := range src.Batch(batch).Prefetch(2).Batches(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if f32(t, b.Y)[0] != float32(seen) {
			t.Fatalf("batch %d starts at sample %v, want %d", nb, f32(t, b.Y)[0], seen)
		}
		seen += b.X.Shape()[0]
		nb++
		switch {
		case nb == 1000:
			base = heap()
			allocStart = ms.TotalAlloc
		case nb > 1000 && nb%5000 == 0:
			peak = max(peak, heap())
		}
	}
	end := heap()
	peak = max(peak, end)
	if seen != total {
		t.Fatalf("%d samples, want %d", seen, total)
	}
	through := ms.TotalAlloc - allocStart
	t.Logf("live heap after 1000 batches %.1f MiB, peak later %.1f MiB, at the end %.1f MiB; %.0f MiB allocated meanwhile",
		mib(base), mib(peak), mib(end), mib(through))
	if peak > base+8<<20 {
		t.Errorf("the live heap grew from %.1f MiB to %.1f MiB over the pass", mib(base), mib(peak))
	}
	if through < 200<<20 {
		t.Errorf("only %.0f MiB went through; the test does not test what it says", mib(through))
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// BenchmarkPrefetchOverlap measures one epoch of 20 batches where the
// source takes as long per batch as the consumer's training step (2 ms
// each, sleeping). Without Prefetch an epoch is the sum, about 80 ms;
// with Prefetch(2) the source runs while the consumer steps and an epoch
// is about the max, 40 ms. The ratio to the consumer's own time is
// reported as epoch/steps.
func BenchmarkPrefetchOverlap(b *testing.B) {
	const steps = 20
	const d = 2 * time.Millisecond
	src := FromFunc(func(ctx context.Context, yield func(Batch) bool) error {
		for range steps {
			time.Sleep(d) // reading and decoding a batch
			if !yield(Batch{X: dense32(make([]float32, 32), 8, 4)}) {
				return nil
			}
		}
		return nil
	})
	for _, bc := range []struct {
		name string
		p    *Pipeline
	}{{"none", src}, {"prefetch2", src.Prefetch(2)}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				for _, err := range bc.p.Batches(context.Background()) {
					if err != nil {
						b.Fatal(err)
					}
					time.Sleep(d) // the training step
				}
			}
			perEpoch := time.Since(start) / time.Duration(b.N)
			b.ReportMetric(float64(perEpoch)/float64(steps*d), "epoch/steps")
		})
	}
}

// BenchmarkFromTensorsBatch measures the pipeline's own overhead: an
// epoch of 60,000 MNIST-sized samples shuffled and batched by 100.
func BenchmarkFromTensorsBatch(b *testing.B) {
	const n = 60000
	x := dense32(make([]float32, n*784), n, 784)
	y := dense32(make([]float32, n), n)
	p := FromTensors(x, y).Shuffle(n, 1).Batch(100)
	b.ReportAllocs()
	for b.Loop() {
		for _, err := range p.Batches(context.Background()) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// MapParallel gives exactly Map's pass (same order), its errors at the
// same element, and leaves no goroutine behind when stopped early.
func TestMapParallel(t *testing.T) {
	x, y := seqXY(200)
	square := func(b Batch) (Batch, error) {
		xs := f32(t, b.X)
		for i := range xs {
			xs[i] *= xs[i]
		}
		return b, nil
	}
	failing := func(b Batch) (Batch, error) {
		if f32(t, b.Y)[0] == 150 {
			return b, errSource
		}
		return square(b)
	}
	seq := FromTensors(x, y).Shuffle(50, 2).Take(150).Map(square).Batch(16)
	par := FromTensors(x, y).Shuffle(50, 2).Take(150).MapParallel(4, square).Batch(16)
	a, b := collect(t, seq), collect(t, par)
	if len(a) != len(b) {
		t.Fatalf("%d and %d batches", len(a), len(b))
	}
	for i := range a {
		if !slices.Equal(f32(t, a[i].X), f32(t, b[i].X)) || !slices.Equal(f32(t, a[i].Y), f32(t, b[i].Y)) {
			t.Fatalf("batch %d differs between Map and MapParallel", i)
		}
	}
	// The error of sample 150 comes after the same number of batches.
	ga, ea := passErr(FromTensors(x, y).Map(failing).Batch(10))
	gb, eb := passErr(FromTensors(x, y).MapParallel(8, failing).Batch(10))
	if ea == nil || eb == nil || ga != gb || !errors.Is(eb, errSource) || !strings.Contains(eb.Error(), "element 150") {
		t.Errorf("Map: %d then %v; MapParallel: %d then %v", ga, ea, gb, eb)
	}
	if _, err := passErr(FromTensors(x, y).MapParallel(0, square)); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("workers 0: %v", err)
	}
	before := runtime.NumGoroutine()
	for range 10 {
		for _, err := range endlessSource().MapParallel(4, func(b Batch) (Batch, error) { return b, nil }).Batches(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if got := settleGoroutines(before); got > before {
		t.Errorf("%d goroutines after stopping, %d before", got, before)
	}
}
