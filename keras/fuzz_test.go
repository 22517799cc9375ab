package keras

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/gokeras/keras/internal/kconfig"
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
	if err := m.ensureBuilt(); err != nil {
		t.Fatal(err)
	}
	return m
}

// FuzzLoadModel feeds arbitrary bytes to LoadModel's reader (every
// format it finds from the bytes): it must return a model or an error,
// never panic or allocate without bound. The seed corpus is
// testdata/fuzz/FuzzLoadModel plus a freshly saved .keras file. Run with
//
//	go test ./keras/ -run '^$' -fuzz FuzzLoadModel -fuzztime 30s
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

// FuzzLoadConfig fuzzes config.json inside an otherwise valid .keras zip
// (stored members, as Keras writes them), so that mutations reach the
// config decoder, the layer registry and the weights mapping instead of
// failing the zip's checksums.
func FuzzLoadConfig(f *testing.F) {
	m := fuzzModel(f)
	km, err := m.kerasConfig(true)
	if err != nil {
		f.Fatal(err)
	}
	cfg, err := kconfig.Encode(km)
	if err != nil {
		f.Fatal(err)
	}
	weights, err := m.weightsH5(km, true)
	if err != nil {
		f.Fatal(err)
	}
	md := kconfig.EncodeMetadata(kconfig.NewMetadata(KerasVersion, zipEpoch))
	f.Add(cfg)
	f.Fuzz(func(t *testing.T, cfg []byte) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, e := range []struct {
			name string
			b    []byte
		}{{kconfig.MetadataFile, md}, {kconfig.ConfigFile, cfg}, {kconfig.WeightsFile, weights}} {
			fw, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store})
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

// FuzzLoadWeights feeds arbitrary bytes to LoadWeights's reader
// (safetensors, Keras 3 .weights.h5, legacy HDF5 and .keras zips, found
// from the bytes). The seed corpus is testdata/fuzz/FuzzLoadWeights plus
// freshly saved files of both formats.
func FuzzLoadWeights(f *testing.F) {
	m := fuzzModel(f)
	names, ts, err := m.weightTensors()
	if err != nil {
		f.Fatal(err)
	}
	st, err := encodeSafetensors(names, ts, map[string]string{"producer": "gokeras"})
	if err != nil {
		f.Fatal(err)
	}
	km, err := m.kerasConfig(false)
	if err != nil {
		f.Fatal(err)
	}
	h5, err := m.weightsH5(km, false)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(st)
	f.Add(h5)
	f.Fuzz(func(t *testing.T, b []byte) {
		m := fuzzModel(t)
		m.loadWeightsBytes(b)
	})
}
