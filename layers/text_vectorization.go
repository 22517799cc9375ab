package layers

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/internal/atomicfile"
)

// maxVocabulary bounds the vocabulary: ids up to 2^24 are exact in the
// float32 tensors Transform returns.
const maxVocabulary = 1 << 24

// The special tokens, as Keras's TextVectorization names them.
const (
	paddingToken = ""      // index 0 in "int" mode
	oovToken     = "[UNK]" // every token not in the vocabulary
)

// asciiPunctuation is what Keras's standardization strips: the character
// class of its regex [!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~'], which is
// Python's string.punctuation.
const asciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// asciiSpace is what tf.strings.split splits on when given no separator
// (absl's ascii_isspace).
const asciiSpace = " \t\n\v\f\r"

// TextVectorizationLayer turns texts into what a model reads, as Keras's
// TextVectorization: each text is standardized, split into tokens,
// optionally made into n-grams, and the tokens are looked up in a
// vocabulary learned by Adapt (or given with SetVocabulary). It is a
// preprocessing object used before the model, as TensorFlow's tutorials
// use it: a Gorgonia graph carries numbers, not strings, so Transform runs
// in Go on the texts and its output is the model's input.
//
// Transform returns float32 tensors in every mode, the model's default
// dtype, so that Fit and Predict take them without a copy; ids are whole
// numbers, exact in float32 because the vocabulary is capped at 2^24
// entries. (Keras's "int" mode returns int64; Embedding accepts either.)
//
// It also satisfies Layer, with the class name "TextVectorization", so
// that its settings and vocabulary travel in a Keras config (Config,
// FromConfig) and in JSON of its own (MarshalJSON, Save,
// LoadTextVectorization). Putting it inside a model is an error of Build
// saying to call Transform before the model.
//
// Adapt, SetVocabulary, Transform and Vocabulary are safe for concurrent
// use.
type TextVectorizationLayer struct {
	Base
	opts textOptions

	mu    sync.RWMutex
	vocab []string       // with the special tokens; nil before Adapt or SetVocabulary
	index map[string]int // token -> id
	idf   []float32      // "tf_idf": one weight per output column
}

// TextVectorization returns Keras's TextVectorization. Options (Keras
// defaults): MaxTokens (no cap), OutputSequenceLength (none: each batch
// is padded to its longest text), OutputMode ("int"), Standardize
// ("lower_and_strip_punctuation"), Split ("whitespace"), NGrams (none),
// PadToMaxTokens (false), Name. It panics on an option value Keras's
// constructor refuses (an unknown mode, MaxTokens below 2,
// OutputSequenceLength outside "int" mode, ...); the same values read
// from a config are errors.
//
// The vocabulary, in "int" mode, is "" (padding, id 0), "[UNK]" (tokens
// not in the vocabulary, id 1), then the tokens seen by Adapt from the
// most to the least frequent; in the other modes "[UNK]" is index 0 and
// there is no padding entry.
func TextVectorization(opts ...Option) *TextVectorizationLayer {
	t, err := newTextVectorization(newConfig(opts))
	if err != nil {
		panic("layers.TextVectorization: " + err.Error())
	}
	return t
}

func newTextVectorization(c config) (*TextVectorizationLayer, error) {
	o := c.text
	if err := o.validate(); err != nil {
		return nil, err
	}
	return &TextVectorizationLayer{Base: newBase(c), opts: o}, nil
}

// ClassName returns "TextVectorization".
func (t *TextVectorizationLayer) ClassName() string { return "TextVectorization" }

// Build returns an error: the layer works on strings, before the model.
func (t *TextVectorizationLayer) Build(in []int) ([]int, error) {
	return nil, t.notInModel()
}

// Call returns an error: the layer works on strings, before the model.
func (t *TextVectorizationLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	return nil, t.notInModel()
}

func (t *TextVectorizationLayer) notInModel() error {
	return fmt.Errorf("%s: TextVectorization works on strings before the model, not on a graph's numbers: call its Transform on the texts and give the model the tensor it returns", LayerName(t))
}

// OutputMode returns the layer's output mode ("int", "multi_hot",
// "count" or "tf_idf").
func (t *TextVectorizationLayer) OutputMode() string { return t.opts.outputMode }

// tokenStart is the index of the first learned token: after "" and
// "[UNK]" in "int" mode, after "[UNK]" otherwise.
func (t *TextVectorizationLayer) tokenStart() int {
	if t.opts.outputMode == "int" {
		return 2
	}
	return 1
}

func (t *TextVectorizationLayer) specials() []string {
	if t.opts.outputMode == "int" {
		return []string{paddingToken, oovToken}
	}
	return []string{oovToken}
}

// Tokens returns the tokens the layer makes of one text (standardized,
// split and made into n-grams), before the vocabulary lookup.
func (t *TextVectorizationLayer) Tokens(text string) []string {
	text = standardizeText(text, t.opts.standardize)
	var words []string
	switch t.opts.split {
	case "whitespace":
		words = strings.FieldsFunc(text, func(r rune) bool { return r < 0x80 && strings.ContainsRune(asciiSpace, r) })
	case "character":
		for _, r := range text {
			words = append(words, string(r))
		}
	default:
		words = []string{text}
	}
	if t.opts.ngrams == nil {
		return words
	}
	var out []string
	for _, w := range t.opts.ngrams {
		for i := 0; i+w <= len(words); i++ {
			out = append(out, strings.Join(words[i:i+w], " "))
		}
	}
	return out
}

// standardizeText applies Keras's standardization. Both steps are ASCII
// only (tf.strings.lower without an encoding, and an ASCII character
// class), so they work byte by byte and leave other UTF-8 untouched.
func standardizeText(s, mode string) string {
	lower := mode == "lower" || mode == "lower_and_strip_punctuation"
	strip := mode == "strip_punctuation" || mode == "lower_and_strip_punctuation"
	if !lower && !strip {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if strip && ch < 0x80 && strings.IndexByte(asciiPunctuation, ch) >= 0 {
			continue
		}
		if lower && 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		b = append(b, ch)
	}
	return string(b)
}

// Adapt learns the vocabulary from texts, replacing any before, as
// Keras's adapt: every token is counted; "" and "[UNK]" are left out;
// the tokens are ordered by count, most frequent first, ties broken by
// the tokens themselves in descending byte order (Keras sorts with
// np.lexsort((tokens, counts))[::-1]); MaxTokens keeps the first
// MaxTokens minus the special tokens. In "tf_idf" mode it also learns
// each token's inverse document frequency log(1 + n/(1 + df)), n the
// number of texts and df the number of texts holding the token, and
// gives "[UNK]" the mean of those weights, as Keras. Texts without any
// token at all are an error.
func (t *TextVectorizationLayer) Adapt(texts []string) error {
	name := LayerName(t)
	if len(texts) == 0 {
		return fmt.Errorf("%s: Adapt needs at least one text, got none", name)
	}
	counts := map[string]int{}
	var docs map[string]int
	tfidf := t.opts.outputMode == "tf_idf"
	if tfidf {
		docs = map[string]int{}
	}
	for _, text := range texts {
		toks := t.Tokens(text)
		for _, tok := range toks {
			counts[tok]++
		}
		if tfidf {
			seen := map[string]bool{}
			for _, tok := range toks {
				if !seen[tok] {
					seen[tok] = true
					docs[tok]++
				}
			}
		}
	}
	delete(counts, paddingToken)
	delete(counts, oovToken)
	if len(counts) == 0 {
		return fmt.Errorf("%s: Adapt found no tokens in %d texts", name, len(texts))
	}
	tokens := make([]string, 0, len(counts))
	for tok := range counts {
		tokens = append(tokens, tok)
	}
	slices.SortFunc(tokens, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(b, a)
	})
	start := t.tokenStart()
	if t.opts.maxTokensSet && len(tokens) > t.opts.maxTokens-start {
		tokens = tokens[:t.opts.maxTokens-start]
	}
	if start+len(tokens) > maxVocabulary {
		return fmt.Errorf("%s: the texts hold %d distinct tokens, more than the %d ids exact in float32: set MaxTokens", name, len(tokens), maxVocabulary-start)
	}
	vocab := append(t.specials(), tokens...)
	var idf []float32
	if tfidf {
		n := float64(len(texts))
		idf = make([]float32, 1, t.depth(len(vocab)))
		sum := 0.0
		for _, tok := range tokens {
			w := float32(math.Log(1 + n/float64(1+docs[tok])))
			idf = append(idf, w)
			sum += float64(w)
		}
		idf[0] = float32(sum / float64(len(tokens)))
		idf = idf[:cap(idf)] // PadToMaxTokens: zeros after the vocabulary
	}
	t.install(vocab, idf)
	return nil
}

// depth is the width of the multi_hot, count and tf_idf outputs.
func (t *TextVectorizationLayer) depth(vocabSize int) int {
	if t.opts.padToMaxTokens {
		return t.opts.maxTokens
	}
	return vocabSize
}

func (t *TextVectorizationLayer) install(vocab []string, idf []float32) {
	index := make(map[string]int, len(vocab))
	for i, tok := range vocab {
		if _, ok := index[tok]; !ok {
			index[tok] = i
		}
	}
	t.mu.Lock()
	t.vocab, t.index, t.idf = vocab, index, idf
	t.mu.Unlock()
}

// SetVocabulary sets the vocabulary instead of learning it, as Keras's
// set_vocabulary: v holds the tokens, with or without the special tokens
// in front ("", "[UNK]" in "int" mode; "[UNK]" otherwise). Repeated
// tokens, a special token elsewhere, an empty list and more entries than
// MaxTokens are errors. In "tf_idf" mode use SetVocabularyIDF.
func (t *TextVectorizationLayer) SetVocabulary(v []string) error {
	if t.opts.outputMode == "tf_idf" {
		return fmt.Errorf("%s: in \"tf_idf\" mode the vocabulary needs its IDF weights: call SetVocabularyIDF", LayerName(t))
	}
	return t.setVocabulary(v, nil)
}

// SetVocabularyIDF sets the vocabulary and its inverse document
// frequencies, in "tf_idf" mode, as Keras's set_vocabulary(vocabulary,
// idf_weights): idf holds one weight per entry of v. When v lacks the
// special token "[UNK]" in front, "[UNK]" gets the mean of the weights,
// as Keras.
func (t *TextVectorizationLayer) SetVocabularyIDF(v []string, idf []float64) error {
	if t.opts.outputMode != "tf_idf" {
		return fmt.Errorf("%s: IDF weights are only used in \"tf_idf\" mode, not %q: call SetVocabulary", LayerName(t), t.opts.outputMode)
	}
	if idf == nil {
		idf = []float64{}
	}
	return t.setVocabulary(v, idf)
}

func (t *TextVectorizationLayer) setVocabulary(v []string, idf []float64) error {
	name := LayerName(t)
	if len(v) == 0 {
		return fmt.Errorf("%s: cannot set an empty vocabulary", name)
	}
	specials := t.specials()
	hasSpecials := len(v) >= len(specials) && slices.Equal(v[:len(specials)], specials)
	tokens := v
	if hasSpecials {
		tokens = v[len(specials):]
	}
	seen := make(map[string]bool, len(tokens))
	var repeated []string
	for i, tok := range tokens {
		if tok == paddingToken || tok == oovToken {
			return fmt.Errorf("%s: special token %q at vocabulary index %d: give the special tokens %q first, in that order, or not at all", name, tok, i+len(v)-len(tokens), specials)
		}
		if seen[tok] && !slices.Contains(repeated, tok) {
			repeated = append(repeated, tok)
		}
		seen[tok] = true
	}
	if len(repeated) > 0 {
		return fmt.Errorf("%s: the vocabulary repeats %q", name, repeated)
	}
	size := len(specials) + len(tokens)
	if t.opts.maxTokensSet && size > t.opts.maxTokens {
		return fmt.Errorf("%s: a vocabulary of %d entries (with the special tokens) is larger than max_tokens %d", name, size, t.opts.maxTokens)
	}
	if size > maxVocabulary {
		return fmt.Errorf("%s: a vocabulary of %d entries is more than the %d ids exact in float32", name, size, maxVocabulary)
	}
	var weights []float32
	if idf != nil {
		if len(idf) != len(v) {
			return fmt.Errorf("%s: expected one IDF weight per vocabulary entry (%d), got %d", name, len(v), len(idf))
		}
		weights = make([]float32, 0, t.depth(size))
		if !hasSpecials {
			if len(idf) == 0 {
				return fmt.Errorf("%s: cannot set an empty vocabulary", name)
			}
			sum := 0.0
			for _, w := range idf {
				sum += w
			}
			weights = append(weights, float32(sum/float64(len(idf))))
		}
		for i, w := range idf {
			if math.IsNaN(w) || math.IsInf(w, 0) || math.Abs(w) > math.MaxFloat32 {
				return fmt.Errorf("%s: IDF weight %d is %v, expected a finite float32", name, i, w)
			}
			weights = append(weights, float32(w))
		}
		weights = weights[:cap(weights)]
	}
	t.install(append(specials, tokens...), weights)
	return nil
}

// Vocabulary returns the vocabulary, the entry of id i at index i: in
// "int" mode "", "[UNK]", then the tokens; otherwise "[UNK]" then the
// tokens. Before Adapt or SetVocabulary it holds the special tokens only,
// as Keras's get_vocabulary.
func (t *TextVectorizationLayer) Vocabulary() []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.vocab == nil {
		return t.specials()
	}
	return slices.Clone(t.vocab)
}

// VocabularySize returns the number of vocabulary entries, special
// tokens included (Keras's vocabulary_size).
func (t *TextVectorizationLayer) VocabularySize() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.vocab == nil {
		return t.tokenStart()
	}
	return len(t.vocab)
}

// IDFWeights returns the inverse document frequency of each output
// column in "tf_idf" mode ("[UNK]" first), and nil otherwise or before
// a vocabulary is set.
func (t *TextVectorizationLayer) IDFWeights() []float64 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.idf == nil {
		return nil
	}
	out := make([]float64, len(t.idf))
	for i, w := range t.idf {
		out[i] = float64(w)
	}
	return out
}

// Transform turns texts into the model's input, a float32 tensor:
//   - "int": (len(texts), steps) ids, steps being OutputSequenceLength or,
//     without it, the number of tokens of the batch's longest text (at
//     least 1: a tensor cannot have a zero dimension); shorter texts are
//     padded with 0 and longer ones truncated, keeping their first tokens;
//     a token not in the vocabulary is 1;
//   - "multi_hot", "count", "tf_idf": (len(texts), VocabularySize()), or
//     MaxTokens wide with PadToMaxTokens: per text, 1 for each entry
//     present, its count, or its count times its IDF weight; column 0
//     gathers the tokens not in the vocabulary.
//
// Calling it before Adapt or SetVocabulary, or with no texts, is an error.
func (t *TextVectorizationLayer) Transform(texts []string) (*tensor.Dense, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	name := LayerName(t)
	if t.vocab == nil {
		return nil, fmt.Errorf("%s: no vocabulary: call Adapt or SetVocabulary before Transform", name)
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("%s: Transform needs at least one text, got none", name)
	}
	if t.opts.outputMode == "int" {
		return t.transformInt(name, texts)
	}
	depth := t.depth(len(t.vocab))
	if len(texts) > maxDim/depth {
		return nil, fmt.Errorf("%s: %d texts of %d columns hold more than %d values", name, len(texts), depth, maxDim)
	}
	data := make([]float32, len(texts)*depth)
	for i, text := range texts {
		row := data[i*depth : (i+1)*depth]
		for _, tok := range t.Tokens(text) {
			if tok == paddingToken {
				continue // the mask token is dropped outside "int" mode, as Keras
			}
			row[t.index[tok]]++ // absent: 0, the "[UNK]" column
		}
		switch t.opts.outputMode {
		case "multi_hot":
			for j, c := range row {
				if c > 0 {
					row[j] = 1
				}
			}
		case "tf_idf":
			for j, c := range row {
				row[j] = c * t.idf[j]
			}
		}
	}
	return tensor.New(tensor.WithShape(len(texts), depth), tensor.WithBacking(data)), nil
}

func (t *TextVectorizationLayer) transformInt(name string, texts []string) (*tensor.Dense, error) {
	seqs := make([][]int, len(texts))
	steps := t.opts.outputSequenceLength
	longest := 1
	for i, text := range texts {
		toks := t.Tokens(text)
		if steps > 0 && len(toks) > steps {
			toks = toks[:steps]
		}
		ids := make([]int, len(toks))
		for j, tok := range toks {
			id, ok := t.index[tok]
			if !ok {
				id = 1
			}
			ids[j] = id
		}
		seqs[i] = ids
		longest = max(longest, len(ids))
	}
	if steps == 0 {
		steps = longest
	}
	if len(texts) > maxDim/steps {
		return nil, fmt.Errorf("%s: %d texts of %d ids hold more than %d values", name, len(texts), steps, maxDim)
	}
	data := make([]float32, len(texts)*steps)
	for i, ids := range seqs {
		for j, id := range ids {
			data[i*steps+j] = float32(id)
		}
	}
	return tensor.New(tensor.WithShape(len(texts), steps), tensor.WithBacking(data)), nil
}

// Config returns Keras's TextVectorization config. Unlike Keras, which
// keeps an adapted vocabulary in a separate asset file, the vocabulary
// (with its special tokens) and the IDF weights are in the config, so the
// config alone rebuilds the layer; Keras reads such a config as a layer
// given its vocabulary.
func (t *TextVectorizationLayer) Config() map[string]any {
	t.mu.RLock()
	defer t.mu.RUnlock()
	m := t.baseConfig()
	o := t.opts
	orNil := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	m["max_tokens"] = nil
	if o.maxTokensSet {
		m["max_tokens"] = o.maxTokens
	}
	m["standardize"] = orNil(o.standardize)
	m["split"] = orNil(o.split)
	m["ngrams"] = o.ngramsArg
	if list, ok := o.ngramsArg.([]int); ok {
		m["ngrams"] = intsToAny(list)
	}
	m["output_mode"] = o.outputMode
	m["output_sequence_length"] = nil
	if o.seqLenSet {
		m["output_sequence_length"] = o.outputSequenceLength
	}
	m["pad_to_max_tokens"] = o.padToMaxTokens
	m["sparse"] = false
	m["ragged"] = false
	m["encoding"] = "utf-8"
	m["vocabulary"] = nil
	m["idf_weights"] = nil
	if t.vocab != nil {
		v := make([]any, len(t.vocab))
		for i, s := range t.vocab {
			v[i] = s
		}
		m["vocabulary"] = v
		m["vocabulary_size"] = len(t.vocab)
		if t.idf != nil {
			w := make([]any, len(t.vocab))
			for i := range w {
				w[i] = float64(t.idf[i])
			}
			m["idf_weights"] = w
		}
	} else {
		m["vocabulary_size"] = t.tokenStart()
	}
	return m
}

func textVectorizationFromConfig(cfg map[string]any) (Layer, error) {
	return textVectorizationFrom(cfg)
}

func textVectorizationFrom(cfg map[string]any) (*TextVectorizationLayer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	c := newConfig(opts)
	o := &c.text
	if v := cfg["max_tokens"]; v != nil {
		if o.maxTokens, err = intValue("max_tokens", v); err != nil {
			return nil, err
		}
		o.maxTokensSet = true
	}
	for _, key := range []string{"standardize", "split"} {
		v, ok := cfg[key]
		if !ok {
			continue
		}
		var s string
		switch x := v.(type) {
		case nil:
		case string:
			s = x
		default:
			return nil, fmt.Errorf("config %s: a custom function (%v) is not supported: %w", key, v, ErrUnsupportedConfig)
		}
		if key == "standardize" {
			o.standardize = s
		} else {
			o.split = s
		}
	}
	switch x := cfg["ngrams"].(type) {
	case nil:
	case []any:
		widths := make([]int, len(x))
		for i, w := range x {
			if widths[i], err = intValue("ngrams", w); err != nil {
				return nil, err
			}
		}
		if len(widths) == 0 {
			return nil, fmt.Errorf("config ngrams: expected a number or a non-empty list, got []")
		}
		o.ngrams, o.ngramsArg = widths, widths
	default:
		n, err := intValue("ngrams", x)
		if err != nil {
			return nil, err
		}
		NGrams(n).apply(&c)
	}
	if o.outputMode, err = stringValue(cfg, "output_mode", "int"); err != nil {
		return nil, err
	}
	if v := cfg["output_sequence_length"]; v != nil {
		if o.outputSequenceLength, err = intValue("output_sequence_length", v); err != nil {
			return nil, err
		}
		o.seqLenSet = true
	}
	if o.padToMaxTokens, err = boolValue(cfg, "pad_to_max_tokens", false); err != nil {
		return nil, err
	}
	for _, key := range []string{"sparse", "ragged"} {
		b, err := boolValue(cfg, key, false)
		if err != nil {
			return nil, err
		}
		if b {
			return nil, fmt.Errorf("config %s: true is not supported (Transform returns dense tensors): %w", key, ErrUnsupportedConfig)
		}
	}
	enc, err := stringValue(cfg, "encoding", "utf-8")
	if err != nil {
		return nil, err
	}
	if e := strings.ToLower(strings.ReplaceAll(enc, "-", "")); e != "utf8" {
		return nil, fmt.Errorf("config encoding: only utf-8 is supported, got %q: %w", enc, ErrUnsupportedConfig)
	}
	t, err := newTextVectorization(c)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	vocab, err := stringList(cfg["vocabulary"])
	if err != nil {
		return nil, err
	}
	idf, err := floatList(cfg["idf_weights"])
	if err != nil {
		return nil, err
	}
	switch {
	case vocab == nil && idf != nil:
		return nil, errors.New("config idf_weights: given without a vocabulary")
	case vocab == nil:
	case t.opts.outputMode == "tf_idf":
		if idf == nil {
			return nil, errors.New("config: a vocabulary in \"tf_idf\" mode needs idf_weights")
		}
		if err := t.setVocabulary(vocab, idf); err != nil {
			return nil, fmt.Errorf("config vocabulary: %w", err)
		}
	default:
		if idf != nil {
			return nil, fmt.Errorf("config idf_weights: only valid in \"tf_idf\" mode, not %q", t.opts.outputMode)
		}
		if err := t.setVocabulary(vocab, nil); err != nil {
			return nil, fmt.Errorf("config vocabulary: %w", err)
		}
	}
	if v := cfg["vocabulary_size"]; v != nil && vocab != nil {
		n, err := intValue("vocabulary_size", v)
		if err != nil {
			return nil, err
		}
		if n != t.VocabularySize() {
			return nil, fmt.Errorf("config vocabulary_size: %d, but the vocabulary has %d entries", n, t.VocabularySize())
		}
	}
	return t, nil
}

// stringList reads a list of strings (nil: none). A string is Keras's
// vocabulary file path, which a config alone cannot carry.
func stringList(v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []string:
		return slices.Clone(x), nil
	case string:
		return nil, fmt.Errorf("config vocabulary: a vocabulary file (%q) is not supported, give the tokens: %w", x, ErrUnsupportedConfig)
	case []any:
		out := make([]string, len(x))
		for i, s := range x {
			str, ok := s.(string)
			if !ok {
				return nil, fmt.Errorf("config vocabulary: entry %d: expected a string, got %T", i, s)
			}
			out[i] = str
		}
		return out, nil
	}
	return nil, fmt.Errorf("config vocabulary: expected a list of strings, got %T", v)
}

// floatList reads a list of finite numbers (nil: none).
func floatList(v any) ([]float64, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []float64:
		return slices.Clone(x), nil
	case []any:
		out := make([]float64, len(x))
		for i, f := range x {
			var err error
			if out[i], err = floatValue(fmt.Sprintf("idf_weights[%d]", i), f); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("config idf_weights: expected a list of numbers, got %T", v)
}

// MarshalJSON writes the layer as Keras serializes a layer:
// {"module": "keras.layers", "class_name": "TextVectorization",
// "config": {...}}, the config being Config's, vocabulary included.
func (t *TextVectorizationLayer) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.serialized())
}

func (t *TextVectorizationLayer) serialized() map[string]any {
	return map[string]any{"module": "keras.layers", "class_name": "TextVectorization", "config": t.Config(), "registered_name": nil}
}

// UnmarshalJSON reads what MarshalJSON writes (or a bare config) into t,
// replacing its settings and vocabulary. Values out of range are errors.
func (t *TextVectorizationLayer) UnmarshalJSON(data []byte) error {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("TextVectorization: %w", err)
	}
	if m == nil {
		return errors.New("TextVectorization: expected a JSON object, got null")
	}
	cfg := m
	if cn, ok := m["class_name"]; ok {
		if cn != "TextVectorization" {
			return fmt.Errorf("TextVectorization: expected class_name \"TextVectorization\", got %v", cn)
		}
		c, ok := m["config"].(map[string]any)
		if !ok {
			return fmt.Errorf("TextVectorization: expected a config object, got %T", m["config"])
		}
		cfg = c
	}
	l, err := textVectorizationFrom(cfg)
	if err != nil {
		return fmt.Errorf("TextVectorization: %w", err)
	}
	if tr, ok := cfg["trainable"].(bool); ok {
		l.SetTrainable(tr)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.Base, t.opts = l.Base, l.opts
	t.vocab, t.index, t.idf = l.vocab, l.index, l.idf
	return nil
}

// Save writes the layer's JSON (MarshalJSON's, indented) to path; a
// crash leaves the old file or the new one, never a mix.
func (t *TextVectorizationLayer) Save(path string) error {
	data, err := json.MarshalIndent(t.serialized(), "", " ")
	if err != nil {
		return fmt.Errorf("%s: %w", LayerName(t), err)
	}
	if err := atomicfile.WriteFile(path, append(data, '\n')); err != nil {
		return fmt.Errorf("%s: saving: %w", LayerName(t), err)
	}
	return nil
}

// LoadTextVectorization reads a layer written by Save (or any JSON that
// UnmarshalJSON reads).
func LoadTextVectorization(path string) (*TextVectorizationLayer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("layers.LoadTextVectorization: %w", err)
	}
	t := &TextVectorizationLayer{}
	if err := t.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("layers.LoadTextVectorization %s: %w", path, err)
	}
	return t, nil
}
