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
	// the given shape.
	Initialize(rng *rand.Rand, shape []int) []float64
	// Name is the Keras name ("glorot_uniform").
	Name() string
	// Config is the Keras config of the initializer (its arguments).
	Config() map[string]any
}

// initializers maps Keras names to constructors with Keras's defaults. It
// is filled once, here, and never written afterwards.
var initializers = map[string]func() Initializer{
	"glorot_uniform": func() Initializer { return GlorotUniform() },
	"zeros":          func() Initializer { return Zeros() },
}

// GetInitializer resolves a Keras initializer name or an Initializer.
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

// fans returns Keras's fan_in and fan_out for a weight shape.
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

type glorotUniform struct{}

// GlorotUniform draws uniformly in ±sqrt(6/(fan_in+fan_out)), Keras's
// default kernel initializer.
func GlorotUniform() Initializer { return glorotUniform{} }

func (glorotUniform) Name() string           { return "glorot_uniform" }
func (glorotUniform) Config() map[string]any { return map[string]any{} }
func (glorotUniform) Initialize(rng *rand.Rand, shape []int) []float64 {
	in, out := fans(shape)
	limit := math.Sqrt(6 / (in + out))
	v := make([]float64, numel(shape))
	for i := range v {
		v[i] = (2*rng.Float64() - 1) * limit
	}
	return v
}

type constant struct{ value float64 }

// Zeros fills with 0, Keras's default bias initializer.
func Zeros() Initializer { return constant{0} }

func (c constant) Name() string {
	if c.value == 0 {
		return "zeros"
	}
	return "constant"
}
func (c constant) Config() map[string]any { return map[string]any{"value": c.value} }
func (c constant) Initialize(_ *rand.Rand, shape []int) []float64 {
	v := make([]float64, numel(shape))
	for i := range v {
		v[i] = c.value
	}
	return v
}
