// Command structured follows the shape of TensorFlow's "Classify
// structured data" tutorial on a table that ships with the project:
// Seattle's daily weather (datasets.LoadSeattleWeather, 1,461 days). The
// task is to say whether it will rain tomorrow from today's record.
//
// As in the tutorial, numeric features are normalised (precipitation,
// temperatures, wind: mean and standard deviation of the training part
// only), categorical ones are one-hot encoded (today's weather label and
// the month), and a functional model joins them: a deep branch of two
// Dense layers and the raw encoded features (a "wide" branch) meet in a
// Concatenate layer before the sigmoid output:
//
//	inputs := keras.Input(features)
//	deep := keras.Apply(layers.Dense(32, relu), inputs)
//	deep = keras.Apply(layers.Dropout(0.5), deep)
//	deep = keras.Apply(layers.Dense(16, relu), deep)
//	x := keras.Apply(layers.Concatenate(), inputs, deep)
//	outputs := keras.Apply(layers.Dense(1, sigmoid), x)
//
// The split is chronological (the first 80% of days train, the rest
// test), and the program prints the model's summary, its test accuracy
// and the accuracy of the majority class for comparison.
package main

import (
	"flag"
	"fmt"
	"log"
	"math"

	"github.com/gokeras/keras/datasets"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

func main() {
	epochs := flag.Int("epochs", 30, "training epochs")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	res, err := run(*epochs, *seed, true)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("test accuracy %.4f (always \"%s\": %.4f) over %d days\n", res.Accuracy, res.MajorityLabel, res.Majority, res.TestDays)
}

// result is what run measured.
type result struct {
	Accuracy, Majority float64
	MajorityLabel      string
	TestDays           int
	Summary            string
}

var weatherLabels = []string{"drizzle", "fog", "rain", "snow", "sun"}

// features encodes day i: the four numeric columns (normalised later),
// then today's weather one-hot, then the month one-hot.
func features(w *datasets.SeattleWeather, i int) []float64 {
	row := append([]float64(nil), w.Rows[i]...)
	for _, l := range weatherLabels {
		row = append(row, b2f(w.Weather[i] == l))
	}
	for m := 1; m <= 12; m++ {
		row = append(row, b2f(int(w.Dates[i].Month()) == m))
	}
	return row
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func run(epochs int, seed int64, verbose bool) (*result, error) {
	w, err := datasets.LoadSeattleWeather()
	if err != nil {
		return nil, err
	}
	// Samples are days 0..n-2; the label is whether day i+1 has rain.
	n := w.Len() - 1
	var rows [][]float64
	labels := make([]float32, n)
	for i := 0; i < n; i++ {
		rows = append(rows, features(w, i))
		labels[i] = float32(b2f(w.Rows[i+1][0] > 0))
	}
	nTrain := n * 8 / 10
	numeric := len(datasets.SeattleWeatherColumns)
	normalise(rows, nTrain, numeric)
	f := len(rows[0])
	flat := make([]float32, 0, n*f)
	for _, r := range rows {
		for _, v := range r {
			flat = append(flat, float32(v))
		}
	}
	x := tensor.New(tensor.WithShape(n, f), tensor.WithBacking(flat))
	y := tensor.New(tensor.WithShape(n, 1), tensor.WithBacking(labels))
	xTrain, err := x.Slice(tensor.S(0, nTrain))
	if err != nil {
		return nil, err
	}
	xTest, _ := x.Slice(tensor.S(nTrain, n))
	yTrain, _ := y.Slice(tensor.S(0, nTrain))
	yTest, _ := y.Slice(tensor.S(nTrain, n))

	inputs := keras.Input(f)
	deep := keras.Apply(layers.Dense(32, layers.Activation("relu")), inputs)
	deep = keras.Apply(layers.Dropout(0.5), deep)
	deep = keras.Apply(layers.Dense(16, layers.Activation("relu")), deep)
	joined := keras.Apply(layers.Concatenate(), inputs, deep)
	outputs := keras.Apply(layers.Dense(1, layers.Activation("sigmoid")), joined)
	model, err := keras.NewModel([]*keras.Tensor{inputs}, []*keras.Tensor{outputs})
	if err != nil {
		return nil, err
	}
	model.SetName("rain_tomorrow")
	if err := model.Compile(optimizers.Adam(), losses.BinaryCrossentropy(), keras.Metrics("accuracy"), keras.Seed(seed)); err != nil {
		return nil, err
	}
	res := &result{Summary: model.Summary(), TestDays: n - nTrain}
	if verbose {
		fmt.Print(res.Summary)
	}
	v := 0
	if verbose {
		v = 2
	}
	if _, err := model.Fit(xTrain, yTrain, keras.Epochs(epochs), keras.BatchSize(32), keras.ValidationSplit(0.2), keras.Verbose(v)); err != nil {
		return nil, err
	}
	logs, err := model.Evaluate(xTest, yTest, keras.Verbose(0))
	if err != nil {
		return nil, err
	}
	res.Accuracy = logs["accuracy"]
	rain := 0
	for _, l := range labels[nTrain:] {
		rain += int(l)
	}
	res.Majority, res.MajorityLabel = float64(rain)/float64(res.TestDays), "rain"
	if rain*2 < res.TestDays {
		res.Majority, res.MajorityLabel = 1-res.Majority, "dry"
	}
	return res, nil
}

// normalise scales the first numeric columns of every row by the mean
// and standard deviation of the first nTrain rows.
func normalise(rows [][]float64, nTrain, numeric int) {
	for c := 0; c < numeric; c++ {
		var mean, sq float64
		for _, r := range rows[:nTrain] {
			mean += r[c]
		}
		mean /= float64(nTrain)
		for _, r := range rows[:nTrain] {
			sq += (r[c] - mean) * (r[c] - mean)
		}
		std := math.Sqrt(sq / float64(nTrain))
		for _, r := range rows {
			r[c] = (r[c] - mean) / std
		}
	}
}
