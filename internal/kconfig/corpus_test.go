package kconfig

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// corpusDir finds the real Keras files listed in
// testdata/kerasfiles/SOURCES.md: $KERAS_CORPUS, else the project's
// testdata/kerasfiles, else shared/kerasfiles beside the checkout.
func corpusDir(t *testing.T) string {
	t.Helper()
	cands := []string{os.Getenv("KERAS_CORPUS"), "../../testdata/kerasfiles", "../../../shared/kerasfiles"}
	for _, d := range cands {
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

func zipMember(t *testing.T, path, name string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("%s has no %s", path, name)
	return nil
}

// TestCorpus decodes the configuration of every corpus file and, for
// Keras 3 zips, compares WeightPaths with the groups h5py found in the
// real model.weights.h5 (recorded by reference.py in the file's
// .expected.json).
func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	tests := []struct {
		file   string
		class  string
		layers string
	}{
		{"keras3_seq_mlp.keras", Sequential, "InputLayer Dense Dense Dense"},
		{"keras3_seq_mlp_dropout.keras", Sequential, "InputLayer Dense Dropout Dense Dropout Dense Dense"},
		{"keras3_subclassed_nested.keras", "NestedDenseModel", ""},
		{"tfk211_seq_conv1d_gru_h5.keras", Sequential, "InputLayer Conv1D Activation GRU"},
		{"tfk211_seq_mlp_h5.keras", Sequential, "InputLayer Dense Activation Dense Activation"},
		{"tfk211_functional_conv1d.h5", Functional, "InputLayer Conv1D"},
		{"tfk213_seq_conv2d.h5", Sequential, "InputLayer Conv2D"},
		{"tfk213_seq_conv2d_hard_sigmoid.h5", Sequential, "InputLayer Conv2D"},
		{"k2_functional_lstm.h5", Functional, "InputLayer LSTM Flatten Dense"},
		{"k2_functional_gru.h5", Functional, "InputLayer GRU Dense Dropout Dense"},
		{"k2_cnn_bn_weights.h5", Functional, "InputLayer BatchNormalization Conv2D Dropout BatchNormalization Conv2D Dropout Flatten Dense Dropout Dense"},
		{"k2_mlp_bn_weights.h5", Functional, "InputLayer Dense BatchNormalization Activation Dense BatchNormalization Activation Dense BatchNormalization Activation Dense BatchNormalization Activation"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			var data []byte
			isZip := false
			if b, err := os.ReadFile(path); err != nil {
				t.Fatal(err)
			} else if len(b) > 2 && b[0] == 'P' && b[1] == 'K' {
				isZip = true
				data = zipMember(t, path, ConfigFile)
				if _, err := DecodeMetadata(zipMember(t, path, MetadataFile)); err != nil {
					t.Error(err)
				}
			} else {
				// HDF5: the model_config attribute, extracted by h5py into a
				// sidecar (see SOURCES.md).
				if data, err = os.ReadFile(path + ".model_config.json"); err != nil {
					t.Fatal(err)
				}
			}
			m, err := Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if m.ClassName != tc.class || strings.Join(classes(m), " ") != tc.layers {
				t.Fatalf("got %s %v, want %s %s", m.ClassName, classes(m), tc.class, tc.layers)
			}
			for i := range m.Layers {
				if d, ok := m.Layers[i].Config["dtype"]; ok {
					if _, isString := d.(string); !isString {
						t.Errorf("%s dtype not normalized: %v", m.Layers[i].Name, d)
					}
				}
			}
			if m.ClassName == Sequential && len(m.BuildInputShape) == 0 {
				t.Errorf("no build input shape")
			}
			// Re-encode as Keras 3 and decode again: the same layers.
			if m.ClassName == Sequential {
				out, err := Encode(m)
				if err != nil {
					t.Fatal(err)
				}
				back, err := Decode(out)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(classes(back), classes(m)) {
					t.Errorf("re-encoded layers %v", classes(back))
				}
			}
			if !isZip {
				return
			}
			exp, err := os.ReadFile(path + ".expected.json")
			if err != nil {
				t.Skip("no expected.json: run reference.py")
			}
			var ref struct {
				Groups []string `json:"weight_groups"`
			}
			if err := json.Unmarshal(exp, &ref); err != nil {
				t.Fatal(err)
			}
			if m.ClassName != Sequential && m.ClassName != Functional {
				return
			}
			paths, err := WeightPaths(m)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, g := range paths {
				got = append(got, g.Path)
			}
			// The real file also holds the optimizer's group.
			want := []string{}
			for _, g := range ref.Groups {
				if g != OptimizerPath {
					want = append(want, g)
				}
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("WeightPaths %v\nfile has  %v", got, want)
			}
		})
	}
}
