// Command imbalanced follows TensorFlow's "Classification on imbalanced
// data" tutorial (tensorflow.org/tutorials/structured_data/imbalanced_data)
// on a generated table in the shape of its credit-card data: -samples
// rows of -features standard-normal features, about 1% of them positive,
// the positives shifted on a few features so that they can be told apart
// but overlap the negatives.
//
// As in the tutorial: an 80/20 train/test split, then 20% of train for
// validation; features standardised on the training rows and clipped to
// [-5, 5]; a model of Dense(16, relu), Dropout(0.5) and a sigmoid
// Dense(1) whose bias starts at log(pos/neg); Adam(1e-3), binary
// cross-entropy, batch 2048, early stopping on val_auc (patience 10,
// best weights restored); metrics precision, recall and AUC. It trains
// a baseline, then the same model with Keras's class weights
// weight_for_0 = total/(2 neg) and weight_for_1 = total/(2 pos), and
// prints each one's test metrics and confusion matrix at threshold 0.5.
// The weighted model finds more of the positives (higher recall) at the
// cost of more false positives, the tutorial's point.
//
// Flags: -samples (100000), -features (12), -epochs (100), -batch (2048),
// -seed, -verbose.
package main

import (
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/metrics"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// config is one run's settings.
type config struct {
	Samples, Features, Epochs, Batch, Verbose int
	Seed                                      int64
}

// confusion is a confusion matrix at threshold 0.5.
type confusion struct{ TN, FP, FN, TP int }

// report is one model's figures on the test rows.
type report struct {
	Metrics   map[string]float64
	Confusion confusion
	Epochs    int
}

// result is a run: the class counts, the class weights and both models.
type result struct {
	Neg, Pos           int
	Weight0, Weight1   float64
	Baseline, Weighted report
}

func main() {
	var c config
	flag.IntVar(&c.Samples, "samples", 100000, "rows of the generated table")
	flag.IntVar(&c.Features, "features", 12, "features per row")
	flag.IntVar(&c.Epochs, "epochs", 100, "most training epochs (early stopping on val_auc)")
	flag.IntVar(&c.Batch, "batch", 2048, "batch size")
	flag.IntVar(&c.Verbose, "verbose", 0, "Keras verbosity of Fit")
	flag.Int64Var(&c.Seed, "seed", 42, "seed of the table and the models")
	flag.Parse()
	r, err := run(c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Training examples:\n    Total: %d\n    Positive: %d (%.2f%% of total)\n\n", r.Neg+r.Pos, r.Pos, 100*float64(r.Pos)/float64(r.Neg+r.Pos))
	fmt.Printf("Weight for class 0: %.2f\nWeight for class 1: %.2f\n", r.Weight0, r.Weight1)
	for _, m := range []struct {
		name string
		r    report
	}{{"Baseline", r.Baseline}, {"Weighted", r.Weighted}} {
		fmt.Printf("\n%s (%d epochs)\n", m.name, m.r.Epochs)
		for _, k := range []string{"loss", "precision", "recall", "auc"} {
			fmt.Printf("    %-9s : %.4f\n", k, m.r.Metrics[k])
		}
		cm := m.r.Confusion
		fmt.Printf("    confusion matrix (rows: actual 0, 1; columns: predicted 0, 1)\n")
		fmt.Printf("        [[%6d %6d]\n         [%6d %6d]]\n", cm.TN, cm.FP, cm.FN, cm.TP)
		fmt.Printf("    Legitimate Transactions Detected (True Negatives): %d\n", cm.TN)
		fmt.Printf("    Legitimate Transactions Incorrectly Detected (False Positives): %d\n", cm.FP)
		fmt.Printf("    Fraudulent Transactions Missed (False Negatives): %d\n", cm.FN)
		fmt.Printf("    Fraudulent Transactions Detected (True Positives): %d\n", cm.TP)
	}
}

// table is the generated data, split as the tutorial splits it.
type table struct {
	trainX, valX, testX *tensor.Dense
	trainY, valY, testY *tensor.Dense
	testLabels          []float32
	neg, pos            int // in the training rows
}

// run generates the table, trains the baseline and the weighted model
// and evaluates both on the test rows.
func run(c config) (result, error) {
	var r result
	if c.Samples < 100 || c.Features < 4 {
		return r, fmt.Errorf("imbalanced: need at least 100 samples and 4 features, got %d and %d", c.Samples, c.Features)
	}
	t := makeTable(c)
	r.Neg, r.Pos = t.neg, t.pos
	if t.pos == 0 {
		return r, fmt.Errorf("imbalanced: no positive among the %d training rows; use more samples", t.neg)
	}
	// Keras's tutorial: scaling by total/2 keeps the loss of the same
	// magnitude as without weights.
	total := float64(t.neg + t.pos)
	r.Weight0 = 1 / float64(t.neg) * total / 2
	r.Weight1 = 1 / float64(t.pos) * total / 2
	var err error
	if r.Baseline, err = train(c, t, nil); err != nil {
		return r, err
	}
	if r.Weighted, err = train(c, t, map[int]float64{0: r.Weight0, 1: r.Weight1}); err != nil {
		return r, err
	}
	return r, nil
}

// train fits the tutorial's model (with class weights cw, or none) and
// reports its test figures.
func train(c config, t table, cw map[int]float64) (report, error) {
	var rep report
	bias := math.Log(float64(t.pos) / float64(t.neg))
	model := keras.Sequential(
		keras.Input(c.Features),
		layers.Dense(16, layers.Activation("relu")),
		layers.Dropout(0.5),
		layers.Dense(1, layers.Activation("sigmoid"), layers.BiasInitializer(layers.Constant(bias))),
	)
	if err := model.Compile(optimizers.Adam(optimizers.LearningRate(1e-3)), losses.BinaryCrossentropy(),
		keras.Metrics(metrics.Precision(), metrics.Recall(), metrics.AUC()), keras.Seed(c.Seed)); err != nil {
		return rep, err
	}
	early := callbacks.EarlyStopping(callbacks.Monitor("val_auc"), callbacks.Mode("max"),
		callbacks.Patience(10), callbacks.RestoreBestWeights(true))
	opts := []keras.Option{keras.Epochs(c.Epochs), keras.BatchSize(c.Batch), keras.Verbose(c.Verbose),
		keras.ValidationData(t.valX, t.valY), keras.Callbacks(early)}
	if cw != nil {
		opts = append(opts, keras.ClassWeight(cw))
	}
	h, err := model.Fit(t.trainX, t.trainY, opts...)
	if err != nil {
		return rep, err
	}
	rep.Epochs = len(h.History["loss"])
	if rep.Metrics, err = model.Evaluate(t.testX, t.testY, keras.BatchSize(c.Batch), keras.Verbose(0)); err != nil {
		return rep, err
	}
	pred, err := model.Predict(t.testX, keras.BatchSize(c.Batch))
	if err != nil {
		return rep, err
	}
	for i, p := range pred.Data().([]float32) {
		positive := p > 0.5
		switch {
		case t.testLabels[i] == 1 && positive:
			rep.Confusion.TP++
		case t.testLabels[i] == 1:
			rep.Confusion.FN++
		case positive:
			rep.Confusion.FP++
		default:
			rep.Confusion.TN++
		}
	}
	return rep, nil
}

// makeTable draws the rows: a label that is 1 with probability 0.01, and
// features that are standard normal, shifted for positives by 1.5 on the
// first quarter of the features and by -1 on the next quarter. The rows
// are split 64/16/20 into train, validation and test, the features
// standardised with the training rows' mean and deviation and clipped to
// [-5, 5], as the tutorial does.
func makeTable(c config) table {
	rng := rand.New(rand.NewPCG(uint64(c.Seed), 0x696d62616c))
	n, f := c.Samples, c.Features
	x := make([]float64, n*f)
	y := make([]float32, n)
	for i := range n {
		pos := rng.Float64() < 0.01
		if pos {
			y[i] = 1
		}
		for j := range f {
			v := rng.NormFloat64()
			if pos && j < f/4 {
				v += 1.5
			} else if pos && j < f/2 {
				v--
			}
			x[i*f+j] = v
		}
	}
	nTest := n / 5
	nTrain := n - nTest
	nVal := nTrain / 5
	nTrain -= nVal
	mean, std := make([]float64, f), make([]float64, f)
	for i := range nTrain {
		for j := range f {
			mean[j] += x[i*f+j] / float64(nTrain)
		}
	}
	for i := range nTrain {
		for j := range f {
			d := x[i*f+j] - mean[j]
			std[j] += d * d / float64(nTrain)
		}
	}
	xs := make([]float32, n*f)
	for i := range n {
		for j := range f {
			xs[i*f+j] = float32(math.Max(-5, math.Min(5, (x[i*f+j]-mean[j])/math.Sqrt(std[j]))))
		}
	}
	part := func(from, to int) (*tensor.Dense, *tensor.Dense) {
		return tensor.New(tensor.WithShape(to-from, f), tensor.WithBacking(xs[from*f:to*f])),
			tensor.New(tensor.WithShape(to-from, 1), tensor.WithBacking(y[from:to]))
	}
	var t table
	t.trainX, t.trainY = part(0, nTrain)
	t.valX, t.valY = part(nTrain, nTrain+nVal)
	t.testX, t.testY = part(nTrain+nVal, n)
	t.testLabels = y[nTrain+nVal:]
	for _, v := range y[:nTrain] {
		if v == 1 {
			t.pos++
		} else {
			t.neg++
		}
	}
	return t
}
