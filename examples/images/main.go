// Command images trains a small convnet on a folder of images, in the
// shape of TensorFlow's "Image classification" tutorial
// (tensorflow.org/tutorials/images/classification): the images are read
// with datasets.ImagesFromDirectory (Keras's image_dataset_from_directory)
// with a validation split of 0.2 and seed 123, rescaled to [0, 1], and fed
// to Conv2D/MaxPooling2D blocks, Flatten and two Dense layers with
// FitDataset; training writes TensorBoard logs.
//
// The tutorial's flower photos are not on this machine, so on its first
// run the program draws its own folder: one subfolder per class
// (circle, square, triangle), -per-class PNG images each of a shape of
// random size, place and colour on a noisy background. A later run finds
// the folder and reuses it. The folder is written under a temporary name
// and renamed into place, so an interrupted run never leaves a half
// folder behind.
//
// Flags: -data (the folder; default $TMPDIR/gokeras_shapes), -per-class
// (300), -size (image height and width, 32), -epochs (10), -batch (32),
// -logs (TensorBoard log folder, logs/fit), -seed, -verbose.
// Then: tensorboard --logdir logs/fit
package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/datasets"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
)

// shapes are the classes the generated folder holds, one subfolder each.
var shapes = []string{"circle", "square", "triangle"}

// config is one run's settings.
type config struct {
	Data, Logs                          string
	PerClass, Size, Epochs, Batch, Verb int
	Seed                                int64
}

// result is what a run reports.
type result struct {
	Classes         []string
	ValAcc, ValLoss float64
	History         map[string][]float64
	EpochTime       time.Duration
	GeneratedImages int // images drawn by this run (0: the folder existed)
}

func main() {
	var c config
	flag.StringVar(&c.Data, "data", filepath.Join(os.TempDir(), "gokeras_shapes"), "image folder (drawn on first run)")
	flag.StringVar(&c.Logs, "logs", filepath.Join("logs", "fit"), "TensorBoard log folder")
	flag.IntVar(&c.PerClass, "per-class", 300, "images per class when drawing the folder")
	flag.IntVar(&c.Size, "size", 32, "image height and width")
	flag.IntVar(&c.Epochs, "epochs", 10, "training epochs")
	flag.IntVar(&c.Batch, "batch", 32, "batch size")
	flag.IntVar(&c.Verb, "verbose", 1, "Keras verbosity of Fit: 0 silent, 1 progress bar, 2 one line per epoch")
	flag.Int64Var(&c.Seed, "seed", 123, "seed of the split, the drawing and the model")
	flag.Parse()
	r, err := run(c)
	if err != nil {
		log.Fatal(err)
	}
	if r.GeneratedImages > 0 {
		fmt.Printf("Drew %d images into %s\n", r.GeneratedImages, c.Data)
	}
	fmt.Println("Classes:", r.Classes)
	fmt.Printf("Validation loss %.4f, accuracy %.4f\n", r.ValLoss, r.ValAcc)
	fmt.Printf("Time per epoch: %.2f s\n", r.EpochTime.Seconds())
	fmt.Println("TensorBoard logs in", c.Logs)
}

// run draws the folder if needed, then builds, trains and validates the
// model.
func run(c config) (result, error) {
	var r result
	n, err := ensureFolder(c.Data, c.PerClass, c.Size, c.Seed)
	if err != nil {
		return r, err
	}
	r.GeneratedImages = n

	opts := []datasets.Option{
		datasets.ImageSize(c.Size, c.Size), datasets.BatchSize(c.Batch),
		datasets.ValidationSplit(0.2), datasets.Seed(c.Seed),
	}
	train, classes, err := datasets.ImagesFromDirectory(c.Data, append(opts, datasets.Subset("training"))...)
	if err != nil {
		return r, err
	}
	val, _, err := datasets.ImagesFromDirectory(c.Data, append(opts, datasets.Subset("validation"))...)
	if err != nil {
		return r, err
	}
	r.Classes = classes

	// The tutorial's model, scaled down to the small images.
	model := keras.Sequential(
		keras.Input(c.Size, c.Size, 3),
		layers.Rescaling(1.0/255),
		layers.Conv2D(8, 3, layers.Padding("same"), layers.Activation("relu")),
		layers.MaxPooling2D(),
		layers.Conv2D(16, 3, layers.Padding("same"), layers.Activation("relu")),
		layers.MaxPooling2D(),
		layers.Flatten(),
		layers.Dense(32, layers.Activation("relu")),
		layers.Dense(len(classes)),
	)
	if err := model.Compile(optimizers.Adam(), losses.SparseCategoricalCrossentropy(losses.FromLogits(true)),
		keras.Metrics("accuracy"), keras.Seed(c.Seed)); err != nil {
		return r, err
	}
	start := time.Now()
	h, err := model.FitDataset(train.Prefetch(2), keras.ValidationDataset(val), keras.Epochs(c.Epochs),
		keras.Callbacks(callbacks.TensorBoard(c.Logs)), keras.Verbose(c.Verb))
	if err != nil {
		return r, err
	}
	r.EpochTime = time.Since(start) / time.Duration(max(c.Epochs, 1))
	r.History = h.History
	if acc := h.History["val_accuracy"]; len(acc) > 0 {
		r.ValAcc = acc[len(acc)-1]
		r.ValLoss = h.History["val_loss"][len(acc)-1]
	}
	return r, nil
}

// ensureFolder draws perClass images of each shape into dir unless dir
// exists, and returns how many it drew. The folder is written under a
// temporary name beside dir and renamed into place.
func ensureFolder(dir string, perClass, size int, seed int64) (int, error) {
	if _, err := os.Stat(dir); err == nil {
		return 0, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return 0, err
	}
	if perClass < 1 || size < 8 {
		return 0, fmt.Errorf("images: need at least 1 image per class and a size of at least 8, got %d and %d", perClass, size)
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o777); err != nil {
		return 0, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5348415045))
	for ci, name := range shapes {
		sub := filepath.Join(tmp, name)
		if err := os.Mkdir(sub, 0o777); err != nil {
			return 0, err
		}
		for i := range perClass {
			img := draw(ci, size, rng)
			if err := writePNG(filepath.Join(sub, fmt.Sprintf("%s_%04d.png", name, i)), img); err != nil {
				return 0, err
			}
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return 0, err
	}
	return perClass * len(shapes), nil
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// draw renders shape class ci (0 circle, 1 square, 2 triangle) of random
// size, position and colour on a noisy dark background.
func draw(ci, size int, rng *rand.Rand) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	s := float64(size)
	r := s * (0.18 + 0.14*rng.Float64())
	cx := r + rng.Float64()*(s-2*r)
	cy := r + rng.Float64()*(s-2*r)
	fg := color.NRGBA{uint8(128 + rng.IntN(128)), uint8(128 + rng.IntN(128)), uint8(128 + rng.IntN(128)), 255}
	base := 20 + rng.IntN(50)
	for y := range size {
		for x := range size {
			px, py := float64(x)+0.5, float64(y)+0.5
			if inside(ci, px-cx, py-cy, r) {
				img.SetNRGBA(x, y, fg)
				continue
			}
			v := uint8(base + rng.IntN(30))
			img.SetNRGBA(x, y, color.NRGBA{v, v, v, 255})
		}
	}
	return img
}

// inside reports whether the point (dx, dy) from the centre lies in the
// shape of "radius" r.
func inside(ci int, dx, dy, r float64) bool {
	switch ci {
	case 0:
		return dx*dx+dy*dy <= r*r
	case 1:
		return math.Abs(dx) <= r*0.85 && math.Abs(dy) <= r*0.85
	default: // an upward triangle: apex at the top, base at the bottom
		if dy < -r || dy > r {
			return false
		}
		return math.Abs(dx) <= (dy+r)/2
	}
}
