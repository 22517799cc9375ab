package hdf5

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// writeBig writes a file holding one float32 dataset of n values to a
// temporary folder and opens it.
func writeBig(tb testing.TB, n int) (*File, *os.File) {
	tb.Helper()
	data := make([]float32, n)
	for i := range data {
		data[i] = float32(i % 1000)
	}
	w := NewWriter()
	if _, err := w.Root().CreateDataset("layers/dense/vars/0", []int{n / 1024, 1024}, data); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "big.h5")
	out, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.WriteTo(out); err != nil {
		tb.Fatal(err)
	}
	out.Close()
	in, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { in.Close() })
	st, _ := in.Stat()
	f, err := Open(in, st.Size())
	if err != nil {
		tb.Fatal(err)
	}
	return f, in
}

// Reading a dataset allocates its values once plus one read piece: the
// file's bytes are not held a second time.
func TestReadIsLazy(t *testing.T) {
	const n = 4 << 20 // 16 MiB of float32 (shape 4096 x 1024)
	f, _ := writeBig(t, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ds, err := f.Root().Dataset("layers/dense/vars/0")
	if err != nil {
		t.Fatal(err)
	}
	xs, err := ds.ReadFloat32()
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if len(xs) != n || xs[1234] != 234 {
		t.Fatalf("read %d values, xs[1234] = %v", len(xs), xs[1234])
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if limit := uint64(4*n + 4*readPiece); alloc > limit {
		t.Errorf("reading %d float32 allocated %d bytes, want at most %d", n, alloc, limit)
	}
}

func BenchmarkReadFloat32(b *testing.B) {
	f, _ := writeBig(b, 1<<20)
	ds, err := f.Root().Dataset("layers/dense/vars/0")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(4 << 20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ds.ReadFloat32(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	data := make([]float32, 1<<20)
	b.SetBytes(4 << 20)
	b.ReportAllocs()
	for b.Loop() {
		w := NewWriter()
		w.Root().CreateDataset("x", []int{1 << 20}, data)
		if _, err := w.WriteTo(discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
