package main

import (
	"errors"
	"testing"
)

// The example on small settings: every 2nd comment, at most 30 epochs,
// sequences of 32 ids, a vocabulary of 5,000. Each model has to beat
// always answering the largest family (0.24 of the test comments) by 0.2.
// Measured with go1.26.8's sources (go test -v, seed 1): embedding 0.69,
// lstm 0.55, tfidf 0.69. The full run (go run .) reaches about 0.75.
func TestRun(t *testing.T) {
	r, err := run(config{
		Families:  []string{"crypto", "encoding", "go", "image", "math", "net"},
		Models:    []string{"embedding", "lstm", "tfidf"},
		MaxTokens: 5000, SeqLen: 32, Dim: 16, Units: 32,
		Epochs: 30, Batch: 32, Seed: 1, Limit: 2,
	})
	if errors.Is(err, errNoGoRoot) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", r)
	if r.Train < 1000 || r.Test < 200 {
		t.Fatalf("corpus of %d training and %d test comments, want >= 1000 and >= 200", r.Train, r.Test)
	}
	for _, x := range r.Results {
		if x.Accuracy < r.Majority+0.2 {
			t.Errorf("%s: test accuracy %.4f, want >= %.4f (largest family %.4f + 0.2)", x.Model, x.Accuracy, r.Majority+0.2, r.Majority)
		}
	}
}
