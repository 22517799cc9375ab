package keras_test

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokeras/keras/keras"
	"gorgonia.org/tensor"
)

// corpusDir finds the real Keras files listed in
// testdata/kerasfiles/SOURCES.md (kept out of the repository): in
// $KERAS_CORPUS, else shared/kerasfiles beside the checkout. The test
// skips when neither has them.
func corpusDir(t *testing.T) string {
	t.Helper()
	for _, d := range []string{os.Getenv("KERAS_CORPUS"), "../../shared/kerasfiles", "../testdata/kerasfiles"} {
		if d == "" {
			continue
		}
		if m, _ := filepath.Glob(filepath.Join(d, "*.keras")); len(m) > 0 {
			return d
		}
	}
	t.Skip("no Keras corpus files (see testdata/kerasfiles/SOURCES.md; set KERAS_CORPUS)")
	return ""
}

// expected is a corpus file's .expected.json, written by
// testdata/kerasfiles/reference.py (an independent NumPy forward pass
// over the weights as h5py reads them).
type expected struct {
	KerasVersion string    `json:"keras_version"`
	InputShape   []int     `json:"input_shape"`
	Input        any       `json:"input"`
	Output       any       `json:"output"`
	Note         string    `json:"note"`
	flatIn       []float32 // Input flattened
	flatOut      []float64
}

func flatten(v any, out *[]float64) {
	switch x := v.(type) {
	case float64:
		*out = append(*out, x)
	case []any:
		for _, e := range x {
			flatten(e, out)
		}
	}
}

func readExpected(t *testing.T, path string) *expected {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var e expected
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	var in, out []float64
	flatten(e.Input, &in)
	flatten(e.Output, &out)
	for _, v := range in {
		e.flatIn = append(e.flatIn, float32(v))
	}
	e.flatOut = out
	return &e
}

// Every corpus file loads (the weights-only ones through ModelFromJSON
// and LoadWeights) and predicts NumPy's numbers to 1e-5; the subclassed
// model is ErrUnsupported, naming its class.
func TestCorpusPredict(t *testing.T) {
	dir := corpusDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.expected.json"))
	if len(files) == 0 {
		t.Skip("no .expected.json beside the corpus")
	}
	for _, ef := range files {
		name := strings.TrimSuffix(filepath.Base(ef), ".expected.json")
		t.Run(name, func(t *testing.T) {
			e := readExpected(t, ef)
			path := filepath.Join(dir, name)
			var m *keras.Model
			var err error
			if strings.Contains(name, "_weights.h5") {
				cfg, rerr := os.ReadFile(path + ".model_config.json")
				if rerr != nil {
					t.Fatal(rerr)
				}
				if m, err = keras.ModelFromJSON(cfg); err != nil {
					t.Fatal(err)
				}
				if err = m.LoadWeights(path); err != nil {
					t.Fatal(err)
				}
			} else {
				m, err = keras.LoadModel(path)
			}
			if e.Output == nil {
				if !errors.Is(err, keras.ErrUnsupported) || !strings.Contains(err.Error(), "NestedDenseModel") {
					t.Fatalf("subclassed model: %v, want ErrUnsupported naming its class", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			x := tensor.New(tensor.WithShape(e.InputShape...), tensor.WithBacking(e.flatIn))
			y, err := m.Predict(x)
			if err != nil {
				t.Fatal(err)
			}
			got := y.Data().([]float32)
			if len(got) != len(e.flatOut) {
				t.Fatalf("%d outputs, want %d", len(got), len(e.flatOut))
			}
			worst := 0.0
			for i, v := range got {
				worst = math.Max(worst, math.Abs(float64(v)-e.flatOut[i]))
			}
			if worst > 1e-5 {
				t.Errorf("max |Predict - NumPy| = %g, want <= 1e-5 (got %v, want %v)", worst, got[:min(6, len(got))], e.flatOut[:min(6, len(got))])
			}
			// Saved here and loaded again, the model predicts the same
			// numbers bit for bit.
			saved := filepath.Join(t.TempDir(), "again.keras")
			if err := m.Save(saved); err != nil {
				t.Fatal(err)
			}
			again, err := keras.LoadModel(saved)
			if err != nil {
				t.Fatal(err)
			}
			y2, err := again.Predict(x)
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range y2.Data().([]float32) {
				if math.Float32bits(v) != math.Float32bits(got[i]) {
					t.Fatalf("after Save and LoadModel, output %d is %v, was %v", i, v, got[i])
				}
			}
		})
	}
}

// The Adam state of a Keras 3 file loads (its iteration count, read with
// h5py: optimizer/vars/0 = 8250; optimizer/vars/3, the velocity of the
// first kernel, starts 0.00010932 0.00015899 0.00031751), so training
// resumes; the resumed Fit runs and counts on from there.
func TestCorpusOptimizerState(t *testing.T) {
	dir := corpusDir(t)
	m, err := keras.LoadModel(filepath.Join(dir, "keras3_seq_mlp.keras"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Optimizer() == nil || m.Optimizer().Name() != "adam" || m.Iterations() != 8250 {
		t.Fatalf("optimizer %v at iteration %d, want adam at 8250", m.Optimizer(), m.Iterations())
	}
	vars := m.Optimizer().Variables()
	// Ours: iterations, the momenta of the 6 weights, then their velocities.
	v := vars[1+6].Data().([]float32)
	for i, want := range []float64{0.00010932, 0.00015899, 0.00031751} {
		if math.Abs(float64(v[i])-want) > 5e-9 {
			t.Errorf("velocity of dense/kernel [0][%d] = %v, h5py reads %v", i, v[i], want)
		}
	}
	x := tensor.New(tensor.WithShape(4, 12), tensor.WithBacking(make([]float32, 48)))
	y := tensor.New(tensor.WithShape(4, 1), tensor.WithBacking([]float32{0, 1, 0, 1}))
	if _, err := m.Fit(x, y, keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	if m.Iterations() != 8251 {
		t.Errorf("after one step: iteration %d, want 8251", m.Iterations())
	}
}
