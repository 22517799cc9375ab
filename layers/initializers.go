package layers

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Initializer draws the starting values of a weight, as Keras's
// keras.initializers.
type Initializer interface {
	// Initialize returns the values, in row-major order, of a weight of
	// the given shape. It draws only from rng, so the same seed gives the
	// same values.
	Initialize(rng *rand.Rand, shape []int) []float64
	// Name is the Keras name ("glorot_uniform").
	Name() string
	// Config is the Keras config of the initializer (its arguments).
	Config() map[string]any
}

// initializers maps Keras names to constructors with Keras's defaults. It
// is filled once, here, and never written afterwards.
var initializers = map[string]func() Initializer{
	"glorot_uniform":   GlorotUniform,
	"glorot_normal":    GlorotNormal,
	"he_normal":        HeNormal,
	"he_uniform":       HeUniform,
	"lecun_normal":     LecunNormal,
	"lecun_uniform":    LecunUniform,
	"variance_scaling": func() Initializer { return VarianceScaling(1, "fan_in", "truncated_normal") },
	"random_normal":    func() Initializer { return RandomNormal(0, 0.05) },
	"random_uniform":   func() Initializer { return RandomUniform(-0.05, 0.05) },
	"truncated_normal": func() Initializer { return TruncatedNormal(0, 0.05) },
	"zeros":            Zeros,
	"ones":             Ones,
	"constant":         func() Initializer { return Constant(0) },
	"orthogonal":       func() Initializer { return Orthogonal(1) },
}

// GetInitializer resolves a Keras initializer name or an Initializer.
// Names give Keras's defaults: "random_normal" is RandomNormal(0, 0.05),
// "constant" is Constant(0).
func GetInitializer(v any) (Initializer, error) {
	switch x := v.(type) {
	case Initializer:
		return x, nil
	case string:
		f, ok := initializers[x]
		if !ok {
			return nil, fmt.Errorf("unknown initializer %q (known: %s)", x, strings.Join(InitializerNames(), ", "))
		}
		return f(), nil
	default:
		return nil, fmt.Errorf("initializer must be a name or a layers.Initializer, got %T", v)
	}
}

// InitializerNames lists the known initializer names, sorted.
func InitializerNames() []string {
	names := make([]string, 0, len(initializers))
	for n := range initializers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// fans returns Keras's fan_in and fan_out for a weight shape
// (keras.src.initializers.random_initializers.compute_fans): a scalar
// has fans 1, 1; a vector of n has n, n; a matrix (in, out) has in, out;
// a convolution kernel (..., in, out) multiplies both by the receptive
// field size.
func fans(shape []int) (fanIn, fanOut float64) {
	switch len(shape) {
	case 0:
		return 1, 1
	case 1:
		return float64(shape[0]), float64(shape[0])
	case 2:
		return float64(shape[0]), float64(shape[1])
	default:
		receptive := float64(numel(shape[:len(shape)-2]))
		return float64(shape[len(shape)-2]) * receptive, float64(shape[len(shape)-1]) * receptive
	}
}

// truncatedNormalStddevFactor is the standard deviation of a standard
// normal truncated to [-2, 2]; Keras divides by it so the truncated draw
// has the intended standard deviation.
const truncatedNormalStddevFactor = 0.87962566103423978

// truncatedStdNormal draws a standard normal, redrawing values beyond 2.
func truncatedStdNormal(rng *rand.Rand) float64 {
	for {
		if z := rng.NormFloat64(); math.Abs(z) <= 2 {
			return z
		}
	}
}

type varianceScaling struct {
	name         string // Keras name: glorot_uniform, he_normal, ...
	scale        float64
	mode         string // fan_in, fan_out, fan_avg
	distribution string // truncated_normal, untruncated_normal, uniform
}

// VarianceScaling is Keras's VarianceScaling initializer: with n the
// fan_in, fan_out or their mean (mode "fan_in", "fan_out", "fan_avg"),
// distribution "truncated_normal" draws a normal truncated at two standard
// deviations with stddev sqrt(scale/n)/0.87962566103423978 (so that the
// truncated values have standard deviation sqrt(scale/n)),
// "untruncated_normal" a normal with stddev sqrt(scale/n) ("normal" means
// "truncated_normal", as in Keras 3),
// and "uniform" uniformly in ±sqrt(3*scale/n). Keras defaults (and the
// registry's "variance_scaling"): scale 1, mode "fan_in", distribution
// "truncated_normal". VarianceScaling panics on a non-positive scale or an
// unknown mode or distribution: a literal mistake in the program.
func VarianceScaling(scale float64, mode, distribution string) Initializer {
	if !(scale > 0) || math.IsInf(scale, 0) {
		panic(fmt.Sprintf("layers.VarianceScaling: scale must be positive, got %v", scale))
	}
	switch mode {
	case "fan_in", "fan_out", "fan_avg":
	default:
		panic(fmt.Sprintf("layers.VarianceScaling: mode must be fan_in, fan_out or fan_avg, got %q", mode))
	}
	switch distribution {
	case "normal":
		// Keras 3 reads "normal" as "truncated_normal".
		distribution = "truncated_normal"
	case "truncated_normal", "untruncated_normal", "uniform":
	default:
		panic(fmt.Sprintf("layers.VarianceScaling: distribution must be truncated_normal, untruncated_normal or uniform, got %q", distribution))
	}
	return varianceScaling{name: "variance_scaling", scale: scale, mode: mode, distribution: distribution}
}

// GlorotUniform draws uniformly in ±sqrt(6/(fan_in+fan_out)), Keras's
// default kernel initializer ("glorot_uniform"; VarianceScaling(1,
// "fan_avg", "uniform")).
func GlorotUniform() Initializer {
	return varianceScaling{"glorot_uniform", 1, "fan_avg", "uniform"}
}

// GlorotNormal draws from a normal truncated at two standard deviations,
// with stddev sqrt(2/(fan_in+fan_out))/0.87962566103423978, as Keras's
// "glorot_normal" (VarianceScaling(1, "fan_avg", "truncated_normal")).
func GlorotNormal() Initializer {
	return varianceScaling{"glorot_normal", 1, "fan_avg", "truncated_normal"}
}

// HeNormal draws from a normal truncated at two standard deviations, with
// stddev sqrt(2/fan_in)/0.87962566103423978, as Keras's "he_normal"
// (VarianceScaling(2, "fan_in", "truncated_normal")).
func HeNormal() Initializer {
	return varianceScaling{"he_normal", 2, "fan_in", "truncated_normal"}
}

// HeUniform draws uniformly in ±sqrt(6/fan_in), as Keras's "he_uniform"
// (VarianceScaling(2, "fan_in", "uniform")).
func HeUniform() Initializer {
	return varianceScaling{"he_uniform", 2, "fan_in", "uniform"}
}

// LecunNormal draws from a normal truncated at two standard deviations,
// with stddev sqrt(1/fan_in)/0.87962566103423978, as Keras's
// "lecun_normal" (VarianceScaling(1, "fan_in", "truncated_normal")).
func LecunNormal() Initializer {
	return varianceScaling{"lecun_normal", 1, "fan_in", "truncated_normal"}
}

// LecunUniform draws uniformly in ±sqrt(3/fan_in), as Keras's
// "lecun_uniform" (VarianceScaling(1, "fan_in", "uniform")).
func LecunUniform() Initializer {
	return varianceScaling{"lecun_uniform", 1, "fan_in", "uniform"}
}

func (v varianceScaling) Name() string { return v.name }

func (v varianceScaling) Config() map[string]any {
	if v.name != "variance_scaling" {
		return map[string]any{"seed": nil}
	}
	return map[string]any{"scale": v.scale, "mode": v.mode, "distribution": v.distribution, "seed": nil}
}

// n is the fan Keras divides the scale by, at least 1.
func (v varianceScaling) n(shape []int) float64 {
	in, out := fans(shape)
	var n float64
	switch v.mode {
	case "fan_in":
		n = in
	case "fan_out":
		n = out
	default:
		n = (in + out) / 2
	}
	return math.Max(1, n)
}

func (v varianceScaling) Initialize(rng *rand.Rand, shape []int) []float64 {
	scale := v.scale / v.n(shape)
	out := make([]float64, numel(shape))
	switch v.distribution {
	case "uniform":
		limit := math.Sqrt(3 * scale)
		for i := range out {
			out[i] = (2*rng.Float64() - 1) * limit
		}
	case "untruncated_normal":
		std := math.Sqrt(scale)
		for i := range out {
			out[i] = rng.NormFloat64() * std
		}
	default: // truncated_normal
		std := math.Sqrt(scale) / truncatedNormalStddevFactor
		for i := range out {
			out[i] = truncatedStdNormal(rng) * std
		}
	}
	return out
}

type randomNormal struct {
	mean, stddev float64
	truncated    bool
}

// RandomNormal draws from a normal with the given mean and standard
// deviation, as Keras's RandomNormal; the registry's "random_normal" has
// Keras's defaults mean 0, stddev 0.05.
func RandomNormal(mean, stddev float64) Initializer { return randomNormal{mean, stddev, false} }

// TruncatedNormal draws from a normal with the given mean and standard
// deviation, redrawing values more than two standard deviations from the
// mean, as Keras's TruncatedNormal; the registry's "truncated_normal" has
// Keras's defaults mean 0, stddev 0.05. (Unlike the variance-scaling
// initializers, Keras does not rescale stddev here: the values' standard
// deviation is about 0.88*stddev.)
func TruncatedNormal(mean, stddev float64) Initializer { return randomNormal{mean, stddev, true} }

func (r randomNormal) Name() string {
	if r.truncated {
		return "truncated_normal"
	}
	return "random_normal"
}

func (r randomNormal) Config() map[string]any {
	return map[string]any{"mean": r.mean, "stddev": r.stddev, "seed": nil}
}

func (r randomNormal) Initialize(rng *rand.Rand, shape []int) []float64 {
	out := make([]float64, numel(shape))
	for i := range out {
		z := rng.NormFloat64()
		if r.truncated {
			z = truncatedStdNormal(rng)
		}
		out[i] = r.mean + r.stddev*z
	}
	return out
}

type randomUniform struct{ minval, maxval float64 }

// RandomUniform draws uniformly in [minval, maxval), as Keras's
// RandomUniform; the registry's "random_uniform" has Keras's defaults
// minval -0.05, maxval 0.05.
func RandomUniform(minval, maxval float64) Initializer { return randomUniform{minval, maxval} }

func (randomUniform) Name() string { return "random_uniform" }

func (r randomUniform) Config() map[string]any {
	return map[string]any{"minval": r.minval, "maxval": r.maxval, "seed": nil}
}

func (r randomUniform) Initialize(rng *rand.Rand, shape []int) []float64 {
	out := make([]float64, numel(shape))
	for i := range out {
		out[i] = r.minval + (r.maxval-r.minval)*rng.Float64()
	}
	return out
}

type constant struct {
	name  string
	value float64
}

// Zeros fills with 0, Keras's default bias initializer ("zeros").
func Zeros() Initializer { return constant{"zeros", 0} }

// Ones fills with 1, as Keras's "ones".
func Ones() Initializer { return constant{"ones", 1} }

// Constant fills with value, as Keras's Constant; the registry's
// "constant" has Keras's default value 0.
func Constant(value float64) Initializer { return constant{"constant", value} }

func (c constant) Name() string { return c.name }

func (c constant) Config() map[string]any {
	if c.name != "constant" {
		return map[string]any{}
	}
	return map[string]any{"value": c.value}
}

func (c constant) Initialize(_ *rand.Rand, shape []int) []float64 {
	v := make([]float64, numel(shape))
	for i := range v {
		v[i] = c.value
	}
	return v
}
