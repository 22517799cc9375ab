// Command moons is seed 002's classifier ("build an artificial neural
// network from scratch, part 2", Nagesh Singh Chauhan): 300 points of
// scikit-learn's make_moons with noise 0.20, one tanh hidden layer, a
// softmax output of two units trained on the cross-entropy with L2
// regularisation 0.01 and learning rate 0.01 for 20,000 full-batch passes,
// for hidden sizes 1, 2, 3, 4, 5, 20 and 50. The seed's figure is a
// decision-boundary picture per hidden size; hidden 3 classifies about
// 97-98% of the training points correctly.
//
// It prints one line per size, "hidden 3: accuracy 0.9733" (accuracy on
// the 300 training points, as the seed measures), and writes
// moons_hidden_N.png per size, and moons_grid.png with every size side by
// side as the seed's picture, into -out.
//
// The seed's numbers are for the SUM of the per-sample cross-entropies:
// it steps by epsilon = 0.01 times the gradient of
//
//	Σ_i loss_i + (reg_lambda/2)·(ΣW1² + ΣW2²)
//
// (its backward pass adds reg_lambda·W to the summed data gradient, and
// biases are not regularised). Keras minimises the mean over the batch,
// (1/n)·Σ_i loss_i + factor·ΣW², so the seed's objective is n times
// Keras's when factor = reg_lambda/(2n), and a step of epsilon on it is a
// step of epsilon·n on Keras's. With n = 300 full-batch samples: L2 factor
// 0.01/600 ≈ 1.67e-5 on the kernels and SGD learning rate 0.01·300 = 3.
// These are the faithful mapping: every step is the seed's step. (Keras's
// l2(0.01) on a mean loss would regularise 600 times harder.)
//
// The seed starts the kernels from randn(fan_in, units)/sqrt(fan_in), which
// is VarianceScaling(1, "fan_in", "untruncated_normal"), and the biases
// at zero. Its data come from numpy's global seed 0; datasets.Moons draws
// the same kind of sample from its own generator, so the points (and the
// accuracies, by a point or two) differ from the seed's.
package main

import (
	"flag"
	"fmt"
	"log"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gokeras/keras/datasets"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"github.com/gokeras/keras/plots"
	"gorgonia.org/tensor"
)

// The seed's settings.
const (
	samples   = 300
	noise     = 0.20
	epsilon   = 0.01 // step on the summed loss
	regLambda = 0.01 // strength of (reg_lambda/2)·ΣW² on the summed loss
)

func main() {
	hidden := flag.String("hidden", "1,2,3,4,5,20,50", "hidden layer size, or a comma-separated list of sizes")
	epochs := flag.Int("epochs", 20000, "full-batch gradient steps")
	out := flag.String("out", ".", "directory for the decision-boundary pictures")
	seed := flag.Int64("seed", 0, "seed of the data and of the initial weights")
	flag.Parse()
	sizes, err := parseSizes(*hidden)
	if err != nil {
		log.Fatal(err)
	}
	results, err := run(sizes, *epochs, *seed, *out)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		fmt.Printf("hidden %d: accuracy %.4f\n", r.Hidden, r.Accuracy)
	}
	for _, r := range results {
		fmt.Println("wrote", r.Picture)
	}
	if len(results) > 1 {
		fmt.Println("wrote", filepath.Join(*out, "moons_grid.png"))
	}
}

// result is one hidden size's training accuracy and picture.
type result struct {
	Hidden   int
	Accuracy float64
	Picture  string
}

// run trains one network per hidden size on the same moons and draws each
// one's decision boundary into dir; with several sizes it also draws them
// side by side in moons_grid.png.
func run(sizes []int, epochs int, seed int64, dir string) ([]result, error) {
	x, y, err := datasets.Moons(samples, datasets.Noise(noise), datasets.Seed(seed))
	if err != nil {
		return nil, err
	}
	var results []result
	var panels []plots.Panel
	for _, h := range sizes {
		model, acc, err := train(x, y, h, epochs, seed)
		if err != nil {
			return nil, fmt.Errorf("hidden %d: %w", h, err)
		}
		predict := func(in *tensor.Dense) (*tensor.Dense, error) {
			return model.Predict(in, keras.BatchSize(4096))
		}
		title := fmt.Sprintf("Hidden layer size %d", h)
		path := filepath.Join(dir, fmt.Sprintf("moons_hidden_%d.png", h))
		if err := plots.DecisionBoundary(path, predict, x, y, plots.Title(title)); err != nil {
			return nil, err
		}
		panels = append(panels, plots.Panel{Title: title, Predict: predict})
		results = append(results, result{Hidden: h, Accuracy: acc, Picture: path})
	}
	if len(panels) > 1 {
		if err := plots.DecisionBoundaryGrid(filepath.Join(dir, "moons_grid.png"), panels, x, y, plots.Columns(2)); err != nil {
			return nil, err
		}
	}
	return results, nil
}

// train fits the seed's network with hidden tanh units to x and y for
// epochs full-batch steps and returns it with its accuracy on x.
func train(x, y *tensor.Dense, hidden, epochs int, seed int64) (*keras.Model, float64, error) {
	n := x.Shape()[0]
	// See the package comment: the seed's sum objective is n times
	// Keras's mean one with these two numbers.
	l2 := layers.KernelRegularizer(layers.L2(regLambda / (2 * float64(n))))
	init := layers.KernelInitializer(layers.VarianceScaling(1, "fan_in", "untruncated_normal"))
	model := keras.Sequential(
		layers.Dense(hidden, layers.Activation("tanh"), init, l2, layers.InputShape(2)),
		layers.Dense(2, layers.Activation("softmax"), init, l2),
	)
	err := model.Compile(
		optimizers.SGD(optimizers.LearningRate(epsilon*float64(n))),
		losses.SparseCategoricalCrossentropy(),
		keras.Metrics("accuracy"), keras.Seed(seed),
	)
	if err != nil {
		return nil, 0, err
	}
	// One batch of all n points: the order within it does not matter.
	if _, err := model.Fit(x, y, keras.Epochs(epochs), keras.BatchSize(n), keras.Shuffle(false), keras.Verbose(0)); err != nil {
		return nil, 0, err
	}
	ev, err := model.Evaluate(x, y, keras.BatchSize(n), keras.Verbose(0))
	if err != nil {
		return nil, 0, err
	}
	return model, ev["accuracy"], nil
}

// parseSizes reads "3" or "1,2,3".
func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(s, ",") {
		h, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || h <= 0 {
			return nil, fmt.Errorf("-hidden: %q is not a positive size", f)
		}
		sizes = append(sizes, h)
	}
	return sizes, nil
}
