package hdf5

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// seq returns n values i*scale - 1.5 (make_fixtures.py's vals()).
func seq(n int, scale float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(i)*scale - 1.5
	}
	return out
}

func prod(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

func typed(kind string, xs []float64) any {
	switch kind {
	case "float32":
		out := make([]float32, len(xs))
		for i, x := range xs {
			out[i] = float32(x)
		}
		return out
	case "int64":
		out := make([]int64, len(xs))
		for i, x := range xs {
			out[i] = int64(math.Round(x * 4))
		}
		return out
	case "int32":
		out := make([]int32, len(xs))
		for i, x := range xs {
			out[i] = int32(math.Round(x * 4))
		}
		return out
	case "uint8":
		out := make([]uint8, len(xs))
		for i := range xs {
			out[i] = uint8(i)
		}
		return out
	}
	return slices.Clone(xs)
}

// asFloat64 converts what typed returned, independently of the reader.
func asFloat64(data any) []float64 {
	var out []float64
	switch v := data.(type) {
	case []float32:
		for _, x := range v {
			out = append(out, float64(x))
		}
	case []float64:
		out = slices.Clone(v)
	case []int64:
		for _, x := range v {
			out = append(out, float64(x))
		}
	case []int32:
		for _, x := range v {
			out = append(out, float64(x))
		}
	case []uint8:
		for _, x := range v {
			out = append(out, float64(x))
		}
	}
	if out == nil {
		out = []float64{}
	}
	return out
}

type wantDataset struct {
	path  string
	shape []int
	dtype string
	data  any
}

// sampleWriter builds a file of every type at ranks 0 to 4, the empty
// arrays Keras writes, every attribute kind and a group of 300 members.
func sampleWriter(t *testing.T) (*Writer, []wantDataset) {
	w := NewWriter()
	var want []wantDataset
	shapes := [][]int{nil, {5}, {2, 3}, {2, 3, 4}, {3, 1, 2, 2}, {0}, {3, 0}}
	for _, kind := range []string{"float32", "float64", "int64", "int32", "uint8"} {
		for _, shape := range shapes {
			path := fmt.Sprintf("types/%s/rank%d_%s", kind, len(shape), strings.Trim(strings.ReplaceAll(fmt.Sprint(shape), " ", "x"), "[]"))
			data := typed(kind, seq(prod(shape), 0.25))
			ds, err := w.Root().CreateDataset(path, shape, data)
			if err != nil {
				t.Fatal(err)
			}
			if err := ds.SetAttr("kind", kind); err != nil {
				t.Fatal(err)
			}
			want = append(want, wantDataset{"/" + path, shape, kind, data})
		}
	}
	root := w.Root()
	attrs := []struct {
		name  string
		value any
	}{
		{"keras_version", "3.5.0"},
		{"backend", []byte("tensorflow")},
		{"layer_names", FixedStrings{"dense_1", "dropout_1", ""}},
		{"vnames", []string{"a", "", "\u00e9t\u00e9"}},
		{"empty", []float64{}},
		{"f64", 1.5},
		{"f32", float32(0.25)},
		{"i64", int64(-3)},
		{"int", 7},
		{"i32", int32(9)},
		{"f64s", []float64{1, 2.5}},
		{"f32s", []float32{1, 2.5}},
		{"i64s", []int64{-1, 1 << 40}},
		{"i32s", []int32{-1, 4}},
		{"model_config", strings.Repeat(`{"class_name": "Dense"} `, 3000)},
	}
	for _, a := range attrs {
		if err := root.SetAttr(a.name, a.value); err != nil {
			t.Fatal(err)
		}
	}
	layers, _ := root.CreateGroup("layers")
	for i := 0; i < 300; i++ {
		g, err := layers.CreateGroup(fmt.Sprintf("dense_%d/vars", i))
		if err != nil {
			t.Fatal(err)
		}
		if err := g.SetAttr("i", i); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := root.CreateGroup("layers/dropout/vars"); err != nil {
		t.Fatal(err)
	}
	return w, want
}

func TestWriterRoundTrip(t *testing.T) {
	w, want := sampleWriter(t)
	var buf bytes.Buffer
	n, err := w.WriteTo(&buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("WriteTo = %d, %v (buffer %d)", n, err, buf.Len())
	}
	f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, wd := range want {
		ds, err := f.Root().Dataset(wd.path)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ds.Shape(), wd.shape) || ds.Dtype().String() != wd.dtype {
			t.Errorf("%s: %v %s, want %v %s", wd.path, ds.Shape(), ds.Dtype(), wd.shape, wd.dtype)
		}
		got, err := ds.ReadFloat64()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, asFloat64(wd.data)) {
			t.Errorf("%s = %v, want %v", wd.path, got, asFloat64(wd.data))
		}
		if s, err := mustAttr(t, ds, "kind").Str(); err != nil || s != wd.dtype {
			t.Errorf("%s: kind attribute %q %v", wd.path, s, err)
		}
	}
	root := f.Root()
	checks := []struct {
		name string
		want any
	}{
		{"keras_version", "3.5.0"},
		{"backend", "tensorflow"},
		{"layer_names", []string{"dense_1", "dropout_1", ""}},
		{"vnames", []string{"a", "", "\u00e9t\u00e9"}},
		{"empty", []float64{}},
		{"f64", 1.5},
		{"f32", 0.25},
		{"i64", int64(-3)},
		{"int", int64(7)},
		{"i32", int64(9)},
		{"f64s", []float64{1, 2.5}},
		{"f32s", []float64{1, 2.5}},
		{"i64s", []int64{-1, 1 << 40}},
		{"i32s", []int64{-1, 4}},
		{"model_config", strings.Repeat(`{"class_name": "Dense"} `, 3000)},
	}
	for _, c := range checks {
		if got := mustAttr(t, root, c.name).Interface(); !equalAny(got, c.want) {
			t.Errorf("attribute %s = %.80v, want %.80v", c.name, got, c.want)
		}
	}
	if v := mustAttr(t, root, "empty"); !slices.Equal(v.Shape(), []int{0}) || v.Dtype().String() != "float64" {
		t.Errorf("empty attribute: shape %v dtype %s, want (0,) float64", v.Shape(), v.Dtype())
	}
	layers, _ := root.Group("layers")
	kids, err := layers.Children()
	if err != nil || len(kids) != 301 {
		t.Fatalf("layers: %d members, %v", len(kids), err)
	}
	if !slices.IsSortedFunc(kids, func(a, b Child) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("members not in name order")
	}
	for i := 0; i < 300; i += 37 {
		g, err := layers.Group(fmt.Sprintf("dense_%d/vars", i))
		if err != nil {
			t.Fatal(err)
		}
		if n, err := mustAttr(t, g, "i").Int64(); err != nil || n != int64(i) {
			t.Errorf("dense_%d: i = %d %v", i, n, err)
		}
	}
}

// TestWriterKeras3Layout writes the structure of keras3_layout.weights.h5
// (made by h5py) with the Writer: the reader's view of it must be the
// h5py-made file's, line for line.
func TestWriterKeras3Layout(t *testing.T) {
	f32 := func(n int, scale float64) []float32 { return typed("float32", seq(n, scale)).([]float32) }
	w := NewWriter()
	add := func(path string, shape []int, data any) {
		if _, err := w.Root().CreateDataset(path, shape, data); err != nil {
			t.Fatal(err)
		}
	}
	add("layers/dense/vars/0", []int{4, 3}, f32(12, 0.25))
	add("layers/dense/vars/1", []int{3}, f32(3, 0.5))
	w.Root().CreateGroup("layers/dropout/vars")
	add("layers/conv2d/vars/0", []int{3, 3, 1, 2}, f32(18, 0.125))
	add("layers/conv2d/vars/1", []int{2}, f32(2, 0.25))
	add("layers/gru/cell/vars/0", []int{2, 6}, f32(12, 0.25))
	add("optimizer/vars/0", nil, []int64{7})
	add("optimizer/vars/1", []int{4, 3}, f32(12, 0.01))
	w.Root().CreateGroup("vars")
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got, err := dumpFile(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/keras3_layout.weights.h5.txt")
	if err != nil {
		t.Fatal(err)
	}
	compareDumps(t, got, string(want))
	if h5py := h5pyDump(t, buf.Bytes()); h5py != "" {
		compareDumps(t, h5py, string(want))
	}
}

// TestWriterReadByH5py has h5py (libhdf5) read the sample file: its view
// must be the one the Go reader has (which TestWriterRoundTrip checks
// against the values written). Skipped without /usr/bin/python3 and h5py.
func TestWriterReadByH5py(t *testing.T) {
	w, _ := sampleWriter(t)
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	h5py := h5pyDump(t, buf.Bytes())
	if h5py == "" {
		t.Skip("no /usr/bin/python3 with h5py")
	}
	f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got, err := dumpFile(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	compareDumps(t, got, h5py)
}

// h5pyDump returns testdata/h5dump.py's output for the file b, or "" when
// h5py is not installed.
func h5pyDump(t *testing.T, b []byte) string {
	t.Helper()
	if !haveH5py() {
		return ""
	}
	path := filepath.Join(t.TempDir(), "w.h5")
	if err := os.WriteFile(path, b, 0o666); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("/usr/bin/python3", "testdata/h5dump.py", path).CombinedOutput()
	if err != nil {
		t.Fatalf("h5py cannot read the written file: %v\n%s", err, out)
	}
	return string(out)
}

func TestWriterErrors(t *testing.T) {
	w := NewWriter()
	root := w.Root()
	if _, err := root.CreateDataset("a", []int{2, 2}, []float32{1, 2, 3}); err == nil {
		t.Error("3 values for shape (2,2): no error")
	}
	if _, err := root.CreateDataset("a", []int{-1}, []float32{}); err == nil {
		t.Error("negative dimension: no error")
	}
	if _, err := root.CreateDataset("a", []int{1}, []string{"x"}); err == nil {
		t.Error("[]string dataset: no error")
	}
	if _, err := root.CreateDataset("b/c", []int{1}, []float64{1}); err != nil {
		t.Fatal(err)
	}
	if _, err := root.CreateDataset("b/c", []int{1}, []float64{1}); err == nil {
		t.Error("duplicate dataset: no error")
	}
	if _, err := root.CreateGroup("b/c/d"); err == nil {
		t.Error("group below a dataset: no error")
	}
	for _, bad := range []string{"", "x//y", "..", "a\x00b"} {
		if _, err := root.CreateGroup(bad); err == nil {
			t.Errorf("CreateGroup(%q): no error", bad)
		}
	}
	if err := root.SetAttr("m", map[string]int{}); err == nil {
		t.Error("map attribute: no error")
	}
	if err := root.SetAttr("big", make([]float64, 9000)); err == nil {
		t.Error("72 KB attribute: no error")
	}
	if err := root.SetAttr("x", 1.0); err != nil {
		t.Fatal(err)
	}
	if err := root.SetAttr("x", "replaced"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	attrs, err := f.Root().Attrs()
	if err != nil || len(attrs) != 1 || attrs[0].Value.String() != "replaced" {
		t.Errorf("attributes after replacing: %v %v", attrs, err)
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n < len(p) {
		k := w.n
		w.n = 0
		return k, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriterPassesWriteErrors(t *testing.T) {
	w, _ := sampleWriter(t)
	if _, err := w.WriteTo(&failWriter{n: 1000}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("WriteTo a failing writer: %v", err)
	}
}
