package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// trained saves the 5X+1 model (the TensorFlow tutorial) and returns its
// path.
func trained(t *testing.T) string {
	t.Helper()
	xs := tensor.New(tensor.WithShape(6, 1), tensor.WithBacking([]float32{-1, 0, 1, 2, 3, 4}))
	ys := tensor.New(tensor.WithShape(6, 1), tensor.WithBacking([]float32{-4, 1, 6, 11, 16, 21}))
	m := keras.Sequential(layers.Dense(1, layers.InputShape(1)))
	if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Fit(xs, ys, keras.Epochs(500), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.keras")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRun(t *testing.T) {
	path := trained(t)
	tests := []struct {
		name, in string
		args     []string
		want     string
	}{
		{"csv", "10\n\n0\n", nil, "51\n1\n"},
		{"json", "[10]\n[[0]]\n", nil, "[51]\n[1]\n"},
		{"forced csv", "10\n", []string{"-format", "csv"}, "51\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := run(append([]string{"-model", path}, tc.args...), strings.NewReader(tc.in), &out); err != nil {
				t.Fatal(err)
			}
			// Round to one decimal: training lands within 0.02 of 5x+1.
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
				got = append(got, roundLine(t, l))
			}
			if want := strings.TrimSpace(tc.want); strings.Join(got, "\n") != want {
				t.Errorf("output %q, want %q", out.String(), tc.want)
			}
		})
	}
	for _, bad := range []struct {
		args []string
		in   string
		want string
	}{
		{nil, "", "-model is required"},
		{[]string{"-model", filepath.Join(t.TempDir(), "none")}, "", "no such file"},
		{[]string{"-model", path}, "1,2\n", "sample 1 has 2 values, the model expects 1"},
		{[]string{"-model", path}, "x\n", `line 1: field 1: "x" is not a number`},
		{[]string{"-model", path, "-format", "xml"}, "1\n", `unknown -format "xml"`},
		{[]string{"-model", path}, "1e39\n", `"1e39" is out of range`},
		{[]string{"-model", path}, "[1e39]\n", `out of range`},
		{[]string{"-model", path}, "[1e400]\n", `out of range`},
		{[]string{"-model", path}, "Inf\n", `"Inf" is not a finite number`},
		{[]string{"-model", path}, "NaN\n", `"NaN" is not a finite number`},
	} {
		err := run(bad.args, strings.NewReader(bad.in), &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%v: error %v, want %q", bad.args, err, bad.want)
		}
	}
}

// A model whose output overflows to ±Inf is an error (the command exits
// non-zero), not a line of "+Inf"; a model saved before its input shape
// was known (no layer to read a shape from) serves samples of any width.
func TestRunNonFiniteAndUnbuilt(t *testing.T) {
	dir := t.TempDir()
	big := keras.Sequential(layers.Dense(1, layers.InputShape(1)))
	if err := big.SetWeights([]*tensor.Dense{
		tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float32{3e38})),
		tensor.New(tensor.WithShape(1), tensor.WithBacking([]float32{0})),
	}); err != nil {
		t.Fatal(err)
	}
	bigPath := filepath.Join(dir, "big.keras")
	if err := big.Save(bigPath); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := run([]string{"-model", bigPath}, strings.NewReader("10\n"), &out)
	if err == nil || !strings.Contains(err.Error(), "non-finite") {
		t.Errorf("overflowing output: error %v, output %q; want an error saying it is non-finite", err, out.String())
	}

	unbuilt := keras.Sequential(layers.Dense(2))
	upath := filepath.Join(dir, "unbuilt.keras")
	if err := unbuilt.Save(upath); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run([]string{"-model", upath}, strings.NewReader("1,2,3\n"), &out); err != nil {
		t.Fatal(err)
	}
	if n := len(strings.Split(strings.TrimSpace(out.String()), ",")); n != 2 {
		t.Errorf("unbuilt model printed %q, want 2 values", out.String())
	}
}

func roundLine(t *testing.T, l string) string {
	t.Helper()
	var b strings.Builder
	json := strings.HasPrefix(l, "[")
	l = strings.Trim(l, "[]")
	var v float64
	if _, err := fmt.Sscan(l, &v); err != nil {
		t.Fatalf("%q: %v", l, err)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", v), "0"), ".")
	if json {
		b.WriteString("[" + s + "]")
	} else {
		b.WriteString(s)
	}
	return b.String()
}

// Train in this process, serve in another: `go run` the command on the
// saved file.
func TestServeInAnotherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	path := trained(t)
	onnxPath := filepath.Join(t.TempDir(), "m.onnx")
	cmd := exec.Command(gobin, "run", ".", "-model", path)
	cmd.Stdin = strings.NewReader("10\n-1\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 2 || roundLine(t, lines[0]) != "51" || roundLine(t, lines[1]) != "-4" {
		t.Errorf("output %q, want about 51 and -4", out)
	}
	if out, err := exec.Command(gobin, "run", ".", "-model", path, "-onnx", onnxPath).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if st, err := os.Stat(onnxPath); err != nil || st.Size() == 0 {
		t.Errorf("no ONNX file: %v", err)
	}
}
