package keras

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
)

// fuzzModel is the model whose files seed the fuzzers.
func fuzzModel(t testing.TB) *Model {
	m := Sequential(
		layers.Dense(3, layers.InputShape(2), layers.Activation("relu")),
		layers.Dropout(0.5),
		layers.Dense(2, layers.Activation("softmax")),
	)
	if err := m.Compile(optimizers.Adam(), losses.CategoricalCrossentropy(), Metrics("accuracy")); err != nil {
		t.Fatal(err)
	}
	return m
}

// FuzzLoadModel feeds arbitrary bytes to the model-file reader: it must
// return a model or an error, never panic or allocate without bound. The
// seed corpus is testdata/fuzz/FuzzLoadModel plus a freshly saved file.
func FuzzLoadModel(f *testing.F) {
	m := fuzzModel(f)
	data, err := m.marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := loadModel(b)
		if err == nil && got == nil {
			t.Fatal("no model and no error")
		}
	})
}

// FuzzLoadWeights feeds arbitrary bytes to LoadWeights's reader. The
// seed corpus is testdata/fuzz/FuzzLoadWeights plus a freshly saved file.
func FuzzLoadWeights(f *testing.F) {
	m := fuzzModel(f)
	path := filepath.Join(f.TempDir(), "w.safetensors")
	if err := m.SaveWeights(path); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Fuzz(func(t *testing.T, b []byte) {
		m := fuzzModel(t)
		m.loadWeightsBytes(b)
	})
}

// FuzzLoadModelParts fuzzes the entries of a model file one by one
// (zipped by the target), so that mutations reach the JSON and
// safetensors readers instead of failing the zip checksums.
func FuzzLoadModelParts(f *testing.F) {
	m := fuzzModel(f)
	data, err := m.marshal()
	if err != nil {
		f.Fatal(err)
	}
	files, err := readZip(data)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(files[metadataFile], files[configFile], files[stateFile], files[weightsFile])
	f.Fuzz(func(t *testing.T, md, cfg, st, w []byte) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, e := range []struct {
			name string
			b    []byte
		}{{metadataFile, md}, {configFile, cfg}, {stateFile, st}, {weightsFile, w}} {
			fw, err := zw.Create(e.name)
			if err != nil {
				t.Fatal(err)
			}
			fw.Write(e.b)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		got, err := loadModel(buf.Bytes())
		if err == nil && got == nil {
			t.Fatal("no model and no error")
		}
	})
}
