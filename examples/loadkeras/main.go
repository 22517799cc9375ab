// Command loadkeras loads a Keras model file and prints its predictions,
// as a Go service would serve a model trained in Python:
//
//	go run ./examples/loadkeras                      # makes a .keras file, then loads it
//	go run ./examples/loadkeras -model churn.keras   # any .keras or .h5 file
//
// Model files fetched from elsewhere are not kept in this repository, so
// by default the example makes one itself: it builds and trains a small
// churn-style classifier (12 features, Dense 16 relu, Dropout, Dense 1
// sigmoid), saves it in Keras 3's .keras format (the file Python's
// keras.saving.load_model opens) and loads it back as a user would. With
// -model it loads any file keras.LoadModel reads: a .keras zip saved by
// Python Keras 3 or by this library, or a legacy Keras 2 / tf.keras .h5
// model. The corpus of real Keras files described in
// testdata/kerasfiles/SOURCES.md works when present, for example
//
//	go run ./examples/loadkeras -model ../shared/kerasfiles/keras3_seq_mlp.keras
//
// It prints the model's summary and its predictions for -n samples drawn
// from a seeded normal distribution (the input shape is the model's).
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

func main() {
	model := flag.String("model", "", "a .keras or .h5 model file (default: make one)")
	n := flag.Int("n", 3, "samples to predict")
	seed := flag.Uint64("seed", 1, "seed of the sample inputs")
	flag.Parse()
	if err := run(*model, *n, *seed, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run loads path (or, when it is empty, a file it makes) and prints the
// predictions for n samples.
func run(path string, n int, seed uint64, out io.Writer) error {
	if n < 1 {
		return fmt.Errorf("-n must be at least 1, got %d", n)
	}
	if path == "" {
		dir, err := os.MkdirTemp("", "loadkeras")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "churn.keras")
		if err := makeModel(path); err != nil {
			return err
		}
		fmt.Fprintf(out, "saved a Keras 3 model to %s\n", filepath.Base(path))
	}
	model, err := keras.LoadModel(path)
	if err != nil {
		return err
	}
	shape := model.InputShape()
	if shape == nil {
		return fmt.Errorf("%s: the model's input shape is not recorded", path)
	}
	fmt.Fprint(out, model.Summary())
	size := 1
	for _, d := range shape {
		size *= d
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	x := make([]float32, n*size)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	y, err := model.Predict(tensor.New(tensor.WithShape(append([]int{n}, shape...)...), tensor.WithBacking(x)))
	if err != nil {
		return err
	}
	vals := y.Data().([]float32)
	width := len(vals) / n
	for i := range n {
		fmt.Fprintf(out, "sample %d: %.5f\n", i+1, vals[i*width:(i+1)*width])
	}
	return nil
}

// makeModel trains a small classifier on synthetic churn-like data (the
// label is whether a weighted sum of the 12 features is positive) and
// saves it as Keras 3's .keras.
func makeModel(path string) error {
	const samples, features = 256, 12
	rng := rand.New(rand.NewPCG(7, 0))
	x := make([]float32, samples*features)
	y := make([]float32, samples)
	for i := range samples {
		s := 0.0
		for j := range features {
			v := rng.NormFloat64()
			x[i*features+j] = float32(v)
			s += v * float64(j%3-1)
		}
		if s > 0 {
			y[i] = 1
		}
	}
	m := keras.Sequential(
		keras.Input(features),
		layers.Dense(16, layers.Activation("relu")),
		layers.Dropout(0.2),
		layers.Dense(1, layers.Activation("sigmoid")),
	)
	if err := m.Compile(optimizers.Adam(), losses.BinaryCrossentropy(), keras.Metrics("accuracy"), keras.Seed(1)); err != nil {
		return err
	}
	xs := tensor.New(tensor.WithShape(samples, features), tensor.WithBacking(x))
	ys := tensor.New(tensor.WithShape(samples, 1), tensor.WithBacking(y))
	if _, err := m.Fit(xs, ys, keras.Epochs(5), keras.BatchSize(32), keras.Verbose(0)); err != nil {
		return err
	}
	return m.Save(path)
}
