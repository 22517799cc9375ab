package keras_test

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"gorgonia.org/tensor"
)

// readSafetensors is an independent reader written from the format's
// specification (https://github.com/huggingface/safetensors#format): an
// 8-byte little-endian header size N, N bytes of JSON mapping each tensor
// name to {dtype, shape, data_offsets} (plus an optional "__metadata__"
// of strings), then the data, whose ranges must tile the buffer.
func readSafetensors(t *testing.T, b []byte) (map[string]string, map[string][]float32, map[string][]int) {
	t.Helper()
	n := binary.LittleEndian.Uint64(b[:8])
	var header map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+n], &header); err != nil {
		t.Fatalf("header: %v", err)
	}
	data := b[8+n:]
	var meta map[string]string
	vals := map[string][]float32{}
	shapes := map[string][]int{}
	type rng struct{ begin, end int }
	var ranges []rng
	for name, raw := range header {
		if name == "__metadata__" {
			if err := json.Unmarshal(raw, &meta); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var e struct {
			Dtype       string `json:"dtype"`
			Shape       []int  `json:"shape"`
			DataOffsets [2]int `json:"data_offsets"`
		}
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatal(err)
		}
		if e.Dtype != "F32" {
			t.Fatalf("%s: dtype %s, want F32", name, e.Dtype)
		}
		count := 1
		for _, d := range e.Shape {
			count *= d
		}
		if e.DataOffsets[1]-e.DataOffsets[0] != 4*count {
			t.Fatalf("%s: offsets %v for %d floats", name, e.DataOffsets, count)
		}
		v := make([]float32, count)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[e.DataOffsets[0]+4*i:]))
		}
		vals[name], shapes[name] = v, e.Shape
		ranges = append(ranges, rng{e.DataOffsets[0], e.DataOffsets[1]})
	}
	sort.Slice(ranges, func(i, j int) bool { return ranges[i].begin < ranges[j].begin })
	at := 0
	for _, r := range ranges {
		if r.begin != at {
			t.Fatalf("data ranges %v do not tile the buffer", ranges)
		}
		at = r.end
	}
	if at != len(data) {
		t.Fatalf("data ranges end at %d of %d bytes", at, len(data))
	}
	return meta, vals, shapes
}

// SaveWeights writes a safetensors file that an independent reader
// parses, with tensors named layer/variable holding the model's numbers.
func TestSaveWeightsSafetensors(t *testing.T) {
	m := classifier(t, 11)
	x, y := blobs(20)
	if _, err := m.Fit(x, y, keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "w.safetensors")
	if err := m.SaveWeights(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := binary.LittleEndian.Uint64(b[:8]); n%8 != 0 {
		t.Errorf("header length %d is not padded to 8", n)
	}
	meta, vals, shapes := readSafetensors(t, b)
	if meta["producer"] != "gokeras" {
		t.Errorf("metadata %v", meta)
	}
	names := []string{"dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"}
	wantShapes := [][]int{{4, 8}, {8}, {8, 3}, {3}}
	if len(vals) != len(names) {
		t.Errorf("file holds %d tensors, want %d", len(vals), len(names))
	}
	for i, w := range m.GetWeights() {
		if !reflect.DeepEqual(shapes[names[i]], wantShapes[i]) {
			t.Errorf("%s: shape %v, want %v", names[i], shapes[names[i]], wantShapes[i])
		}
		if !reflect.DeepEqual(vals[names[i]], w.Data()) {
			t.Errorf("%s: values differ", names[i])
		}
	}

	// LoadWeights into a fresh model of the same architecture.
	fresh := classifier(t, 99)
	if sameWeights(fresh.GetWeights(), m.GetWeights()) {
		t.Fatal("different seeds gave the same weights")
	}
	if err := fresh.LoadWeights(path); err != nil {
		t.Fatal(err)
	}
	if !sameWeights(fresh.GetWeights(), m.GetWeights()) {
		t.Error("weights differ after LoadWeights")
	}
}

// LoadWeights into a model the file does not fit is an error naming the
// weight, and leaves the weights as they were.
func TestLoadWeightsMismatch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.safetensors")
	if err := classifier(t, 1).SaveWeights(path); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		model *keras.Model
		want  string
	}{
		{"wider", keras.Sequential(layers.Dense(9, layers.InputShape(4)), layers.Dropout(0.25), layers.Dense(3)),
			"weight dense/kernel has shape (4, 8) in the file, the model expects (4, 9)"},
		{"no bias", keras.Sequential(layers.Dense(8, layers.InputShape(4), layers.UseBias(false)), layers.Dropout(0.25), layers.Dense(3)),
			"the file holds weights the model does not have: dense/bias"},
		{"deeper", keras.Sequential(layers.Dense(8, layers.InputShape(4)), layers.Dense(3), layers.Dense(3)),
			"weight dense_2/kernel is missing"},
		{"unbuilt", keras.Sequential(layers.Dense(8)), "input shape is unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.model.GetWeights()
			err := tc.model.LoadWeights(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
			if !sameWeights(tc.model.GetWeights(), before) {
				t.Error("a failed LoadWeights changed the weights")
			}
		})
	}
	bad := filepath.Join(dir, "bad")
	for _, data := range [][]byte{nil, []byte("1234567"), []byte("\x10\x00\x00\x00\x00\x00\x00\x00{}"), []byte("\x02\x00\x00\x00\x00\x00\x00\x00[]")} {
		os.WriteFile(bad, data, 0o644)
		if err := classifier(t, 1).LoadWeights(bad); !errors.Is(err, keras.ErrBadFile) {
			t.Errorf("%q: error %v, want ErrBadFile", data, err)
		}
	}
}

// A float64 model saves F64 tensors and loads F32 ones, casting.
func TestWeightsDtypes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.safetensors")
	m32 := classifier(t, 1)
	if err := m32.SaveWeights(path); err != nil {
		t.Fatal(err)
	}
	m64 := classifier(t, 2)
	if err := m64.Compile(m64.Optimizer(), m64.Loss(), keras.DType(tensor.Float64)); err != nil {
		t.Fatal(err)
	}
	if err := m64.LoadWeights(path); err != nil {
		t.Fatal(err)
	}
	for i, w := range m64.GetWeights() {
		want := m32.GetWeights()[i].Data().([]float32)
		for j, v := range w.Data().([]float64) {
			if v != float64(want[j]) {
				t.Fatalf("weight %d[%d] = %v, want %v", i, j, v, want[j])
			}
		}
	}
	if err := m64.SaveWeights(path); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b[:200]), `"dtype":"F64"`) {
		t.Errorf("float64 model's header: %s", b[8:200])
	}
}

// sameWeights compares the values of two weight lists (tensor.Dense
// values carry engine state that reflect.DeepEqual would compare too).
func sameWeights(a, b []*tensor.Dense) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !reflect.DeepEqual(a[i].Data(), b[i].Data()) || !a[i].Shape().Eq(b[i].Shape()) {
			return false
		}
	}
	return true
}
