package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The default run makes a .keras file, loads it and prints a prediction
// in (0, 1) per sample.
func TestRunDefault(t *testing.T) {
	var out bytes.Buffer
	if err := run("", 2, 1, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "saved a Keras 3 model") || strings.Count(s, "sample ") != 2 {
		t.Errorf("output:\n%s", s)
	}
}

// With -model, a real Keras file of the corpus loads when it is present.
func TestRunCorpusFile(t *testing.T) {
	dir := os.Getenv("KERAS_CORPUS")
	if dir == "" {
		dir = "../../../shared/kerasfiles"
	}
	path := filepath.Join(dir, "keras3_seq_mlp.keras")
	if _, err := os.Stat(path); err != nil {
		t.Skip("no corpus file (see testdata/kerasfiles/SOURCES.md)")
	}
	var out bytes.Buffer
	if err := run(path, 3, 1, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Count(out.String(), "sample ") != 3 {
		t.Errorf("output:\n%s", out.String())
	}
}
