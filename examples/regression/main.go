// Command regression is TensorFlow's "Basic regression: Predict fuel
// efficiency" tutorial, line by line, on the real Auto MPG data
// (datasets.LoadAutoMPG: 392 cars after the tutorial's dropna, Origin
// one-hot, the tutorial's 80/20 split).
//
// As in the tutorial, one Normalization layer is adapted to the training
// features and shared by two models trained on all nine features with
// the mean absolute error: a linear model (Normalization, Dense(1); Adam
// with learning rate 0.1) and a DNN (Normalization, Dense(64, relu),
// Dense(64, relu), Dense(1); Adam 0.001), each for 100 epochs with the
// last 20% of the training rows held out for validation. It prints each
// model's test MAE in miles per gallon (TensorFlow's page: about 2.5 for
// the linear model, about 1.7 for the DNN) and draws both models' loss
// curves.
//
//	go run ./examples/regression
//	go run ./examples/regression -plot examples/regression/loss.png
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/gokeras/keras/datasets"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"github.com/gokeras/keras/plots"
)

func main() {
	epochs := flag.Int("epochs", 100, "training epochs of each model (the tutorial's 100)")
	seed := flag.Int64("seed", 1, "seed of the weights and the shuffling")
	plot := flag.String("plot", "", "where to draw the loss curves (.png, .svg or .pdf; default: no picture)")
	flag.Parse()
	res, err := run(*epochs, *seed, *plot)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stdout, "%-14s %s\n", "model", "test MAE [MPG]")
	for _, r := range res {
		fmt.Fprintf(os.Stdout, "%-14s %.3f\n", r.Model, r.MAE)
	}
	if *plot != "" {
		fmt.Fprintf(os.Stdout, "loss curves: %s\n", *plot)
	}
}

// Result is one model's mean absolute error on the test cars, in miles
// per gallon, and its training history.
type Result struct {
	Model   string
	MAE     float64
	History map[string][]float64
}

// run trains the linear model and the DNN for the given epochs and
// returns their test errors; with a plot path it draws their loss curves
// there.
func run(epochs int, seed int64, plot string) ([]Result, error) {
	// dataset = raw_dataset.dropna(); Origin one-hot; 80/20 split.
	raw, err := datasets.LoadAutoMPG()
	if err != nil {
		return nil, err
	}
	dataset, err := raw.OneHotOrigin()
	if err != nil {
		return nil, err
	}
	train, test := dataset.TutorialSplit()
	// train_labels = train_features.pop('MPG')
	trainFeatures, trainLabels, err := train.Tensors("MPG")
	if err != nil {
		return nil, err
	}
	testFeatures, testLabels, err := test.Tensors("MPG")
	if err != nil {
		return nil, err
	}

	// normalizer = tf.keras.layers.Normalization(axis=-1)
	// normalizer.adapt(np.array(train_features))
	normalizer := layers.Normalization(layers.Axis(-1))
	if err := normalizer.Adapt(trainFeatures); err != nil {
		return nil, err
	}

	linearModel := keras.Sequential(normalizer, layers.Dense(1))
	dnnModel := keras.Sequential(normalizer,
		layers.Dense(64, layers.Activation("relu")),
		layers.Dense(64, layers.Activation("relu")),
		layers.Dense(1))
	models := []struct {
		name string
		m    *keras.Model
		lr   float64
	}{
		{"linear", linearModel, 0.1},
		{"dnn", dnnModel, 0.001},
	}
	var res []Result
	for _, c := range models {
		if err := c.m.Compile(optimizers.Adam(optimizers.LearningRate(c.lr)), losses.MeanAbsoluteError(), keras.Seed(seed)); err != nil {
			return nil, err
		}
		h, err := c.m.Fit(trainFeatures, trainLabels, keras.Epochs(epochs), keras.Verbose(0), keras.ValidationSplit(0.2))
		if err != nil {
			return nil, fmt.Errorf("%s model: %w", c.name, err)
		}
		ev, err := c.m.Evaluate(testFeatures, testLabels, keras.Verbose(0))
		if err != nil {
			return nil, fmt.Errorf("%s model: %w", c.name, err)
		}
		res = append(res, Result{Model: c.name, MAE: ev["loss"], History: h.History})
	}
	if plot != "" {
		// The tutorial's plot_loss, both models in one picture.
		hist := map[string][]float64{}
		var keys []string
		for _, r := range res {
			for _, k := range []string{"loss", "val_loss"} {
				name := k + " (" + r.Model + ")" // val_ first: dashed
				hist[name] = r.History[k]
				keys = append(keys, name)
			}
		}
		title := fmt.Sprintf("Auto MPG: mean absolute error [MPG], %d epochs", epochs)
		if err := plots.LossCurveWith(plot, hist, keys, plots.Title(title)); err != nil {
			return nil, err
		}
	}
	return res, nil
}
