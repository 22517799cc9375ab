package keras_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokeras/keras/keras"
)

// zipEntries reads the entries of a model file.
func zipEntries(t *testing.T, data []byte) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
		files[f.Name] = b
	}
	return names, files
}

// rezip writes entries back, after edit changes them.
func rezip(t *testing.T, names []string, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		b, ok := files[n]
		if !ok {
			continue
		}
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// savedBytes returns the bytes of a trained classifier's model file.
func savedBytes(t *testing.T) []byte {
	t.Helper()
	m := classifier(t, 5)
	x, y := blobs(12)
	if _, err := m.Fit(x, y, keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.keras")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Every kind of bad file gives an error that says what is wrong; none
// panics.
func TestLoadModelBadFiles(t *testing.T) {
	good := savedBytes(t)
	names, files := zipEntries(t, good)
	edit := func(name, old, new string) []byte {
		f := map[string][]byte{}
		for k, v := range files {
			f[k] = v
		}
		if !bytes.Contains(f[name], []byte(old)) {
			t.Fatalf("%s does not contain %q", name, old)
		}
		f[name] = bytes.Replace(f[name], []byte(old), []byte(new), 1)
		return rezip(t, names, f)
	}
	without := func(name string) []byte {
		f := map[string][]byte{}
		for k, v := range files {
			if k != name {
				f[k] = v
			}
		}
		return rezip(t, names, f)
	}
	w := files["model.weights.h5"]
	tests := []struct {
		name string
		data []byte
		want string // in the error
	}{
		{"empty", nil, "not a model file"},
		{"not a zip", []byte("hello, world"), "not a model file"},
		{"truncated", good[:len(good)/2], "not a model file"},
		{"no config", without("config.json"), "config.json is missing"},
		{"no weights", without("model.weights.h5"), "model.weights.h5 is missing"},
		{"bad metadata", edit("metadata.json", `"keras_version"`, `"keras_versio"`), "metadata.json"},
		{"bad json", edit("config.json", `"class_name"`, `"class_name`), "config.json"},
		{"subclassed", edit("config.json", `"class_name": "Sequential"`, `"class_name": "MyModel"`), "subclassed model class"},
		{"unknown layer", edit("config.json", `"class_name": "Dropout"`, `"class_name": "NoSuchLayer"`), `unknown layer class "NoSuchLayer" (known: Activation, `},
		{"unknown activation", edit("config.json", `"activation": "relu"`, `"activation": "rellu"`), `unknown activation "rellu" (known: `},
		{"bad units", edit("config.json", `"units": 8`, `"units": -8`), "units"},
		{"bad rate", edit("config.json", `"rate": 0.25`, `"rate": 1.5`), "rate"},
		{"float16", edit("config.json", `"name": "float32"}, "registered_name": null}, "layers"`, `"name": "mixed_float16"}, "registered_name": null}, "layers"`), `dtype "mixed_float16"`},
		{"unknown optimizer", edit("config.json", `"class_name": "Adam"`, `"class_name": "Adamm"`), `unknown optimizer "Adamm"; known names: adadelta`},
		{"unknown loss", edit("config.json", `"class_name": "CategoricalCrossentropy"`, `"class_name": "Crossentropy"`), `unknown loss "Crossentropy" (known: `},
		{"unknown metric", edit("config.json", `"accuracy"`, `"acuracy"`), `unknown metric "acuracy"`},
		{"units do not fit the weights", edit("config.json", `"units": 8`, `"units": 9`), "weight dense/kernel has shape (4, 8) in the file, the model expects (4, 9)"},
		{"input does not fit the weights", edit("config.json", `"build_input_shape": [null, 4]`, `"build_input_shape": [null, 5]`), "weight dense/kernel has shape (4, 8) in the file, the model expects (5, 8)"},
		{"variable input", edit("config.json", `"build_input_shape": [null, 4]`, `"build_input_shape": [null, null]`), "is None"},
		{"bad weights", edit("model.weights.h5", string(w[:8]), "\x89HDF\r\n\x1a\x00"), "model.weights.h5"},
		{"truncated weights", edit("model.weights.h5", string(w), string(w[:len(w)-40])), "model.weights.h5"},
		{"bad rng", edit("training_state.json", `"rng_state":"`, `"rng_state":"AAAA`), "rng_state"},
		{"optimizer state of another optimizer", edit("config.json", `"class_name": "Adam"`, `"class_name": "SGD"`), "optimizer sgd"},
	}
	dir := t.TempDir()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := keras.LoadModel(path)
			if err == nil {
				t.Fatalf("loaded a bad file (%v)", m.Summary())
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if errors.Is(err, keras.ErrEngine) {
				t.Errorf("error %q comes from a recovered panic", err)
			}
			if !errors.Is(err, keras.ErrBadFile) && !errors.Is(err, keras.ErrUnsupported) {
				t.Errorf("error %q wraps neither ErrBadFile nor ErrUnsupported", err)
			}
		})
	}
	if _, err := keras.LoadModel(filepath.Join(dir, "does-not-exist")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want os.ErrNotExist", err)
	}
}

// Every truncation of a model file is an error, never a panic or a
// half-loaded model.
func TestLoadModelTruncated(t *testing.T) {
	good := savedBytes(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "cut")
	step := max(1, len(good)/200)
	for n := 0; n < len(good); n += step {
		os.WriteFile(path, good[:n], 0o644)
		if _, err := keras.LoadModel(path); err == nil {
			t.Fatalf("loaded the first %d of %d bytes", n, len(good))
		} else if errors.Is(err, keras.ErrEngine) {
			t.Fatalf("first %d bytes: panic: %v", n, err)
		}
	}
}

// Errors about the file's content wrap ErrBadFile.
func TestLoadModelErrBadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad")
	os.WriteFile(path, []byte("PK\x03\x04 not really"), 0o644)
	if _, err := keras.LoadModel(path); !errors.Is(err, keras.ErrBadFile) {
		t.Errorf("error %v does not wrap ErrBadFile", err)
	}
}
