package layers_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gokeras/keras/layers"
)

// rows returns a 2-D float32 tensor as rows, checking its shape.
func rows(t *testing.T, d *tensor.Dense, n, m int) [][]float32 {
	t.Helper()
	if got := []int(d.Shape()); !slices.Equal(got, []int{n, m}) {
		t.Fatalf("shape %v, want (%d, %d)", got, n, m)
	}
	if d.Dtype() != tensor.Float32 {
		t.Fatalf("dtype %v, want float32", d.Dtype())
	}
	data := d.Data().([]float32)
	out := make([][]float32, n)
	for i := range out {
		out[i] = data[i*m : (i+1)*m]
	}
	return out
}

func mustTransform(t *testing.T, tv *layers.TextVectorizationLayer, texts ...string) *tensor.Dense {
	t.Helper()
	out, err := tv.Transform(texts)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func near(a, b []float32, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i])-float64(b[i])) > tol {
			return false
		}
	}
	return true
}

// The vocabularies and ids below are worked out by hand from Keras 3's
// rules (keras/src/layers/preprocessing/index_lookup.py): tokens by
// descending count, ties by descending token (np.lexsort((tokens,
// counts))[::-1]), then "" and "[UNK]" in front in "int" mode. The first
// case is Keras's own test_adapt_flow (text_vectorization_test.py), whose
// expected ids Keras records.
func TestTextVectorizationIntVocabularyAndIDs(t *testing.T) {
	cases := []struct {
		name   string
		opts   []layers.Option
		adapt  []string
		vocab  []string
		inputs []string
		ids    [][]float32
	}{
		{
			name:   "keras test_adapt_flow",
			opts:   []layers.Option{layers.MaxTokens(5000), layers.OutputSequenceLength(4)},
			adapt:  []string{"foo bar", "bar baz", "baz bada boom"},
			vocab:  []string{"", "[UNK]", "baz", "bar", "foo", "boom", "bada"},
			inputs: []string{"foo qux bar", "qux baz"},
			ids:    [][]float32{{4, 1, 3, 0}, {1, 2, 0, 0}},
		},
		{
			// a:3, the:2 cat:2, sat:1 on:1 mat:1 athe:1; ties in
			// descending byte order ("the" > "cat", "sat" > ... > "athe").
			name:   "frequency then descending token",
			adapt:  []string{"The cat sat.", "A cat, a mat!", "On the A-the a"},
			vocab:  []string{"", "[UNK]", "a", "the", "cat", "sat", "on", "mat", "athe"},
			inputs: []string{"the dog sat on the mat", "cat"},
			ids:    [][]float32{{3, 1, 5, 6, 3, 7}, {4, 0, 0, 0, 0, 0}},
		},
		{
			// MaxTokens counts "" and "[UNK]": 4 leaves two tokens.
			name:   "max tokens",
			opts:   []layers.Option{layers.MaxTokens(4)},
			adapt:  []string{"b a c a", "c B"},
			vocab:  []string{"", "[UNK]", "c", "b"},
			inputs: []string{"a b c d", "c"},
			ids:    [][]float32{{1, 3, 2, 1}, {2, 0, 0, 0}},
		},
		{
			name:   "truncation keeps the first tokens",
			opts:   []layers.Option{layers.OutputSequenceLength(2)},
			adapt:  []string{"x y z"},
			vocab:  []string{"", "[UNK]", "z", "y", "x"},
			inputs: []string{"x y z", "q", ""},
			ids:    [][]float32{{4, 3}, {1, 0}, {0, 0}},
		},
		{
			// Per text: its 1-grams, then its 2-grams (tf.strings.ngrams
			// with widths (1, 2)). Counts c:2 "b c":2 b:2 "a b":1 a:1.
			name:   "ngrams",
			opts:   []layers.Option{layers.NGrams(2)},
			adapt:  []string{"a b c", "b c"},
			vocab:  []string{"", "[UNK]", "c", "b c", "b", "a b", "a"},
			inputs: []string{"a b c", "c a"},
			ids:    [][]float32{{6, 4, 2, 5, 3}, {2, 6, 1, 0, 0}},
		},
		{
			// Without standardization "[UNK]" is a token of the text;
			// Keras drops it from the counts and it maps to 1.
			name:   "special tokens in the text",
			opts:   []layers.Option{layers.Standardize("")},
			adapt:  []string{"[UNK] Go go go"},
			vocab:  []string{"", "[UNK]", "go", "Go"},
			inputs: []string{"Go [UNK] GO"},
			ids:    [][]float32{{3, 1, 1}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tv := layers.TextVectorization(c.opts...)
			if err := tv.Adapt(c.adapt); err != nil {
				t.Fatal(err)
			}
			if got := tv.Vocabulary(); !slices.Equal(got, c.vocab) {
				t.Errorf("vocabulary %q, want %q", got, c.vocab)
			}
			if got := tv.VocabularySize(); got != len(c.vocab) {
				t.Errorf("VocabularySize %d, want %d", got, len(c.vocab))
			}
			got := rows(t, mustTransform(t, tv, c.inputs...), len(c.ids), len(c.ids[0]))
			if !reflect.DeepEqual(got, c.ids) {
				t.Errorf("ids %v, want %v", got, c.ids)
			}
		})
	}
}

// Keras's test_set_vocabulary and test_fixed_vocabulary give the same
// ids as the adapted layer; the special tokens may be given or left out.
func TestTextVectorizationSetVocabulary(t *testing.T) {
	for _, v := range [][]string{{"baz", "bar", "foo"}, {"", "[UNK]", "baz", "bar", "foo"}} {
		tv := layers.TextVectorization(layers.MaxTokens(5000), layers.OutputSequenceLength(4))
		if err := tv.SetVocabulary(v); err != nil {
			t.Fatal(err)
		}
		if got, want := tv.Vocabulary(), []string{"", "[UNK]", "baz", "bar", "foo"}; !slices.Equal(got, want) {
			t.Errorf("vocabulary %q, want %q", got, want)
		}
		got := rows(t, mustTransform(t, tv, "foo qux bar", "qux baz"), 2, 4)
		if want := [][]float32{{4, 1, 3, 0}, {1, 2, 0, 0}}; !reflect.DeepEqual(got, want) {
			t.Errorf("ids %v, want %v", got, want)
		}
	}
	// Keras's docstring: outside "int" mode only "[UNK]" is special.
	tv := layers.TextVectorization(layers.OutputMode("multi_hot"))
	if err := tv.SetVocabulary([]string{"earth", "wind", "and", "fire"}); err != nil {
		t.Fatal(err)
	}
	if got, want := tv.Vocabulary(), []string{"[UNK]", "earth", "wind", "and", "fire"}; !slices.Equal(got, want) {
		t.Errorf("vocabulary %q, want %q", got, want)
	}
	if got, want := layers.TextVectorization().Vocabulary(), []string{"", "[UNK]"}; !slices.Equal(got, want) {
		t.Errorf("vocabulary before Adapt %q, want %q", got, want)
	}
}

// Without OutputSequenceLength each batch is padded to its longest text.
func TestTextVectorizationPadsToLongest(t *testing.T) {
	tv := layers.TextVectorization()
	if err := tv.Adapt([]string{"a b", "b"}); err != nil {
		t.Fatal(err)
	}
	// vocabulary "", [UNK], b, a
	got := rows(t, mustTransform(t, tv, "a", "a b b a x", "b"), 3, 5)
	want := [][]float32{{3, 0, 0, 0, 0}, {3, 2, 2, 3, 1}, {2, 0, 0, 0, 0}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ids %v, want %v", got, want)
	}
	// A batch without tokens: one column of padding (no zero-size tensors).
	rows(t, mustTransform(t, tv, "", " ,. "), 2, 1)
}

// multi_hot and count: column 0 is "[UNK]"; the numbers are counted by
// hand. tf_idf: Keras's index_lookup_test.py test_adapt_tf_idf, batched
// case, with Keras's recorded output.
func TestTextVectorizationDenseModes(t *testing.T) {
	adapt := []string{"a a b", "b c"} // a:2 b:2 c:1 -> [UNK], b, a, c
	inputs := []string{"a a x b", "c c c", "y"}
	cases := []struct {
		mode string
		opts []layers.Option
		want [][]float32
	}{
		{"count", nil, [][]float32{{1, 1, 2, 0}, {0, 0, 0, 3}, {1, 0, 0, 0}}},
		{"multi_hot", nil, [][]float32{{1, 1, 1, 0}, {0, 0, 0, 1}, {1, 0, 0, 0}}},
		{"binary", nil, [][]float32{{1, 1, 1, 0}, {0, 0, 0, 1}, {1, 0, 0, 0}}},
		{"count", []layers.Option{layers.MaxTokens(6), layers.PadToMaxTokens(true)},
			[][]float32{{1, 1, 2, 0, 0, 0}, {0, 0, 0, 3, 0, 0}, {1, 0, 0, 0, 0, 0}}},
		{"count", []layers.Option{layers.MaxTokens(3)}, [][]float32{{1, 1, 2}, {3, 0, 0}, {1, 0, 0}}},
	}
	for _, c := range cases {
		tv := layers.TextVectorization(append(c.opts, layers.OutputMode(c.mode))...)
		if err := tv.Adapt(adapt); err != nil {
			t.Fatal(err)
		}
		got := rows(t, mustTransform(t, tv, inputs...), len(c.want), len(c.want[0]))
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %v: %v, want %v", c.mode, c.opts, got, c.want)
		}
	}

	tv := layers.TextVectorization(layers.OutputMode("tf_idf"))
	if err := tv.Adapt([]string{"one one", "one two", "two three"}); err != nil {
		t.Fatal(err)
	}
	if got, want := tv.Vocabulary(), []string{"[UNK]", "one", "two", "three"}; !slices.Equal(got, want) {
		t.Fatalf("vocabulary %q, want %q", got, want)
	}
	// Document counts one:2 two:2 three:1 of 3 documents.
	idf := []float64{math.Log(1 + 3.0/3), math.Log(1 + 3.0/3), math.Log(1 + 3.0/2)}
	wantIDF := append([]float64{(idf[0] + idf[1] + idf[2]) / 3}, idf...)
	gotIDF := tv.IDFWeights()
	for i := range wantIDF {
		if math.Abs(gotIDF[i]-wantIDF[i]) > 1e-6 {
			t.Errorf("idf weights %v, want %v", gotIDF, wantIDF)
			break
		}
	}
	got := rows(t, mustTransform(t, tv, "one two", "two four"), 2, 4)
	keras := [][]float32{{0.0, 0.6931472, 0.6931472, 0.0}, {0.76752836, 0.0, 0.6931472, 0.0}}
	for i := range keras {
		if !near(got[i], keras[i], 1e-6) {
			t.Errorf("tf_idf row %d: %v, want Keras's %v", i, got[i], keras[i])
		}
	}

	// Given weights without "[UNK]": it gets their mean, as Keras.
	tv = layers.TextVectorization(layers.OutputMode("tf_idf"))
	if err := tv.SetVocabularyIDF([]string{"a", "b"}, []float64{0.5, 1.5}); err != nil {
		t.Fatal(err)
	}
	got = rows(t, mustTransform(t, tv, "b b z a"), 1, 3)
	if want := [][]float32{{1, 0.5, 3}}; !reflect.DeepEqual(got, want) {
		t.Errorf("tf_idf with set weights: %v, want %v", got, want)
	}
}

// Keras's standardization is ASCII only: tf.strings.lower without an
// encoding lower-cases A-Z alone, the punctuation regex is an ASCII
// class, and tf.strings.split splits on ASCII whitespace.
func TestTextVectorizationStandardizeAndSplit(t *testing.T) {
	cases := []struct {
		standardize, split, text string
		want                     []string
	}{
		{"lower_and_strip_punctuation", "whitespace", "Hello, World!", []string{"hello", "world"}},
		{"lower_and_strip_punctuation", "whitespace", `!"#$%&'()*+,-./:;<=>?@[\]^_` + "`{|}~", nil},
		{"lower_and_strip_punctuation", "whitespace", "don't re-use e.g. x_y", []string{"dont", "reuse", "eg", "xy"}},
		{"lower_and_strip_punctuation", "whitespace", "ÉCOLE Straße ÀB", []string{"École", "straße", "Àb"}},
		{"lower_and_strip_punctuation", "whitespace", "“Quoted” — ¡sí! …", []string{"“quoted”", "—", "¡sí", "…"}},
		{"lower", "whitespace", "Hello, World!", []string{"hello,", "world!"}},
		{"strip_punctuation", "whitespace", "Hello, World!", []string{"Hello", "World"}},
		{"", "whitespace", "Hello, World!", []string{"Hello,", "World!"}},
		{"", "whitespace", " a\tb\nc\vd\fe\rf  ", []string{"a", "b", "c", "d", "e", "f"}},
		{"", "whitespace", "a\u00a0b\u3000c\u2028d", []string{"a\u00a0b\u3000c\u2028d"}},
		{"lower", "whitespace", "\xffAB \xfe", []string{"\xffab", "\xfe"}},
		{"", "whitespace", "", nil},
		{"lower", "character", "Héllo", []string{"h", "é", "l", "l", "o"}},
		{"lower", "", "A b  C", []string{"a b  c"}},
	}
	for _, c := range cases {
		tv := layers.TextVectorization(layers.Standardize(c.standardize), layers.Split(c.split))
		if got := tv.Tokens(c.text); !slices.Equal(got, c.want) {
			t.Errorf("standardize %q split %q of %q: %q, want %q", c.standardize, c.split, c.text, got, c.want)
		}
	}
}

func TestTextVectorizationErrors(t *testing.T) {
	tv := layers.TextVectorization(layers.Name("tv"))
	if _, err := tv.Transform([]string{"a"}); err == nil || !strings.Contains(err.Error(), "tv: no vocabulary: call Adapt or SetVocabulary") {
		t.Errorf("Transform before Adapt: %v", err)
	}
	calls := map[string]func() error{
		"Adapt(nil)":            func() error { return tv.Adapt(nil) },
		"Adapt without tokens":  func() error { return tv.Adapt([]string{"", " ... "}) },
		"empty vocabulary":      func() error { return tv.SetVocabulary(nil) },
		"repeated token":        func() error { return tv.SetVocabulary([]string{"a", "b", "a"}) },
		"padding inside":        func() error { return tv.SetVocabulary([]string{"a", ""}) },
		"specials out of order": func() error { return tv.SetVocabulary([]string{"[UNK]", "", "a"}) },
		"idf outside tf_idf":    func() error { return tv.SetVocabularyIDF([]string{"a"}, []float64{1}) },
		"vocabulary over max": func() error {
			return layers.TextVectorization(layers.MaxTokens(3)).SetVocabulary([]string{"a", "b"})
		},
		"tf_idf without weights": func() error {
			return layers.TextVectorization(layers.OutputMode("tf_idf")).SetVocabulary([]string{"a"})
		},
		"idf length": func() error {
			return layers.TextVectorization(layers.OutputMode("tf_idf")).SetVocabularyIDF([]string{"a", "b"}, []float64{1})
		},
		"idf NaN": func() error {
			return layers.TextVectorization(layers.OutputMode("tf_idf")).SetVocabularyIDF([]string{"a"}, []float64{math.NaN()})
		},
	}
	for name, f := range calls {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := tv.SetVocabulary([]string{"a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := tv.Transform(nil); err == nil {
		t.Error("Transform(nil): no error")
	}
	// In a model: Build says what to do instead.
	if _, err := layers.BuildLayer(tv, []int{4}); err == nil || !strings.Contains(err.Error(), "call its Transform") {
		t.Errorf("Build: %v", err)
	}
}

// Literal mistakes panic in the constructor; the same values from a
// config are errors.
func TestTextVectorizationBadOptions(t *testing.T) {
	cases := []struct {
		name string
		opt  []layers.Option
		cfg  map[string]any
	}{
		{"max_tokens 1", []layers.Option{layers.MaxTokens(1)}, map[string]any{"max_tokens": 1.0}},
		{"unknown mode", []layers.Option{layers.OutputMode("one_hot")}, map[string]any{"output_mode": "one_hot"}},
		{"unknown standardize", []layers.Option{layers.Standardize("upper")}, map[string]any{"standardize": "upper"}},
		{"unknown split", []layers.Option{layers.Split("comma")}, map[string]any{"split": "comma"}},
		{"sequence length outside int", []layers.Option{layers.OutputMode("count"), layers.OutputSequenceLength(3)},
			map[string]any{"output_mode": "count", "output_sequence_length": 3.0}},
		{"sequence length 0", []layers.Option{layers.OutputSequenceLength(0)}, map[string]any{"output_sequence_length": 0.0}},
		{"ngrams 0", []layers.Option{layers.NGrams(0)}, map[string]any{"ngrams": 0.0}},
		{"pad without max", []layers.Option{layers.PadToMaxTokens(true)}, map[string]any{"pad_to_max_tokens": true}},
	}
	for _, c := range cases {
		if panicOf(func() { layers.TextVectorization(c.opt...) }) == nil {
			t.Errorf("%s: the constructor did not panic", c.name)
		}
		if _, err := layers.FromConfig("TextVectorization", c.cfg); err == nil {
			t.Errorf("%s: FromConfig gave no error", c.name)
		}
	}
	bad := []map[string]any{
		{"max_tokens": 2.5},
		{"ngrams": []any{1.0, "2"}},
		{"sparse": true},
		{"ragged": true},
		{"encoding": "latin-1"},
		{"standardize": map[string]any{"class_name": "MyFn"}},
		{"vocabulary": "vocab.txt"},
		{"vocabulary": []any{"a", 3.0}},
		{"vocabulary": []any{"a", "a"}},
		{"vocabulary": []any{"a"}, "idf_weights": []any{1.0}},
		{"output_mode": "tf_idf", "vocabulary": []any{"a"}},
		{"idf_weights": []any{1.0}},
		{"vocabulary": []any{"a"}, "vocabulary_size": 7.0},
	}
	for _, cfg := range bad {
		if _, err := layers.FromConfig("TextVectorization", cfg); err == nil {
			t.Errorf("FromConfig(%v): no error", cfg)
		}
	}
	_, err := layers.FromConfig("TextVectorization", map[string]any{"sparse": true})
	if !errors.Is(err, layers.ErrUnsupportedConfig) {
		t.Errorf("sparse: %v does not wrap ErrUnsupportedConfig", err)
	}
}

// A config as Keras 3 writes it (the keys of TextVectorization.get_config
// for Keras's test_config layer) rebuilds the layer.
func TestTextVectorizationKerasConfig(t *testing.T) {
	src := `{"name": "text_vectorization", "trainable": true,
	 "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
	 "max_tokens": null, "standardize": "lower_and_strip_punctuation", "split": "whitespace",
	 "ngrams": null, "output_mode": "int", "output_sequence_length": 5, "pad_to_max_tokens": false,
	 "sparse": false, "ragged": false, "vocabulary": ["one", "two"], "idf_weights": null,
	 "encoding": "utf-8", "vocabulary_size": 4}`
	var cfg map[string]any
	if err := json.Unmarshal([]byte(src), &cfg); err != nil {
		t.Fatal(err)
	}
	l, err := layers.FromConfig("TextVectorization", cfg)
	if err != nil {
		t.Fatal(err)
	}
	tv, ok := l.(*layers.TextVectorizationLayer)
	if !ok {
		t.Fatalf("FromConfig gave %T", l)
	}
	got := rows(t, mustTransform(t, tv, "Two, one; three."), 1, 5)
	if want := [][]float32{{3, 2, 1, 0, 0}}; !reflect.DeepEqual(got, want) {
		t.Errorf("ids %v, want %v", got, want)
	}
	// Keras's ngrams may be a tuple of widths: (2,) is bigrams only.
	l, err = layers.FromConfig("TextVectorization", map[string]any{"ngrams": []any{2.0}, "vocabulary": []any{"a b"}})
	if err != nil {
		t.Fatal(err)
	}
	got = rows(t, mustTransform(t, l.(*layers.TextVectorizationLayer), "a b c"), 1, 2)
	if want := [][]float32{{2, 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("bigram ids %v, want %v", got, want)
	}
}

// Config, JSON and Save/Load carry the settings and the vocabulary: the
// rebuilt layer has the same config and gives the same numbers, bit for
// bit.
func TestTextVectorizationRoundTrip(t *testing.T) {
	corpus := []string{"The quick brown fox", "jumps over the lazy dog", "the dog barks", "Über straße"}
	probe := []string{"the lazy fox barks at über", "unknown words only", ""}
	settings := [][]layers.Option{
		{layers.Name("tv_int"), layers.MaxTokens(8), layers.OutputSequenceLength(6)},
		{layers.NGrams(2), layers.Standardize("lower")},
		{layers.OutputMode("multi_hot"), layers.Split("character"), layers.Standardize("")},
		{layers.OutputMode("count"), layers.MaxTokens(20), layers.PadToMaxTokens(true)},
		{layers.OutputMode("tf_idf"), layers.MaxTokens(30), layers.PadToMaxTokens(true)},
		{layers.OutputMode("tf_idf"), layers.Standardize("strip_punctuation")},
	}
	dir := t.TempDir()
	for i, opts := range settings {
		tv := layers.TextVectorization(opts...)
		if err := tv.Adapt(corpus); err != nil {
			t.Fatal(err)
		}
		want := mustTransform(t, tv, probe...)
		data, err := json.Marshal(tv)
		if err != nil {
			t.Fatal(err)
		}
		var fromJSON layers.TextVectorizationLayer
		if err := json.Unmarshal(data, &fromJSON); err != nil {
			t.Fatalf("setting %d: %v", i, err)
		}
		path := filepath.Join(dir, fmt.Sprintf("tv%d.json", i))
		if err := tv.Save(path); err != nil {
			t.Fatal(err)
		}
		fromFile, err := layers.LoadTextVectorization(path)
		if err != nil {
			t.Fatal(err)
		}
		fromConfig, err := layers.FromConfig("TextVectorization", tv.Config())
		if err != nil {
			t.Fatal(err)
		}
		for name, got := range map[string]*layers.TextVectorizationLayer{
			"json": &fromJSON, "file": fromFile, "config": fromConfig.(*layers.TextVectorizationLayer)} {
			if !reflect.DeepEqual(got.Config(), tv.Config()) {
				t.Errorf("setting %d via %s: config\n%v\nwant\n%v", i, name, got.Config(), tv.Config())
			}
			if !slices.Equal(got.Vocabulary(), tv.Vocabulary()) {
				t.Errorf("setting %d via %s: vocabulary differs", i, name)
			}
			out := mustTransform(t, got, probe...)
			if !slices.Equal(out.Shape(), want.Shape()) || !slices.Equal(out.Data().([]float32), want.Data().([]float32)) {
				t.Errorf("setting %d via %s: Transform %v, want %v", i, name, out, want)
			}
		}
	}
	// An unadapted layer round-trips as one without vocabulary.
	var empty layers.TextVectorizationLayer
	data, _ := json.Marshal(layers.TextVectorization(layers.OutputMode("count")))
	if err := json.Unmarshal(data, &empty); err != nil {
		t.Fatal(err)
	}
	if _, err := empty.Transform([]string{"a"}); err == nil {
		t.Error("an unadapted layer read back has a vocabulary")
	}
	for _, bad := range []string{`null`, `[]`, `{"class_name": "Dense", "config": {}}`, `{"class_name": "TextVectorization"}`, `{"max_tokens": -3}`} {
		if err := json.Unmarshal([]byte(bad), &empty); err == nil {
			t.Errorf("UnmarshalJSON(%s): no error", bad)
		}
	}
	if _, err := layers.LoadTextVectorization(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("loading a missing file: no error")
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := layers.LoadTextVectorization(filepath.Join(dir, "bad.json")); err == nil {
		t.Error("loading truncated JSON: no error")
	}
}

// Transform and Adapt may run at the same time.
func TestTextVectorizationConcurrent(t *testing.T) {
	tv := layers.TextVectorization(layers.OutputSequenceLength(3))
	if err := tv.Adapt([]string{"a b c"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%4 == 0 {
				if err := tv.Adapt([]string{"a b c"}); err != nil {
					t.Error(err)
				}
				return
			}
			out, err := tv.Transform([]string{"c b a"})
			if err != nil {
				t.Error(err)
				return
			}
			if got := out.Data().([]float32); !slices.Equal(got, []float32{2, 3, 4}) {
				t.Errorf("ids %v", got)
			}
		}()
	}
	wg.Wait()
}

// TextVectorization learns a vocabulary and turns texts into padded ids
// for an Embedding.
func ExampleTextVectorization() {
	tv := layers.TextVectorization(layers.MaxTokens(5000), layers.OutputSequenceLength(4))
	if err := tv.Adapt([]string{"foo bar", "bar baz", "baz bada boom"}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q\n", tv.Vocabulary())
	ids, err := tv.Transform([]string{"foo qux bar", "qux baz"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ids.Shape(), ids.Data())
	// Output:
	// ["" "[UNK]" "baz" "bar" "foo" "boom" "bada"]
	// (2, 4) [4 1 3 0 1 2 0 0]
}
