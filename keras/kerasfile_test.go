package keras_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gokeras/keras/internal/hdf5"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// functionalModel is a small functional model with two branches merged
// by Add and Concatenate.
func functionalModel(t *testing.T) *keras.Model {
	t.Helper()
	in := keras.Input(4)
	a := keras.Apply(layers.Dense(5, layers.Activation("relu")), in)
	b := keras.Apply(layers.Dense(5, layers.Activation("tanh")), in)
	s := keras.Apply(layers.Add(), a, b)
	c := keras.Apply(layers.Concatenate(), s, a)
	out := keras.Apply(layers.Dense(3, layers.Activation("softmax")), c)
	m, err := keras.NewModel([]*keras.Tensor{in}, []*keras.Tensor{out})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Compile(optimizers.Adam(), losses.CategoricalCrossentropy(), keras.Metrics("accuracy")); err != nil {
		t.Fatal(err)
	}
	return m
}

func predictBits(t *testing.T, m *keras.Model, x *tensor.Dense) []float32 {
	t.Helper()
	y, err := m.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	return y.Data().([]float32)
}

// A functional model saves and loads as a functional model that predicts
// the same numbers bit for bit and resumes training identically.
func TestSaveLoadFunctional(t *testing.T) {
	x, y := blobs(30)
	m := functionalModel(t)
	if _, err := m.Fit(x, y, keras.Epochs(2), keras.BatchSize(8), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "f.keras")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := keras.LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.ClassName() != "Functional" || len(got.Layers()) != len(m.Layers()) {
		t.Errorf("loaded %s with %d layers, want Functional with %d", got.ClassName(), len(got.Layers()), len(m.Layers()))
	}
	if !reflect.DeepEqual(predictBits(t, got, x), predictBits(t, m, x)) {
		t.Error("predictions differ after loading")
	}
	h1, err := m.Fit(x, y, keras.Epochs(1), keras.BatchSize(8), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	h2, err := got.Fit(x, y, keras.Epochs(1), keras.BatchSize(8), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(h1.History["loss"], h2.History["loss"]) {
		t.Errorf("resumed loss %v, original %v", h2.History["loss"], h1.History["loss"])
	}
}

// The earlier format (weights in safetensors) still loads: the file in
// testdata was written by the previous Save, with its predictions
// recorded as float32 bits.
func TestLoadEarlierFormat(t *testing.T) {
	m, err := keras.LoadModel("testdata/gokeras_v1.keras")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/gokeras_v1.keras.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Bits       []uint32 `json:"predict_bits"`
		Iterations int64    `json:"iterations"`
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	x, _ := blobs(12)
	got := predictBits(t, m, x)
	for i, v := range got {
		if math.Float32bits(v) != want.Bits[i] {
			t.Fatalf("output %d: %v, want bits %x", i, v, want.Bits[i])
		}
	}
	if m.Optimizer() == nil || m.Optimizer().Iterations() != want.Iterations {
		t.Errorf("optimizer %v, want adam at iteration %d", m.Optimizer(), want.Iterations)
	}
	// And its weights load with LoadWeights too.
	fresh := classifier(t, 9)
	if err := fresh.LoadWeights("testdata/gokeras_v1.keras"); err != nil {
		t.Fatal(err)
	}
	if !sameWeights(fresh.GetWeights(), m.GetWeights()) {
		t.Error("LoadWeights of the earlier .keras differs from LoadModel's weights")
	}
}

// SaveWeights to .weights.h5 writes Keras 3's layout; LoadWeights reads
// it (and the weights of a .keras file) back exactly.
func TestWeightsH5RoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, m := range []*keras.Model{classifier(t, 3), functionalModel(t)} {
		path := filepath.Join(dir, m.Name()+".weights.h5")
		if err := m.SaveWeights(path); err != nil {
			t.Fatal(err)
		}
		head, _ := os.ReadFile(path)
		if !bytes.HasPrefix(head, []byte("\x89HDF")) {
			t.Fatalf("%s is not HDF5", path)
		}
		var other *keras.Model
		if m.ClassName() == "Functional" {
			other = functionalModel(t)
			other.Compile(optimizers.SGD(), losses.MeanSquaredError(), keras.Seed(77))
		} else {
			other = classifier(t, 77)
		}
		if sameWeights(other.GetWeights(), m.GetWeights()) {
			t.Fatal("the two models start with equal weights")
		}
		if err := other.LoadWeights(path); err != nil {
			t.Fatal(err)
		}
		if !sameWeights(other.GetWeights(), m.GetWeights()) {
			t.Errorf("%s: weights differ after LoadWeights", m.ClassName())
		}
		kpath := filepath.Join(dir, m.Name()+".keras")
		if err := m.Save(kpath); err != nil {
			t.Fatal(err)
		}
		other = classifier(t, 78)
		if m.ClassName() == "Sequential" {
			if err := other.LoadWeights(kpath); err != nil {
				t.Fatal(err)
			}
			if !sameWeights(other.GetWeights(), m.GetWeights()) {
				t.Error("weights of a .keras differ after LoadWeights")
			}
		}
	}
}

// Files saved here open with h5py and pass a check of Keras 3's layout
// and config schema; their NumPy forward pass (independent of this
// library) matches Predict. Skips where Debian's python3-h5py is absent.
func TestSavedFileReadByH5py(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	if err := exec.Command(py, "-c", "import h5py, numpy").Run(); err != nil {
		t.Skip("python3-h5py or numpy not installed")
	}
	dir := t.TempDir()
	x, y := blobs(6)
	inPath := filepath.Join(dir, "x.json")
	rows := make([][]float32, 6)
	xd := x.Data().([]float32)
	for i := range rows {
		rows[i] = xd[i*4 : (i+1)*4]
	}
	b, _ := json.Marshal(rows)
	os.WriteFile(inPath, b, 0o644)
	seqInput := keras.Sequential(keras.Input(4), layers.Dense(6, layers.Activation("relu")), layers.Flatten(), layers.Dense(2))
	for _, m := range []*keras.Model{classifier(t, 4), functionalModel(t), seqInput} {
		if m.Optimizer() != nil {
			if _, err := m.Fit(x, y, keras.Verbose(0)); err != nil && !strings.Contains(err.Error(), "shape") {
				t.Fatal(err)
			}
		}
		path := filepath.Join(dir, m.Name()+"_"+m.ClassName()+".keras")
		if err := m.Save(path); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(py, "testdata/check_keras3.py", path, inPath).Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				t.Fatalf("%s: %v\n%s", path, err, ee.Stderr)
			}
			t.Fatal(err)
		}
		var ref [][]float64
		if err := json.Unmarshal(out, &ref); err != nil {
			t.Fatalf("%s: %v (%s)", path, err, out)
		}
		got := predictBits(t, m, x)
		w := len(got) / 6
		for i := range ref {
			for j, v := range ref[i] {
				if d := math.Abs(v - float64(got[i*w+j])); d > 1e-5 {
					t.Errorf("%s: output [%d][%d] = %v, NumPy %v", path, i, j, got[i*w+j], v)
				}
			}
		}
	}
}

// A truncated or byte-flipped Keras 3 file is an error wrapping
// ErrBadFile (or, where a flip makes a name Keras-valid but unknown
// here, ErrUnsupported), never a panic; flips in the stored weights are
// caught by the zip's CRC.
func TestKeras3FileCorruption(t *testing.T) {
	good := savedBytes(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.keras")
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var wOff, cOff int64
	for _, f := range zr.File {
		switch f.Name {
		case "model.weights.h5":
			wOff, _ = f.DataOffset()
		case "config.json":
			cOff, _ = f.DataOffset()
		}
	}
	for _, at := range []int64{wOff + 1, wOff + 600, wOff + 2000, cOff + 10} {
		b := bytes.Clone(good)
		b[at] ^= 0x10
		os.WriteFile(path, b, 0o644)
		_, err := keras.LoadModel(path)
		if err == nil {
			t.Errorf("a flip at byte %d loaded", at)
		} else if !errors.Is(err, keras.ErrBadFile) {
			t.Errorf("flip at byte %d: %v does not wrap ErrBadFile", at, err)
		}
	}
	for n := 0; n < len(good); n += max(1, len(good)/150) {
		os.WriteFile(path, good[:n], 0o644)
		if _, err := keras.LoadModel(path); !errors.Is(err, keras.ErrBadFile) {
			t.Fatalf("first %d of %d bytes: %v, want ErrBadFile", n, len(good), err)
		}
	}
}

// rezipDeflated writes the members deflated (Keras stores them).
func rezipDeflated(t *testing.T, names []string, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[n])
	}
	zw.Close()
	return buf.Bytes()
}

// A zip bomb (a deflated weights member that inflates far beyond what the
// architecture's weights need) is refused at the bound, not read into
// memory; the same file deflated honestly loads.
func TestZipBomb(t *testing.T) {
	good := savedBytes(t)
	names, files := zipEntries(t, good)
	dir := t.TempDir()
	honest := filepath.Join(dir, "deflated.keras")
	os.WriteFile(honest, rezipDeflated(t, names, files), 0o644)
	if _, err := keras.LoadModel(honest); err != nil {
		t.Fatalf("a deflated .keras: %v", err)
	}
	// 64 MiB of zeros after the HDF5 file: the architecture needs a few KiB.
	bomb := map[string][]byte{}
	for k, v := range files {
		bomb[k] = v
	}
	bomb["model.weights.h5"] = append(bytes.Clone(files["model.weights.h5"]), make([]byte, 64<<20)...)
	data := rezipDeflated(t, names, bomb)
	if len(data) > 1<<20 {
		t.Fatalf("bomb of %d bytes", len(data))
	}
	path := filepath.Join(dir, "bomb.keras")
	os.WriteFile(path, data, 0o644)
	_, err := keras.LoadModel(path)
	if !errors.Is(err, keras.ErrBadFile) || !strings.Contains(err.Error(), "this file can justify") {
		t.Errorf("zip bomb: %v, want ErrBadFile at the inflation bound", err)
	}
}

// A tiny file declaring huge layers is refused before anything is
// allocated: with a known input shape and no weights, and with no input
// shape at all.
func TestTinyHostileConfig(t *testing.T) {
	dir := t.TempDir()
	mk := func(cfg string, withWeights bool) string {
		names := []string{"metadata.json", "config.json"}
		files := map[string][]byte{"metadata.json": []byte(`{"keras_version": "3.15.0", "date_saved": "2026-01-01@00:00:00"}`), "config.json": []byte(cfg)}
		if withWeights {
			names = append(names, "model.weights.h5")
			files["model.weights.h5"] = savedWeightsH5(t)
		}
		p := filepath.Join(dir, "hostile.keras")
		os.WriteFile(p, rezip(t, names, files), 0o644)
		return p
	}
	dense := `{"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 2147483648}, "registered_name": null}`
	for _, tc := range []struct {
		name, cfg string
		weights   bool
		want      string
	}{
		{"unbuilt", `{"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [` + dense + `]}, "registered_name": null}`, false, "units"},
		{"built without weights", `{"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [` + dense + `], "build_input_shape": [null, 1]}, "registered_name": null}`, false, "model.weights.h5 is missing"},
		{"built, weights of another model", `{"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [` + dense + `], "build_input_shape": [null, 1]}, "registered_name": null}`, true, "dense"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := keras.LoadModel(mk(tc.cfg, tc.weights))
			if err == nil {
				t.Fatalf("loaded (%d params)", m.CountParams())
			}
			if !errors.Is(err, keras.ErrBadFile) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want ErrBadFile mentioning %q", err, tc.want)
			}
		})
	}
}

// savedWeightsH5 is the model.weights.h5 of a small saved model.
func savedWeightsH5(t *testing.T) []byte {
	_, files := zipEntries(t, savedBytes(t))
	return files["model.weights.h5"]
}

// LoadWeights refuses NaN weights and float64 values beyond float32's
// range, and a byte flip in a safetensors file written here (its
// checksum); a file without the checksum still loads.
func TestLoadWeightsChecks(t *testing.T) {
	dir := t.TempDir()
	m := classifier(t, 1)
	path := filepath.Join(dir, "w.safetensors")
	if err := m.SaveWeights(path); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	flipped := bytes.Clone(good)
	flipped[len(flipped)-3] ^= 1
	os.WriteFile(path, flipped, 0o644)
	if err := classifier(t, 2).LoadWeights(path); !errors.Is(err, keras.ErrBadFile) || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("flipped byte: %v, want a checksum error", err)
	}

	ws := m.GetWeights()
	f64 := keras.Sequential(layers.Dense(8, layers.InputShape(4), layers.Activation("relu")), layers.Dropout(0.25), layers.Dense(3, layers.Activation("softmax")))
	if err := f64.Compile(optimizers.SGD(), losses.MeanSquaredError(), keras.DType(tensor.Float64)); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), 1e39} {
		w64 := make([]*tensor.Dense, len(ws))
		for i, w := range ws {
			v := make([]float64, w.Shape().TotalSize())
			w64[i] = tensor.New(tensor.WithShape(w.Shape()...), tensor.WithBacking(v))
		}
		w64[0].Data().([]float64)[1] = bad
		if !math.IsNaN(bad) && !math.IsInf(bad, 0) {
			if err := f64.SetWeights(w64); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "big.safetensors")
			if err := f64.SaveWeights(p); err != nil {
				t.Fatal(err)
			}
			if err := classifier(t, 2).LoadWeights(p); !errors.Is(err, keras.ErrBadFile) || !strings.Contains(err.Error(), "float32") {
				t.Errorf("1e39 into float32: %v, want ErrBadFile naming float32's range", err)
			}
			continue
		}
		if err := f64.SetWeights(w64); err == nil {
			t.Errorf("SetWeights took %v", bad)
		}
	}
}

// Save onto a directory says so; Save of a model without layers says why
// it cannot save; a model whose input shape is unknown saves and loads
// back unbuilt.
func TestSaveRefusals(t *testing.T) {
	dir := t.TempDir()
	m := classifier(t, 1)
	if err := m.Save(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Save onto a directory: %v", err)
	}
	if err := m.SaveWeights(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("SaveWeights onto a directory: %v", err)
	}
	if err := keras.Sequential().Save(filepath.Join(dir, "empty.keras")); err == nil || !strings.Contains(err.Error(), "no layers") {
		t.Errorf("Save of an empty model: %v", err)
	}
	unbuilt := keras.Sequential(layers.Dense(2))
	unbuilt.Compile(optimizers.SGD(), losses.MeanSquaredError())
	p := filepath.Join(dir, "unbuilt.keras")
	if err := unbuilt.Save(p); err != nil {
		t.Fatal(err)
	}
	got, err := keras.LoadModel(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.InputShape() != nil || got.Optimizer() == nil {
		t.Errorf("loaded input shape %v, optimizer %v; want unbuilt and compiled", got.InputShape(), got.Optimizer())
	}
}

// A zip in tf.keras 2.13's layout (each layer's variables under
// _layer_checkpoint_dependencies/<layer name>/vars, written here with
// the HDF5 writer as that version's saving_lib lays them out) loads.
func TestLoadTF213Zip(t *testing.T) {
	saved := savedBytes(t)
	_, files := zipEntries(t, saved)
	src, err := keras.LoadModel(writeTemp(t, saved))
	if err != nil {
		t.Fatal(err)
	}
	w := hdf5.NewWriter()
	ws := src.GetWeights()
	wn := src.WeightNames()
	for i, name := range wn {
		layer, _, _ := strings.Cut(name, "/")
		k := 0
		for j := 0; j < i; j++ {
			if strings.HasPrefix(wn[j], layer+"/") {
				k++
			}
		}
		if _, err := w.Root().CreateDataset(fmt.Sprintf("_layer_checkpoint_dependencies/%s/vars/%d", layer, k), []int(ws[i].Shape()), ws[i].Data()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Root().CreateGroup("_layer_checkpoint_dependencies/dropout/vars"); err != nil {
		t.Fatal(err)
	}
	var h5 bytes.Buffer
	if _, err := w.WriteTo(&h5); err != nil {
		t.Fatal(err)
	}
	cfg := bytes.ReplaceAll(files["config.json"], []byte(`, "compile_config"`), []byte(`, "x_compile_config"`))
	data := rezip(t, []string{"metadata.json", "config.json", "model.weights.h5"}, map[string][]byte{
		"metadata.json":    []byte(`{"keras_version": "2.13.1", "date_saved": "2023-08-01@10:00:00"}`),
		"config.json":      cfg,
		"model.weights.h5": h5.Bytes(),
	})
	got, err := keras.LoadModel(writeTemp(t, data))
	if err != nil {
		t.Fatal(err)
	}
	x, _ := blobs(9)
	if !reflect.DeepEqual(predictBits(t, got, x), predictBits(t, src, x)) {
		t.Error("the tf.keras 2.13 layout predicts differently")
	}
}

func writeTemp(t *testing.T, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "m.keras")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
