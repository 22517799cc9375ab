package hdf5

import (
	"bytes"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func openFile(t testing.TB, path string) *File {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	return f
}

// The .txt beside each fixture is h5py's view of it, written by
//
//	cd testdata && for f in *.h5; do /usr/bin/python3 h5dump.py $f > $f.txt; done
//
// (h5py 3.7.0, HDF5 1.10.8). The Go reader must see exactly the same
// groups, datasets, values and attributes.
func TestReaderMatchesH5py(t *testing.T) {
	tests := []struct {
		file string
		skip []string // paths the reader refuses with ErrUnsupported
	}{
		{file: "keras3_layout.weights.h5"},
		{file: "keras2_legacy_bytes.h5"},
		{file: "keras2_legacy_vlen.h5"},
		{file: "many_members.h5"},
		{file: "types_earliest.h5"},
		{file: "latest.h5", skip: []string{"/chunked_v4", "/dense_links"}},
		{file: "userblock.h5"},
		{file: "opaque.h5"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			want, err := os.ReadFile(path + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			got, err := dumpFile(openFile(t, path), tt.skip)
			if err != nil {
				t.Fatal(err)
			}
			compareDumps(t, got, filterLines(string(want), tt.skip))
		})
	}
}

// dumpFile dumps f, checking that each path in skip is refused with
// ErrUnsupported, and leaving those paths out.
func dumpFile(f *File, skip []string) (string, error) {
	for _, p := range skip {
		err := func() error {
			o, err := f.Lookup(p)
			if err != nil {
				return err
			}
			switch o := o.(type) {
			case *Dataset:
				_, err = o.ReadFloat64()
			case *Group:
				_, err = o.Children()
			}
			return err
		}()
		if !errors.Is(err, ErrUnsupported) {
			return "", errors.New(p + ": want ErrUnsupported, got " + errString(err))
		}
	}
	var b strings.Builder
	skipSet := map[string]bool{}
	for _, p := range skip {
		skipSet[p] = true
	}
	err := dumpSkipping(f.Root(), &b, map[uint64]bool{}, skipSet)
	return filterLines(b.String(), skip), err
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}

// filterLines drops the lines naming a path in skip or below it.
func filterLines(s string, skip []string) string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		keep := true
		for _, p := range skip {
			f := strings.Fields(line)
			if len(f) > 1 && (f[1] == p || strings.HasPrefix(f[1], p+"/")) {
				keep = false
			}
		}
		if keep {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func compareDumps(t *testing.T, got, want string) {
	t.Helper()
	g := strings.Split(strings.TrimSpace(got), "\n")
	w := strings.Split(strings.TrimSpace(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("line %d differs:\n got: %.300s\nwant: %.300s", i+1, gl, wl)
		}
	}
}

func TestKeras3Layout(t *testing.T) {
	f := openFile(t, "testdata/keras3_layout.weights.h5")
	// make_fixtures.py's vals(shape, dtype, scale): arange*scale - 1.5.
	vals := func(n int, scale float64) []float32 {
		out := make([]float32, n)
		for i := range out {
			out[i] = float32(float64(i)*scale - 1.5)
		}
		return out
	}
	tests := []struct {
		path  string
		shape []int
		want  []float32
	}{
		{"layers/dense/vars/0", []int{4, 3}, vals(12, 0.25)},
		{"/layers/dense/vars/1", []int{3}, vals(3, 0.5)},
		{"layers/conv2d/vars/0", []int{3, 3, 1, 2}, vals(18, 0.125)},
		{"layers/gru/cell/vars/0", []int{2, 6}, vals(12, 0.25)},
		{"optimizer/vars/1", []int{4, 3}, vals(12, 0.01)},
	}
	for _, tt := range tests {
		ds, err := f.Root().Dataset(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ds.Shape(), tt.shape) || ds.Dtype().String() != "float32" {
			t.Errorf("%s: shape %v dtype %s, want %v float32", tt.path, ds.Shape(), ds.Dtype(), tt.shape)
		}
		got, err := ds.ReadFloat32()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.path, got, tt.want)
		}
	}
	it, err := f.Root().Dataset("optimizer/vars/0")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := it.ReadInt64(); err != nil || !slices.Equal(n, []int64{7}) || it.Shape() != nil {
		t.Errorf("iterations = %v %v (shape %v), want [7] scalar", n, err, it.Shape())
	}
	vars, err := f.Root().Group("layers/dropout/vars")
	if err != nil {
		t.Fatal(err)
	}
	if kids, err := vars.Children(); err != nil || len(kids) != 0 {
		t.Errorf("dropout vars: %v %v, want no members", kids, err)
	}
	layers, _ := f.Root().Group("layers")
	kids, err := layers.Children()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, k := range kids {
		names = append(names, k.Name)
		if k.Kind != KindGroup {
			t.Errorf("%s: kind %v", k.Name, k.Kind)
		}
	}
	if want := []string{"conv2d", "dense", "dropout", "gru"}; !slices.Equal(names, want) {
		t.Errorf("layers = %v, want %v", names, want)
	}
}

func TestLegacyAttributes(t *testing.T) {
	for _, file := range []string{"keras2_legacy_bytes.h5", "keras2_legacy_vlen.h5"} {
		f := openFile(t, "testdata/"+file)
		root := f.Root()
		v, err := root.Attr("keras_version")
		if err != nil {
			t.Fatal(err)
		}
		if s, err := v.Str(); err != nil || s != "2.0.9" {
			t.Errorf("%s: keras_version %q %v", file, s, err)
		}
		mw, err := root.Group("model_weights")
		if err != nil {
			t.Fatal(err)
		}
		v, _ = mw.Attr("layer_names")
		if s, err := v.Strings(); err != nil || !slices.Equal(s, []string{"dense_1", "dropout_1", "dense_2"}) {
			t.Errorf("%s: layer_names %q %v", file, s, err)
		}
		v, _ = mw.Attr("layer_names")
		if _, err := v.Str(); !errors.Is(err, ErrType) {
			t.Errorf("%s: Str of 3 strings: %v, want ErrType", file, err)
		}
		drop, _ := mw.Group("dropout_1")
		v, err = drop.Attr("weight_names")
		if err != nil || v.Len() != 0 || !slices.Equal(v.Shape(), []int{0}) || v.Dtype().String() != "float64" {
			t.Errorf("%s: dropout weight_names %v %v %v", file, v.Shape(), v.Dtype(), err)
		}
		if _, err := drop.Attr("nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing attribute: %v, want ErrNotFound", err)
		}
		if _, err := root.Lookup("model_weights/nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing member: %v, want ErrNotFound", err)
		}
		k, err := root.Dataset("model_weights/dense_1/dense_1/kernel:0")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := k.ReadInt64(); !errors.Is(err, ErrType) {
			t.Errorf("ReadInt64 of float32: %v, want ErrType", err)
		}
		if _, err := k.ReadStrings(); !errors.Is(err, ErrType) {
			t.Errorf("ReadStrings of float32: %v, want ErrType", err)
		}
	}
}

func TestValueConversions(t *testing.T) {
	f := openFile(t, "testdata/types_earliest.h5")
	ds, err := f.Root().Dataset("rank2")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		attr string
		want any // Interface()
	}{
		{"f64", 1.5},
		{"i64", int64(-3)},
		{"f32arr", []float64{1, 2, 3}},
		{"str", "dense"},
		{"bytes", "tensorflow"},
		{"strs", []string{"a", "bb"}},
		{"vstrs", []string{"p", "qq", "rrr"}},
		{"empty", []float64{}},
		{"i2d", []int64{0, 1, 2, 3, 4, 5}},
	}
	for _, tt := range tests {
		v, err := ds.Attr(tt.attr)
		if err != nil {
			t.Fatal(err)
		}
		got := v.Interface()
		if !equalAny(got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.attr, got, tt.want)
		}
	}
	sub, _ := f.Root().Group("sub")
	v, _ := sub.Attr("n")
	if got := v.Interface(); got != uint64(200) {
		t.Errorf("uint8 attribute = %#v, want uint64(200)", got)
	}
	if n, err := v.Int64(); err != nil || n != 200 {
		t.Errorf("Int64 = %d %v", n, err)
	}
	v, _ = ds.Attr("f64")
	if _, err := v.Int64(); !errors.Is(err, ErrType) {
		t.Errorf("Int64 of a float: %v, want ErrType", err)
	}
	if x, err := v.Float64(); err != nil || x != 1.5 {
		t.Errorf("Float64 = %v %v", x, err)
	}
	// float16: every value of vals() is exact in binary16.
	h, _ := f.Root().Dataset("le_f2")
	got, err := h.ReadFloat32()
	if err != nil || !slices.Equal(got, []float32{-1.5, -1.25, -1, -0.75, -0.5, -0.25}) {
		t.Errorf("float16 = %v %v", got, err)
	}
	// uint64 beyond int64 and float64 beyond float32 are errors, not wraps.
	if err := toInt64(make([]int64, 1), []byte{255, 255, 255, 255, 255, 255, 255, 255}, Dtype{Class: ClassUint, Size: 8}, "x"); !errors.Is(err, ErrType) {
		t.Errorf("uint64 max as int64: %v", err)
	}
	big := []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x7f} // +Inf is allowed; 1e300 is not
	if err := toFloat32(make([]float32, 1), big, Dtype{Class: ClassFloat, Size: 8}, "x"); err != nil {
		t.Errorf("+Inf as float32: %v", err)
	}
	le := make([]byte, 8)
	putF64(le, 1e300)
	if err := toFloat32(make([]float32, 1), le, Dtype{Class: ClassFloat, Size: 8}, "x"); !errors.Is(err, ErrType) {
		t.Errorf("1e300 as float32: %v, want ErrType", err)
	}
}

func putF64(b []byte, v float64) {
	u := math.Float64bits(v)
	for i := range 8 {
		b[i] = byte(u >> (8 * i))
	}
}

func equalAny(a, b any) bool {
	switch x := a.(type) {
	case []float64:
		y, ok := b.([]float64)
		return ok && slices.Equal(x, y)
	case []int64:
		y, ok := b.([]int64)
		return ok && slices.Equal(x, y)
	case []string:
		y, ok := b.([]string)
		return ok && slices.Equal(x, y)
	}
	return a == b
}

func TestFloat16(t *testing.T) {
	tests := []struct {
		bits uint16
		want float32
	}{
		{0x3c00, 1}, {0xc000, -2}, {0x7bff, 65504}, {0x0001, float32(math.Ldexp(1, -24))},
		{0x8000, float32(math.Copysign(0, -1))}, {0x7c00, float32(math.Inf(1))}, {0x3555, 0.333251953125},
	}
	for _, tt := range tests {
		if got := float16(tt.bits); got != tt.want || math.Signbit(float64(got)) != math.Signbit(float64(tt.want)) {
			t.Errorf("float16(%#04x) = %v, want %v", tt.bits, got, tt.want)
		}
	}
	if v := float16(0x7e00); !math.IsNaN(float64(v)) {
		t.Errorf("float16 NaN = %v", v)
	}
}

func TestManyMembers(t *testing.T) {
	f := openFile(t, "testdata/many_members.h5")
	g, err := f.Root().Group("layers")
	if err != nil {
		t.Fatal(err)
	}
	kids, err := g.Children()
	if err != nil {
		t.Fatal(err)
	}
	if len(kids) != 300 {
		t.Fatalf("%d members, want 300", len(kids))
	}
	for i, k := range kids {
		v, err := g.Lookup(k.Name)
		if err != nil {
			t.Fatal(err)
		}
		n, err := mustAttr(t, v, "index").Int64()
		if err != nil || n != int64(i) {
			t.Errorf("%s: index %d %v, want %d", k.Name, n, err, i)
		}
	}
}

func mustAttr(t *testing.T, o Object, name string) Value {
	t.Helper()
	v, err := o.Attr(name)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Real Keras files are not kept in this repository (the public copies
// they come from carry no licence that allows it). Point HDF5_REAL_FILES
// at a folder of .h5 files, or keep them in ../shared/keras-files beside
// the checkout; each is compared with h5py's view of it (h5dump.py), which
// needs /usr/bin/python3 with h5py, or with FILE.txt when present.
func TestRealFiles(t *testing.T) {
	dir := os.Getenv("HDF5_REAL_FILES")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "keras-files")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.h5"))
	if len(files) == 0 {
		t.Skipf("no real Keras files in %s (set HDF5_REAL_FILES)", dir)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			want, err := os.ReadFile(path + ".txt")
			if err != nil {
				if !haveH5py() {
					t.Skip("no FILE.txt and no /usr/bin/python3 with h5py")
				}
				want, err = exec.Command("/usr/bin/python3", "testdata/h5dump.py", path).Output()
				if err != nil {
					t.Fatalf("h5dump.py: %v", err)
				}
			}
			got, err := dumpFile(openFile(t, path), nil)
			if err != nil {
				t.Fatal(err)
			}
			compareDumps(t, got, string(want))
		})
	}
}

func haveH5py() bool {
	return exec.Command("/usr/bin/python3", "-c", "import h5py").Run() == nil
}

func TestOpaqueBfloat16(t *testing.T) {
	f := openFile(t, "testdata/opaque.h5")
	ds, err := f.Root().Dataset("layers/dense/vars/0")
	if err != nil {
		t.Fatal(err)
	}
	if ds.Dtype().Class != ClassOpaque || ds.Dtype().String() != "V2" {
		t.Errorf("dtype %v", ds.Dtype())
	}
	if s, err := mustAttr(t, ds, "dtype").Str(); err != nil || s != "bfloat16" {
		t.Errorf("dtype attribute %q %v", s, err)
	}
	if _, err := ds.ReadFloat32(); !errors.Is(err, ErrType) {
		t.Errorf("ReadFloat32 of opaque: %v, want ErrType", err)
	}
	raw, err := ds.ReadRaw()
	if err != nil {
		t.Fatal(err)
	}
	// bfloat16 is the high half of a float32.
	var got []float32
	for i := 0; i+1 < len(raw); i += 2 {
		got = append(got, math.Float32frombits(uint32(raw[i])<<16|uint32(raw[i+1])<<24))
	}
	if want := []float32{1, 2, -3.5, 0.15625}; !slices.Equal(got, want) {
		t.Errorf("bfloat16 values %v, want %v", got, want)
	}
	strs, _ := openFile(t, "testdata/types_earliest.h5").Root().Dataset("vlen_str")
	if _, err := strs.ReadRaw(); !errors.Is(err, ErrType) {
		t.Errorf("ReadRaw of vlen strings: %v, want ErrType", err)
	}
}
