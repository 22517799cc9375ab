// Command weather forecasts tomorrow's maximum temperature in Seattle
// from the past 14 days of the real weather record (NOAA's daily data,
// 2012-2015, 1,461 days: datasets.LoadSeattleWeather), in the manner of
// TensorFlow's time-series forecasting tutorial: the days are split in
// time order 70/20/10 into training, validation and test parts, every
// feature (precipitation, maximum and minimum temperature, wind) is
// normalised with the training part's mean and standard deviation only,
// and windows of 14 consecutive days inside a part predict the maximum
// temperature of the day after.
//
// It trains a Dense baseline (the flattened window through one hidden
// layer), an LSTM and a GRU, and prints each model's mean absolute error
// on the test part in degrees Celsius beside the "same as yesterday"
// forecast, which the recurrent models have to beat.
package main

import (
	"flag"
	"fmt"
	"log"
	"math"
	"os"

	"github.com/gokeras/keras/datasets"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

const window = 14 // days of history per forecast

func main() {
	epochs := flag.Int("epochs", 20, "training epochs per model")
	units := flag.Int("units", 32, "units of the recurrent layers and of the Dense baseline's hidden layer")
	seed := flag.Int64("seed", 1, "seed of the weights and the shuffling")
	flag.Parse()
	res, err := run(*epochs, *units, *seed)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stdout, "%-22s %s\n", "model", "test MAE (°C)")
	for _, r := range res {
		fmt.Fprintf(os.Stdout, "%-22s %.3f\n", r.Model, r.MAE)
	}
}

// Result is one model's mean absolute error on the test days, in
// degrees Celsius.
type Result struct {
	Model string
	MAE   float64
}

// split holds the windows of one part: x (n, window, 4) normalised,
// y (n, 1) the next day's normalised maximum temperature, and yesterday
// (n) the window's last maximum temperature in degrees.
type split struct {
	x, y      *tensor.Dense
	yesterday []float64
	target    []float64 // the next day's maximum in degrees
}

// data loads the record and cuts it into the three parts.
func data() (train, val, test split, scale float64, err error) {
	w, err := datasets.LoadSeattleWeather()
	if err != nil {
		return split{}, split{}, split{}, 0, err
	}
	rows := w.Rows
	n := len(rows)
	nf := len(w.Columns)
	tmax := w.Index("temp_max")
	if tmax < 0 {
		return split{}, split{}, split{}, 0, fmt.Errorf("weather: no temp_max column in %v", w.Columns)
	}
	a, b := n*7/10, n*9/10
	mean, std := make([]float64, nf), make([]float64, nf)
	for _, r := range rows[:a] {
		for j, v := range r {
			mean[j] += v / float64(a)
		}
	}
	for _, r := range rows[:a] {
		for j, v := range r {
			std[j] += (v - mean[j]) * (v - mean[j]) / float64(a)
		}
	}
	for j := range std {
		std[j] = math.Sqrt(std[j])
	}
	cut := func(part [][]float64) split {
		var s split
		m := len(part) - window
		xs := make([]float32, 0, m*window*nf)
		ys := make([]float32, 0, m)
		for i := 0; i < m; i++ {
			for _, r := range part[i : i+window] {
				for j, v := range r {
					xs = append(xs, float32((v-mean[j])/std[j]))
				}
			}
			next := part[i+window][tmax]
			ys = append(ys, float32((next-mean[tmax])/std[tmax]))
			s.yesterday = append(s.yesterday, part[i+window-1][tmax])
			s.target = append(s.target, next)
		}
		s.x = tensor.New(tensor.WithShape(m, window, nf), tensor.WithBacking(xs))
		s.y = tensor.New(tensor.WithShape(m, 1), tensor.WithBacking(ys))
		return s
	}
	return cut(rows[:a]), cut(rows[a:b]), cut(rows[b:]), std[tmax], nil
}

// models returns the three networks, built for (window, features).
func models(units, features int) []struct {
	name string
	m    *keras.Model
} {
	return []struct {
		name string
		m    *keras.Model
	}{
		{"Dense baseline", keras.Sequential(keras.Input(window, features), layers.Flatten(), layers.Dense(units, layers.Activation("relu")), layers.Dense(1))},
		{fmt.Sprintf("LSTM(%d)", units), keras.Sequential(keras.Input(window, features), layers.LSTM(units), layers.Dense(1))},
		{fmt.Sprintf("GRU(%d)", units), keras.Sequential(keras.Input(window, features), layers.GRU(units), layers.Dense(1))},
	}
}

// run trains every model and returns the test errors, the naive
// forecast's first.
func run(epochs, units int, seed int64) ([]Result, error) {
	train, val, test, scale, err := data()
	if err != nil {
		return nil, err
	}
	naive := 0.0
	for i, y := range test.target {
		naive += math.Abs(y-test.yesterday[i]) / float64(len(test.target))
	}
	res := []Result{{"same as yesterday", naive}}
	// The normalised target's mean and scale map predictions back to
	// degrees: y = mean + scale·ŷ, where mean = target - scale·y_norm.
	yn := test.y.Data().([]float32)
	offset := test.target[0] - scale*float64(yn[0])
	for _, c := range models(units, train.x.Shape()[2]) {
		if err := c.m.Compile(optimizers.Adam(), losses.MeanSquaredError(), keras.Seed(seed)); err != nil {
			return nil, err
		}
		if _, err := c.m.Fit(train.x, train.y, keras.Epochs(epochs), keras.BatchSize(32), keras.Verbose(0),
			keras.ValidationData(val.x, val.y)); err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		pred, err := c.m.Predict(test.x)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		mae := 0.0
		for i, p := range pred.Data().([]float32) {
			mae += math.Abs(offset+scale*float64(p)-test.target[i]) / float64(len(test.target))
		}
		res = append(res, Result{c.name, mae})
	}
	return res, nil
}
