package plots

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gorgonia.org/tensor"
)

func history() map[string][]float64 {
	return map[string][]float64{
		"loss":     {1.0, 0.6, 0.4, 0.3, 0.25},
		"val_loss": {1.1, 0.7, 0.5, 0.45, 0.44},
		"accuracy": {0.5, 0.7, 0.8, 0.85, 0.9},
	}
}

func decodePNG(t *testing.T, path string) (w, h int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s does not decode as PNG: %v", path, err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

func onlyFile(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want one picture and no temporary files", names)
	}
}

func TestLossCurvePNG(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "loss.png")
	if err := LossCurve(path, history()); err != nil {
		t.Fatal(err)
	}
	// Default 6x4 inches at gonum's 96 dpi.
	if w, h := decodePNG(t, path); w != 576 || h != 384 {
		t.Errorf("picture %dx%d, want 576x384", w, h)
	}
	onlyFile(t, dir)
}

func TestLossCurveSVGAndKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "acc.svg")
	if err := LossCurveWith(path, history(), []string{"accuracy"}, Title("Accuracy"), Size(4*vg.Inch, 3*vg.Inch)); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	s := strings.TrimSpace(string(data))
	if !strings.HasPrefix(s, "<?xml") && !strings.HasPrefix(s, "<svg") {
		t.Errorf("SVG starts with %q", s[:min(40, len(s))])
	}
	if !strings.Contains(s, "</svg>") {
		t.Error("SVG is not complete")
	}
}

func TestLossCurveErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
		hist map[string][]float64
		keys []string
		want string
	}{
		{"unknown key", "a.png", history(), []string{"val_accuracy"}, `no "val_accuracy" in history`},
		{"bad extension", "a.bmp", history(), nil, "unsupported picture format"},
		{"no loss", "b.png", map[string][]float64{"acc": {1}}, nil, `no "loss"`},
	}
	for _, tc := range tests {
		err := LossCurve(filepath.Join(dir, tc.path), tc.hist, tc.keys...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("failed calls left %d files", len(ents))
	}
}

// twoBlobs is a small two-class data set split by x1 + x2 = 0.
func twoBlobs() (*tensor.Dense, *tensor.Dense) {
	xs := []float32{-1, -1, -1.5, -0.5, -0.5, -1.2, 1, 1, 1.4, 0.6, 0.7, 1.1}
	ys := []float32{0, 0, 0, 1, 1, 1}
	return tensor.New(tensor.WithShape(6, 2), tensor.WithBacking(xs)),
		tensor.New(tensor.WithShape(6), tensor.WithBacking(ys))
}

// linearProb is a one-output classifier: P(class 1) from x1 + x2.
func linearProb(x *tensor.Dense) (*tensor.Dense, error) {
	d := x.Data().([]float32)
	n := x.Shape()[0]
	out := make([]float32, n)
	for i := range n {
		if d[2*i]+d[2*i+1] > 0 {
			out[i] = 0.9
		} else {
			out[i] = 0.1
		}
	}
	return tensor.New(tensor.WithShape(n, 1), tensor.WithBacking(out)), nil
}

// softmax3 is a three-output classifier on x1 alone.
func softmax3(x *tensor.Dense) (*tensor.Dense, error) {
	d := x.Data().([]float32)
	n := x.Shape()[0]
	out := make([]float64, 3*n)
	for i := range n {
		k := 1
		switch {
		case d[2*i] < -0.5:
			k = 0
		case d[2*i] > 0.5:
			k = 2
		}
		out[3*i+k] = 1
	}
	return tensor.New(tensor.WithShape(n, 3), tensor.WithBacking(out)), nil
}

func TestDecisionBoundary(t *testing.T) {
	x, y := twoBlobs()
	oneHot := tensor.New(tensor.WithShape(6, 2), tensor.WithBacking([]float64{1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1}))
	tests := []struct {
		name    string
		predict PredictFunc
		y       *tensor.Dense
	}{
		{"one output", linearProb, y},
		{"three outputs", softmax3, y},
		{"one-hot labels", linearProb, oneHot},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "boundary.png")
			if err := DecisionBoundary(path, tc.predict, x, tc.y, Resolution(50), Title(tc.name)); err != nil {
				t.Fatal(err)
			}
			if w, h := decodePNG(t, path); w != 480 || h != 480 {
				t.Errorf("picture %dx%d, want 480x480 (5 inches at 96 dpi)", w, h)
			}
			onlyFile(t, dir)
		})
	}
}

func TestDecisionBoundaryGrid(t *testing.T) {
	x, y := twoBlobs()
	dir := t.TempDir()
	path := filepath.Join(dir, "grid.png")
	panels := []Panel{{"linear", linearProb}, {"three", softmax3}, {"linear again", linearProb}}
	if err := DecisionBoundaryGrid(path, panels, x, y, Resolution(30), Size(3*vg.Inch, 3*vg.Inch)); err != nil {
		t.Fatal(err)
	}
	// Three panels: two columns, two rows of 3 inches.
	if w, h := decodePNG(t, path); w != 576 || h != 576 {
		t.Errorf("picture %dx%d, want 576x576", w, h)
	}
	onlyFile(t, dir)
}

func TestDecisionBoundaryErrors(t *testing.T) {
	x, y := twoBlobs()
	x3 := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}))
	boom := errors.New("boom")
	failing := func(*tensor.Dense) (*tensor.Dense, error) { return nil, boom }
	wrongRows := func(*tensor.Dense) (*tensor.Dense, error) {
		return tensor.New(tensor.WithShape(3), tensor.WithBacking([]float32{1, 0, 1})), nil
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "b.png")
	if err := DecisionBoundary(p, linearProb, x3, y); err == nil || !strings.Contains(err.Error(), "(n, 2)") {
		t.Errorf("three features: %v", err)
	}
	if err := DecisionBoundary(p, failing, x, y); !errors.Is(err, boom) {
		t.Errorf("failing predict: %v", err)
	}
	if err := DecisionBoundary(p, wrongRows, x, y); err == nil {
		t.Error("predict with the wrong number of rows: no error")
	}
	if err := DecisionBoundaryGrid(p, nil, x, y); err == nil {
		t.Error("no panels: no error")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("failed calls left %d files", len(ents))
	}
}
