package layers

import (
	"fmt"
	"slices"
)

// textOptions holds the options of the TextVectorization.
type textOptions struct {
	maxTokens            int // 0: no cap (Keras's None)
	outputSequenceLength int // 0: pad to the batch's longest (None)
	outputMode           string
	standardize          string // "": none
	split                string // "": none
	ngrams               []int  // widths; nil: none
	ngramsArg            any    // as given: nil, an int or a list of ints
	padToMaxTokens       bool

	maxTokensSet, seqLenSet bool // given, so 0 is refused rather than read as none
}

// defaults sets Keras's defaults.
func (o *textOptions) defaults() {
	o.outputMode = "int"
	o.standardize = "lower_and_strip_punctuation"
	o.split = "whitespace"
}

// textClasses maps the Keras class names of the TextVectorization to the
// functions that rebuild them from their configs.
var textClasses = map[string]func(cfg map[string]any) (Layer, error){
	"TextVectorization": textVectorizationFromConfig,
}

// MaxTokens caps the TextVectorization's vocabulary at n entries,
// counting the special tokens as Keras does: the padding token "" and
// "[UNK]" in "int" mode (n-2 learned tokens), "[UNK]" alone in the other
// modes (n-1). n must be at least 2. Keras default: no cap.
func MaxTokens(n int) Option {
	return optionFunc(func(c *config) { c.text.maxTokens = n; c.text.maxTokensSet = true })
}

// OutputSequenceLength pads (with 0) or truncates the "int" output of a
// TextVectorization to n ids per text. Without it each batch is padded
// to its longest text. Only valid in "int" mode. Keras default: none.
func OutputSequenceLength(n int) Option {
	return optionFunc(func(c *config) { c.text.outputSequenceLength = n; c.text.seqLenSet = true })
}

// OutputMode sets what a TextVectorization outputs: "int" (one id per
// token), "multi_hot" (1 where a vocabulary entry occurs in the text),
// "count" (how often it occurs) or "tf_idf" (the count times the entry's
// inverse document frequency). Keras's old names "binary" and "tf-idf"
// are accepted. Keras default: "int".
func OutputMode(m string) Option {
	return optionFunc(func(c *config) { c.text.outputMode = m })
}

// Standardize sets how a TextVectorization cleans each text before
// splitting it: "lower_and_strip_punctuation", "lower",
// "strip_punctuation" or "" (none). As Keras (tf.strings.lower and its
// punctuation regex), lower-casing changes only ASCII letters and the
// punctuation stripped is the 32 ASCII characters of Python's
// string.punctuation. Keras default: "lower_and_strip_punctuation".
func Standardize(s string) Option {
	return optionFunc(func(c *config) { c.text.standardize = s })
}

// Split sets how a TextVectorization cuts a text into tokens:
// "whitespace" (runs of ASCII spaces, tabs, newlines, vertical tabs, form
// feeds and carriage returns, as tf.strings.split), "character" (one
// token per Unicode character) or "" (the whole text is one token).
// Keras default: "whitespace".
func Split(s string) Option {
	return optionFunc(func(c *config) { c.text.split = s })
}

// NGrams makes a TextVectorization's tokens the 1-grams to n-grams of
// the split text, each n-gram its words joined by single spaces, as
// tf.strings.ngrams: for each text all 1-grams in order, then all
// 2-grams, and so on. n must be at least 1. Keras default: none (words
// only).
func NGrams(n int) Option {
	return optionFunc(func(c *config) {
		c.text.ngramsArg = n
		c.text.ngrams = nil
		for w := 1; w <= n; w++ {
			c.text.ngrams = append(c.text.ngrams, w)
		}
		if n < 1 {
			c.text.ngrams = []int{n} // reported by validate
		}
	})
}

// PadToMaxTokens makes the "multi_hot", "count" and "tf_idf" outputs of
// a TextVectorization MaxTokens wide even when the vocabulary is smaller
// (the extra columns are 0). It needs MaxTokens. Keras default: false.
func PadToMaxTokens(b bool) Option {
	return optionFunc(func(c *config) { c.text.padToMaxTokens = b })
}

// validate checks the options as Keras's constructor does.
func (o *textOptions) validate() error {
	switch o.outputMode {
	case "binary":
		o.outputMode = "multi_hot"
	case "tf-idf":
		o.outputMode = "tf_idf"
	}
	switch o.outputMode {
	case "int", "multi_hot", "count", "tf_idf":
	default:
		return fmt.Errorf("output_mode must be \"int\", \"multi_hot\", \"count\" or \"tf_idf\", got %q", o.outputMode)
	}
	switch o.standardize {
	case "", "lower_and_strip_punctuation", "lower", "strip_punctuation":
	default:
		return fmt.Errorf("standardize must be \"lower_and_strip_punctuation\", \"lower\", \"strip_punctuation\" or \"\" (none), got %q", o.standardize)
	}
	switch o.split {
	case "", "whitespace", "character":
	default:
		return fmt.Errorf("split must be \"whitespace\", \"character\" or \"\" (none), got %q", o.split)
	}
	if o.maxTokensSet && o.maxTokens < 2 {
		return fmt.Errorf("max_tokens must be at least 2 (it counts the special tokens), got %d", o.maxTokens)
	}
	if o.maxTokens > maxVocabulary {
		return fmt.Errorf("max_tokens must be at most %d (ids are exact in float32), got %d", maxVocabulary, o.maxTokens)
	}
	if o.seqLenSet {
		if o.outputMode != "int" {
			return fmt.Errorf("output_sequence_length is only valid in \"int\" output mode, not %q", o.outputMode)
		}
		if o.outputSequenceLength < 1 || o.outputSequenceLength > maxDim {
			return fmt.Errorf("output_sequence_length must be in 1..%d, got %d", maxDim, o.outputSequenceLength)
		}
	}
	for _, w := range o.ngrams {
		if w < 1 || w > maxDim {
			return fmt.Errorf("ngrams must be at least 1, got %v", o.ngramsArg)
		}
	}
	if o.padToMaxTokens && !o.maxTokensSet {
		return fmt.Errorf("pad_to_max_tokens needs max_tokens")
	}
	o.ngrams = slices.Clone(o.ngrams)
	return nil
}
