package kconfig

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func classes(m *Model) []string {
	var out []string
	for _, l := range m.Layers {
		out = append(out, l.ClassName)
	}
	return out
}

// The fixtures under testdata are written by hand in each era's schema
// (Keras 3's serialization_lib/functional.get_config, Keras 2's
// model.to_json), small enough to read beside the expectations.
func TestDecodeFixtures(t *testing.T) {
	tests := []struct {
		file       string
		class      string
		layers     []string
		buildShape []int
		check      func(t *testing.T, m *Model)
	}{
		{
			file: "keras3_functional_churn.json", class: Functional,
			layers: []string{"InputLayer", "Dense", "Dense", "Concatenate", "Dropout", "Dense"},
			check: func(t *testing.T, m *Model) {
				if got := m.Inputs; !reflect.DeepEqual(got, []Ref{{Layer: "input_layer"}}) {
					t.Errorf("inputs %+v", got)
				}
				if got := m.Outputs; !reflect.DeepEqual(got, []Ref{{Layer: "dense_2"}}) {
					t.Errorf("outputs %+v", got)
				}
				cat := m.Layers[3]
				if len(cat.Inbound) != 1 || !cat.Inbound[0].List || len(cat.Inbound[0].Args) != 2 ||
					cat.Inbound[0].Args[1].Layer != "dense_1" || !reflect.DeepEqual(cat.Inbound[0].Args[1].Shape, []int{-1, 16}) {
					t.Errorf("concatenate inbound %+v", cat.Inbound)
				}
				d := m.Layers[1]
				if d.Config["dtype"] != "float32" {
					t.Errorf("dtype not normalized: %v", d.Config["dtype"])
				}
				want := map[string]any{"class_name": "GlorotUniform", "config": map[string]any{"seed": nil}}
				if !reflect.DeepEqual(d.Config["kernel_initializer"], want) {
					t.Errorf("initializer %v", d.Config["kernel_initializer"])
				}
				if u, err := d.Int("units"); err != nil || u != 16 {
					t.Errorf("units %d %v", u, err)
				}
				if kw := m.Layers[4].Inbound[0].Kwargs; kw["training"] != false {
					t.Errorf("dropout kwargs %v", kw)
				}
				opt := m.CompileConfig["optimizer"].(map[string]any)
				if opt["class_name"] != "Adam" || opt["module"] != nil {
					t.Errorf("optimizer %v", opt)
				}
			},
		},
		{
			file: "keras2_sequential_list.json", class: Sequential,
			layers: []string{"Dense", "Dense"}, buildShape: []int{-1, 8},
			check: func(t *testing.T, m *Model) {
				if got := m.Layers[1].Config["batch_input_shape"]; !reflect.DeepEqual(got, []any{nil, 12.0}) {
					t.Errorf("input_dim alias: %v", got)
				}
				if _, ok := m.Layers[1].Config["input_dim"]; ok {
					t.Error("input_dim kept")
				}
			},
		},
		{
			file: "keras2_functional_merge.json", class: Functional,
			layers: []string{"InputLayer", "Dense", "Add"},
			check: func(t *testing.T, m *Model) {
				in := m.Layers[0]
				if !reflect.DeepEqual(in.Config["batch_shape"], []any{nil, 4.0}) {
					t.Errorf("InputLayer batch_shape %v", in.Config)
				}
				if m.Layers[1].Config["dtype"] != "float32" {
					t.Errorf("Keras 2 Policy not normalized: %v", m.Layers[1].Config["dtype"])
				}
				add := m.Layers[2].Inbound
				want := []Call{{List: true, Args: []Ref{{Layer: "dense_1"}, {Layer: "input_1"}}}}
				if !reflect.DeepEqual(add, want) {
					t.Errorf("add inbound %+v", add)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			m, err := Decode(mustRead(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if m.ClassName != tc.class {
				t.Errorf("class %q, want %q", m.ClassName, tc.class)
			}
			if got := classes(m); !reflect.DeepEqual(got, tc.layers) {
				t.Errorf("layers %v, want %v", got, tc.layers)
			}
			if !reflect.DeepEqual(m.BuildInputShape, tc.buildShape) {
				t.Errorf("build shape %v, want %v", m.BuildInputShape, tc.buildShape)
			}
			tc.check(t, m)
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, json, path string
		want             error
	}{
		{"not json", `{"class_name": `, "not JSON", ErrBadConfig},
		{"no class", `{"config": {}}`, "class_name: missing", ErrBadConfig},
		{"layers not list", `{"class_name": "Sequential", "config": {"name": "s", "layers": 3}}`, "config.layers: want a list", ErrBadConfig},
		{"units string", `{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"name": "d", "units": "8"}}]}}`, "config.layers[0].config.units", ErrBadConfig},
		{"bad shape", `{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "InputLayer", "config": {"name": "i", "batch_shape": [null, -3]}}]}}`, "config.layers[0].config.batch_shape[1]", ErrBadConfig},
		{"kernel_size", `{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Conv2D", "config": {"name": "c", "kernel_size": [3, "x"]}}]}}`, "config.layers[0].config.kernel_size[1]", ErrBadConfig},
		{"dangling ref", `{"class_name": "Functional", "config": {"name": "f", "layers": [{"class_name": "InputLayer", "name": "i", "config": {"name": "i"}, "inbound_nodes": []}, {"class_name": "Dense", "name": "d", "config": {"name": "d"}, "inbound_nodes": [[["nope", 0, 0, {}]]]}], "input_layers": [["i", 0, 0]], "output_layers": [["d", 0, 0]]}}`, "config.layers[1].inbound_nodes[0].args[0]", ErrBadConfig},
		{"duplicate name", `{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"name": "d"}}, {"class_name": "Dense", "config": {"name": "d"}}]}}`, "used twice", ErrBadConfig},
		{"dict inputs", `{"class_name": "Functional", "config": {"name": "f", "layers": [{"class_name": "InputLayer", "name": "i", "config": {"name": "i"}, "inbound_nodes": []}], "input_layers": {"a": ["i", 0, 0]}, "output_layers": [["i", 0, 0]]}}`, "config.input_layers", ErrUnsupported},
		{"non-tensor arg", `{"class_name": "Functional", "config": {"name": "f", "layers": [{"class_name": "InputLayer", "name": "i", "config": {"name": "i"}, "inbound_nodes": []}, {"class_name": "Dense", "name": "d", "config": {"name": "d"}, "inbound_nodes": [{"args": [3], "kwargs": {}}]}], "input_layers": [["i", 0, 0]], "output_layers": [["d", 0, 0]]}}`, "config.layers[1].inbound_nodes[0].args[0]", ErrUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.json))
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.path) {
				t.Errorf("err %q does not name %q", err, tc.path)
			}
		})
	}
}

// TestEncodeRoundTrip checks Encode's output against Keras 3's schema
// (the keys its loader reads) and that decoding it gives the same model.
func TestEncodeRoundTrip(t *testing.T) {
	for _, file := range []string{"keras3_functional_churn.json", "keras2_sequential_list.json", "keras2_functional_merge.json"} {
		t.Run(file, func(t *testing.T) {
			m, err := Decode(mustRead(t, file))
			if err != nil {
				t.Fatal(err)
			}
			if m.ClassName == Functional {
				// Keras 2 files do not record tensor shapes; Keras 3 needs them.
				for i := range m.Layers {
					for j := range m.Layers[i].Inbound {
						for k := range m.Layers[i].Inbound[j].Args {
							if m.Layers[i].Inbound[j].Args[k].Shape == nil {
								m.Layers[i].Inbound[j].Args[k].Shape = []int{-1, 4}
								m.Layers[i].Inbound[j].Args[k].DType = "float32"
							}
						}
					}
				}
			}
			out, err := Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			var raw map[string]any
			if err := json.Unmarshal(out, &raw); err != nil {
				t.Fatalf("Encode wrote invalid JSON: %v\n%s", err, out)
			}
			for _, k := range []string{"module", "class_name", "config", "registered_name"} {
				if _, ok := raw[k]; !ok {
					t.Errorf("top-level %q missing", k)
				}
			}
			cfg := raw["config"].(map[string]any)
			layers := cfg["layers"].([]any)
			for i, lv := range layers {
				l := lv.(map[string]any)
				if l["module"] != "keras.layers" {
					t.Errorf("layer %d module %v", i, l["module"])
				}
				lc := l["config"].(map[string]any)
				if l["class_name"] == "InputLayer" {
					if _, ok := lc["dtype"].(string); !ok {
						t.Errorf("InputLayer dtype %v, want a string as Keras writes it", lc["dtype"])
					}
				} else if p, ok := lc["dtype"].(map[string]any); !ok || p["class_name"] != "DTypePolicy" {
					t.Errorf("layer %d dtype %v, want a DTypePolicy object", i, lc["dtype"])
				}
				if ki, ok := lc["kernel_initializer"].(map[string]any); ok && ki["module"] != "keras.initializers" {
					t.Errorf("initializer module %v", ki["module"])
				}
			}
			if m.ClassName == Functional {
				if raw["registered_name"] != "Functional" || raw["module"] != "keras.src.models.functional" {
					t.Errorf("functional header %v %v", raw["module"], raw["registered_name"])
				}
				if got := cfg["input_layers"]; !reflect.DeepEqual(got, []any{[]any{m.Inputs[0].Layer, 0.0, 0.0}}) {
					t.Errorf("input_layers %v", got)
				}
			}
			back, err := Decode(out)
			if err != nil {
				t.Fatalf("re-decode: %v\n%s", err, out)
			}
			for i := range back.Layers {
				back.Layers[i].Path, m.Layers[i].Path = "", ""
			}
			if m.Module == "" {
				back.Module, back.RegisteredName = "", ""
				for i := range back.Layers {
					back.Layers[i].Module = ""
				}
			}
			if m.DType == "" {
				back.DType = ""
			}
			if m.BuildConfig == nil {
				// Encode writes Sequential's build_config from BuildInputShape.
				back.BuildConfig = nil
			}
			for i := range back.Layers {
				bc, mc := back.Layers[i].Config, m.Layers[i].Config
				if _, ok := mc["trainable"]; !ok {
					delete(bc, "trainable")
				}
				if _, ok := mc["dtype"]; !ok {
					delete(bc, "dtype")
				}
			}
			if !reflect.DeepEqual(back, m) {
				t.Errorf("round trip differs:\n got %+v\nwant %+v", back, m)
			}
		})
	}
}

func TestEncodeFormat(t *testing.T) {
	m := &Model{ClassName: Sequential, Name: "sequential", Trainable: true, BuildInputShape: []int{-1, 3},
		Layers: []Layer{
			{ClassName: "InputLayer", Name: "input_layer", Config: map[string]any{"batch_shape": []any{nil, 3}, "dtype": "float32", "sparse": false, "ragged": false}},
			{ClassName: "Dense", Name: "dense", Config: map[string]any{"units": 1, "activation": "linear", "use_bias": true, "epsilon": 1e-07, "rate": float32(0.99)},
				BuildConfig: map[string]any{"input_shape": []any{nil, 3}}},
		}}
	out, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	// Written as Python's json.dumps writes Keras 3's config.json.
	want := `{"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true, ` +
		`"dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, ` +
		`"layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": {"name": "input_layer", "dtype": "float32", "batch_shape": [null, 3], "ragged": false, "sparse": false}, "registered_name": null}, ` +
		`{"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, ` +
		`"activation": "linear", "epsilon": 1e-07, "rate": 0.99, "units": 1, "use_bias": true}, "registered_name": null, "build_config": {"input_shape": [null, 3]}}], ` +
		`"build_input_shape": [null, 3]}, "registered_name": null, "build_config": {"input_shape": [null, 3]}}`
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestWriteStringAndFloat(t *testing.T) {
	m := &Model{ClassName: "Custom", Name: "n\"é😀", Config: map[string]any{"a": 123456789.5, "b": 1e21, "c": 0.0001, "d": 0.00001}}
	out, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	// Python: json.dumps("n\"é😀") and repr of the floats.
	for _, want := range []string{`"n\"\u00e9\ud83d\ude00"`, `"a": 123456789.5`, `"b": 1e+21`, `"c": 0.0001`, `"d": 1e-05`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("%s not in %s", want, out)
		}
	}
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"Dense": "dense", "Conv2D": "conv2d", "BatchNormalization": "batch_normalization", "LSTM": "lstm",
		"GlobalAveragePooling2D": "global_average_pooling2d", "InputLayer": "input_layer", "SimpleRNN": "simple_rnn",
		"LSTMCell": "lstm_cell", "PReLU": "p_re_lu", "Conv2DTranspose": "conv2d_transpose",
	} {
		if got := SnakeCase(in); got != want {
			t.Errorf("SnakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWeightPathsNesting(t *testing.T) {
	bidi := map[string]any{"layer": map[string]any{"class_name": "LSTM", "config": map[string]any{"name": "forward_lstm"}},
		"backward_layer": map[string]any{"class_name": "LSTM", "config": map[string]any{"name": "backward_lstm"}}}
	m := &Model{ClassName: Functional, Name: "f", Layers: []Layer{
		{ClassName: "InputLayer", Name: "in"},
		{ClassName: "Embedding", Name: "emb"},
		{ClassName: "Bidirectional", Name: "bi", Config: bidi},
		{ClassName: "GRU", Name: "gru_2", Config: map[string]any{"use_bias": false}},
		{ClassName: "GRU", Name: "gru_3"},
		{ClassName: "Sequential", Name: "head", Model: &Model{ClassName: Sequential, Name: "head", Layers: []Layer{
			{ClassName: "InputLayer", Name: "hin"}, {ClassName: "Dense", Name: "d"}, {ClassName: "BatchNormalization", Name: "bn", Config: map[string]any{"center": false}}}}},
	}}
	got, err := WeightPaths(m)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		path string
		vars string
	}
	var rows []row
	for _, g := range got {
		rows = append(rows, row{g.Path, strings.Join(g.Vars, ",")})
	}
	want := []row{
		{"vars", ""},
		{"layers/input_layer/vars", ""},
		{"layers/embedding/vars", "embeddings"},
		{"layers/bidirectional/vars", ""},
		{"layers/bidirectional/backward_layer/vars", ""},
		{"layers/bidirectional/backward_layer/cell/vars", "kernel,recurrent_kernel,bias"},
		{"layers/bidirectional/forward_layer/vars", ""},
		{"layers/bidirectional/forward_layer/cell/vars", "kernel,recurrent_kernel,bias"},
		{"layers/gru/vars", ""},
		{"layers/gru/cell/vars", "kernel,recurrent_kernel"},
		{"layers/gru_1/vars", ""},
		{"layers/gru_1/cell/vars", "kernel,recurrent_kernel,bias"},
		{"layers/sequential/vars", ""},
		{"layers/sequential/layers/dense/vars", "kernel,bias"},
		{"layers/sequential/layers/batch_normalization/vars", "gamma,moving_mean,moving_variance"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got\n%v\nwant\n%v", rows, want)
	}
	if got[13].Layer != "head/d" {
		t.Errorf("nested layer name %q", got[13].Layer)
	}
}

func TestLegacyWeightNames(t *testing.T) {
	tests := []struct {
		class, layer string
		cfg          map[string]any
		want         []string
	}{
		{"Dense", "dense_1", nil, []string{"dense_1/kernel:0", "dense_1/bias:0"}},
		{"GRU", "gru", nil, []string{"gru/gru_cell/kernel:0", "gru/gru_cell/recurrent_kernel:0", "gru/gru_cell/bias:0"}},
		{"BatchNormalization", "bn", nil, []string{"bn/gamma:0", "bn/beta:0", "bn/moving_mean:0", "bn/moving_variance:0"}},
		{"Bidirectional", "bidirectional", map[string]any{"layer": map[string]any{"class_name": "LSTM", "config": map[string]any{"name": "lstm"}}},
			[]string{"bidirectional/forward_lstm/lstm_cell/kernel:0", "bidirectional/forward_lstm/lstm_cell/recurrent_kernel:0", "bidirectional/forward_lstm/lstm_cell/bias:0",
				"bidirectional/backward_lstm/lstm_cell/kernel:0", "bidirectional/backward_lstm/lstm_cell/recurrent_kernel:0", "bidirectional/backward_lstm/lstm_cell/bias:0"}},
	}
	for _, tc := range tests {
		got, ok := LegacyWeightNames(tc.class, tc.layer, tc.cfg)
		if !ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v %v, want %v", tc.class, got, ok, tc.want)
		}
	}
}

func TestMetadata(t *testing.T) {
	md, err := DecodeMetadata([]byte(`{"keras_version": "3.15.0", "date_saved": "2026-05-13@21:23:40"}`))
	if err != nil || md.KerasVersion != "3.15.0" || md.DateSaved != "2026-05-13@21:23:40" {
		t.Fatalf("%+v %v", md, err)
	}
	if got := string(EncodeMetadata(md)); got != `{"keras_version": "3.15.0", "date_saved": "2026-05-13@21:23:40"}` {
		t.Errorf("EncodeMetadata %s", got)
	}
	if _, err := DecodeMetadata([]byte(`{}`)); !errors.Is(err, ErrBadConfig) {
		t.Errorf("empty metadata: %v", err)
	}
	for v, want := range map[string]int{"2.2.4-tf": 2, "3.15.0": 3, "": 0} {
		if Major(v) != want {
			t.Errorf("Major(%q) = %d", v, Major(v))
		}
	}
}

func TestDecodeTrainingConfig(t *testing.T) {
	tc, err := DecodeTrainingConfig([]byte(`{"optimizer_config": {"class_name": "Adam", "config": {"lr": 0.001, "decay": 0.0}}, "loss": "mse", "metrics": ["accuracy"]}`))
	if err != nil {
		t.Fatal(err)
	}
	opt := tc["optimizer"].(map[string]any)
	if opt["class_name"] != "Adam" || opt["config"].(map[string]any)["learning_rate"] != 0.001 {
		t.Errorf("optimizer %v", opt)
	}
	if _, ok := tc["optimizer_config"]; ok {
		t.Error("optimizer_config kept")
	}
}
