package datasets

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// DefaultSeed is the seed every generator, split and shuffle uses when no
// Seed option is given. scikit-learn draws a fresh seed when random_state
// is None; this package stays reproducible instead, so the same call gives
// the same data bit for bit.
const DefaultSeed int64 = 42

// ErrInvalidArgument is wrapped by every error about a bad argument or
// option (n <= 0, negative noise, a factor outside [0, 1), mismatched
// shapes, ...). Test for it with errors.Is.
var ErrInvalidArgument = errors.New("invalid argument")

// Option configures a generator, a split or a loader, as scikit-learn's and
// Keras's keyword arguments do. Each function reads the options it
// understands and ignores the others.
type Option func(c *config)

type config struct {
	seed int64

	noise    float64
	noiseSet bool
	shuffle  bool

	factor float64

	centers      int
	centerPoints [][]float64
	clusterStd   float64
	features     int
	featuresSet  bool
	boxLo, boxHi float64

	informative int
	bias        float64

	arms int

	xLo, xHi  float64
	xRangeSet bool

	stratify bool

	dir       string
	normalize bool

	imageH, imageW  int
	batchSize       int
	validationSplit float64
	splitSet        bool
	subset          string
	labelMode       string
	colorMode       string
}

func newConfig(opts []Option) config {
	c := config{
		seed:        DefaultSeed,
		shuffle:     true,
		factor:      0.8,
		centers:     3,
		clusterStd:  1.0,
		features:    2,
		boxLo:       -10,
		boxHi:       10,
		informative: 10,
		arms:        2,
		imageH:      256,
		imageW:      256,
		batchSize:   32,
		labelMode:   "int",
		colorMode:   "rgb",
	}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// Seed sets the seed of the math/rand/v2 PCG source that all randomness of
// the call comes from, as scikit-learn's random_state. Default: DefaultSeed.
// ImagesFromDirectory reads it as Keras's seed: the file list is shuffled
// and split as numpy.random.RandomState(seed) shuffles it (so the seed must
// be in [0, 2**32)), and each pass's order comes from Pipeline.Shuffle
// with the same seed.
func Seed(seed int64) Option { return func(c *config) { c.seed = seed } }

// Noise sets the standard deviation of the Gaussian noise added to the
// data, as scikit-learn's noise. Default: 0 (no noise), except Spirals,
// whose default angular noise is 0.2 radians. Negative values are an error.
func Noise(std float64) Option { return func(c *config) { c.noise, c.noiseSet = std, true } }

// Shuffle says whether samples are shuffled. Generators default to true,
// as scikit-learn's shuffle=True; TrainTestSplit and ImagesFromDirectory
// (Keras's shuffle=True) also default to true.
func Shuffle(b bool) Option { return func(c *config) { c.shuffle = b } }

// Factor sets the scale of the inner circle relative to the outer one in
// Circles, as scikit-learn's factor. Default: 0.8; it must be in [0, 1).
func Factor(f float64) Option { return func(c *config) { c.factor = f } }

// Centers sets the number of clusters Blobs draws centers for, uniformly
// inside CenterBox. Default: 3, as scikit-learn's centers=None.
func Centers(k int) Option {
	return func(c *config) { c.centers, c.centerPoints = k, nil }
}

// CenterPoints gives Blobs explicit cluster centers, one slice per cluster,
// as scikit-learn's centers given as an array; the number of features is
// then the length of each point.
func CenterPoints(points ...[]float64) Option {
	cp := make([][]float64, len(points))
	for i, p := range points {
		cp[i] = slices.Clone(p)
	}
	return func(c *config) { c.centerPoints, c.centers = cp, len(cp) }
}

// ClusterStd sets the standard deviation of each Blobs cluster, as
// scikit-learn's cluster_std. Default: 1.0.
func ClusterStd(std float64) Option { return func(c *config) { c.clusterStd = std } }

// NFeatures sets the number of features, as scikit-learn's n_features.
// Defaults: 2 for Blobs, 100 for Regression.
func NFeatures(n int) Option { return func(c *config) { c.features, c.featuresSet = n, true } }

// Features is NFeatures, under the shorter name.
func Features(n int) Option { return NFeatures(n) }

// CenterBox sets the box [lo, hi] that Blobs draws random centers from, as
// scikit-learn's center_box. Default: (-10, 10).
func CenterBox(lo, hi float64) Option { return func(c *config) { c.boxLo, c.boxHi = lo, hi } }

// NInformative sets how many features of Regression carry a non-zero
// coefficient, as scikit-learn's n_informative. Default: 10 (capped at the
// number of features).
func NInformative(n int) Option { return func(c *config) { c.informative = n } }

// Bias sets the intercept added to Regression's targets, as
// scikit-learn's bias. Default: 0.
func Bias(b float64) Option { return func(c *config) { c.bias = b } }

// Arms sets the number of arms (classes) of Spirals. Default: 2.
func Arms(k int) Option { return func(c *config) { c.arms = k } }

// XRange sets the interval [lo, hi) the inputs of LinearRegression and Sine
// are drawn from uniformly. Defaults: [-1, 1) for LinearRegression,
// [-pi, pi) for Sine.
func XRange(lo, hi float64) Option {
	return func(c *config) { c.xLo, c.xHi, c.xRangeSet = lo, hi, true }
}

// Stratify makes TrainTestSplit keep the class proportions of y in both
// parts, as scikit-learn's stratify=y. Default: false.
func Stratify(b bool) Option { return func(c *config) { c.stratify = b } }

// Dir tells LoadMNIST which directory holds the four IDX .gz files; when
// set, no other place is searched.
func Dir(path string) Option { return func(c *config) { c.dir = path } }

// Normalize makes LoadMNIST divide pixel values by 255, giving values in
// [0, 1]. Default: false (raw values 0..255, as Keras's load_data).
func Normalize(b bool) Option { return func(c *config) { c.normalize = b } }

// ImageSize sets the height and width ImagesFromDirectory resizes every
// image to, as Keras's image_size=(h, w). Default: 256x256.
func ImageSize(h, w int) Option { return func(c *config) { c.imageH, c.imageW = h, w } }

// BatchSize sets the number of images per batch of ImagesFromDirectory,
// as Keras's batch_size. Default: 32.
func BatchSize(n int) Option { return func(c *config) { c.batchSize = n } }

// ValidationSplit sets the fraction of the images ImagesFromDirectory
// reserves for validation, as Keras's validation_split; it must be in
// (0, 1) and goes with Subset. Default: none (all images in one set).
func ValidationSplit(f float64) Option {
	return func(c *config) { c.validationSplit, c.splitSet = f, true }
}

// Subset picks the part of a ValidationSplit that ImagesFromDirectory
// returns: "training" or "validation", as Keras's subset. Keras's "both"
// returns two datasets; here call ImagesFromDirectory once for each.
// Default: none (needs no ValidationSplit).
func Subset(s string) Option { return func(c *config) { c.subset = s } }

// LabelMode sets how ImagesFromDirectory encodes labels, as Keras's
// label_mode: "int" (the class index, float32 of shape (batch,)),
// "categorical" (one-hot, float32 of shape (batch, classes)) or "binary"
// (0 or 1, float32 of shape (batch, 1), for exactly 2 classes). Default:
// "int".
func LabelMode(m string) Option { return func(c *config) { c.labelMode = m } }

// ColorMode sets the channels ImagesFromDirectory converts images to, as
// Keras's color_mode: "rgb" (3), "grayscale" (1) or "rgba" (4). Default:
// "rgb".
func ColorMode(m string) Option { return func(c *config) { c.colorMode = m } }

// newRand returns the only source of randomness of one call.
func newRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
}

func argError(fn, format string, args ...any) error {
	return fmt.Errorf("datasets.%s: %w: %s", fn, ErrInvalidArgument, fmt.Sprintf(format, args...))
}

func checkN(fn string, n int) error {
	if n <= 0 {
		return argError(fn, "n_samples must be positive, got %d", n)
	}
	return nil
}

func checkNoise(fn string, noise float64) error {
	if math.IsNaN(noise) || math.IsInf(noise, 0) || noise < 0 {
		return argError(fn, "noise must be a finite number >= 0, got %v", noise)
	}
	return nil
}

// linspace is numpy.linspace(start, stop, num, endpoint): i*step + start,
// with the last value set to stop when endpoint is true, as numpy does.
func linspace(start, stop float64, num int, endpoint bool) []float64 {
	v := make([]float64, num)
	if num == 0 {
		return v
	}
	div := num
	if endpoint {
		div = num - 1
	}
	if div == 0 {
		v[0] = start
		return v
	}
	step := (stop - start) / float64(div)
	for i := range v {
		v[i] = float64(i)*step + start
	}
	if endpoint && num > 1 {
		v[num-1] = stop
	}
	return v
}

// shuffleRows shuffles the rows of x (rowLen values each) and y together.
func shuffleRows(r *rand.Rand, x []float64, rowLen int, y []float64) {
	r.Shuffle(len(y), func(i, j int) {
		y[i], y[j] = y[j], y[i]
		a, b := x[i*rowLen:(i+1)*rowLen], x[j*rowLen:(j+1)*rowLen]
		for k := range a {
			a[k], b[k] = b[k], a[k]
		}
	})
}

func addNoise(r *rand.Rand, x []float64, std float64) {
	if std == 0 {
		return
	}
	for i := range x {
		x[i] += std * r.NormFloat64()
	}
}

func toFloat32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, f := range v {
		out[i] = float32(f)
	}
	return out
}
