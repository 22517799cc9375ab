package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
)

// FuzzInput runs the command on arbitrary standard input, as CSV and as
// JSON, against a saved two-input model: it prints predictions or returns
// an error, never panics.
//
//	go test ./cmd/predict -run '^$' -fuzz FuzzInput -fuzztime 30s
func FuzzInput(f *testing.F) {
	for _, s := range []string{"1,2\n3,4\n", "[[1,2],[3,4]]", "1e39,0", "NaN,1", "[1,2]", "", "1,2,3\n", "[[1],[2,3]]", "x,y", "[[1e-400, -0]]"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	m := keras.Sequential(keras.Input(2), layers.Dense(3, layers.Activation("relu")), layers.Dense(1))
	path := filepath.Join(f.TempDir(), "m.keras")
	if err := m.Save(path); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, input string, asJSON bool) {
		args := []string{"-model", path}
		if asJSON {
			args = append(args, "-format", "json")
		}
		var out bytes.Buffer
		if err := run(args, strings.NewReader(input), &out); err == nil && strings.Contains(out.String(), "NaN") {
			t.Fatalf("input %q printed NaN without an error", input)
		}
	})
}
