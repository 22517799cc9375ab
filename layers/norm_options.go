package layers

import (
	"fmt"
	"math"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// normOptions holds the options of the normalization layers, activation
// layers and noise layers. Pointers are nil while an option is not given,
// where the layers' defaults differ (Epsilon: 1e-3 for the normalization
// layers; NegativeSlope: 0 for ReLU, 0.3 for LeakyReLU).
type normOptions struct {
	momentum       float64
	epsilon        *float64
	center, scale  bool
	betaInit       any
	gammaInit      any
	movingMeanInit any
	movingVarInit  any
	betaReg        any
	gammaReg       any
	axes           []int // Axes; nil: not given
	axesGiven      bool
	mean, variance []float64
	invert         bool
	offset         float64
	maxValue       *float64
	negativeSlope  *float64
	threshold      float64
	alpha          *float64
	alphaInit      any
	alphaReg       any
	sharedAxes     []int
}

// defaults sets Keras's defaults.
func (o *normOptions) defaults() {
	o.momentum = 0.99
	o.center, o.scale = true, true
	o.betaInit, o.gammaInit = "zeros", "ones"
	o.movingMeanInit, o.movingVarInit = "zeros", "ones"
	o.alphaInit = "zeros"
}

// Momentum sets the momentum of BatchNormalization's moving statistics:
// moving = moving*momentum + batch*(1-momentum). Keras default: 0.99.
func Momentum(m float64) Option { return optionFunc(func(c *config) { c.norm.momentum = m }) }

// Epsilon sets the small number BatchNormalization and LayerNormalization
// add to the variance before the square root. Keras default: 1e-3.
func Epsilon(e float64) Option { return optionFunc(func(c *config) { c.norm.epsilon = &e }) }

// Center says whether a normalization layer adds its learned offset
// beta. Keras default: true.
func Center(b bool) Option { return optionFunc(func(c *config) { c.norm.center = b }) }

// Scale says whether a normalization layer multiplies by its learned
// scale gamma. Keras default: true.
func Scale(b bool) Option { return optionFunc(func(c *config) { c.norm.scale = b }) }

// BetaInitializer sets how beta starts (a Keras name or an Initializer).
// Keras default: "zeros".
func BetaInitializer(init any) Option {
	return optionFunc(func(c *config) { c.norm.betaInit = init })
}

// GammaInitializer sets how gamma starts. Keras default: "ones".
func GammaInitializer(init any) Option {
	return optionFunc(func(c *config) { c.norm.gammaInit = init })
}

// MovingMeanInitializer sets how BatchNormalization's moving mean
// starts. Keras default: "zeros".
func MovingMeanInitializer(init any) Option {
	return optionFunc(func(c *config) { c.norm.movingMeanInit = init })
}

// MovingVarianceInitializer sets how BatchNormalization's moving variance
// starts. Keras default: "ones".
func MovingVarianceInitializer(init any) Option {
	return optionFunc(func(c *config) { c.norm.movingVarInit = init })
}

// BetaRegularizer adds a penalty on beta to the loss. Keras default: none.
func BetaRegularizer(reg any) Option {
	return optionFunc(func(c *config) { c.norm.betaReg = reg })
}

// GammaRegularizer adds a penalty on gamma to the loss. Keras default:
// none.
func GammaRegularizer(reg any) Option {
	return optionFunc(func(c *config) { c.norm.gammaReg = reg })
}

// Axes sets several axes at once, counted as Axis counts them:
// LayerNormalization normalizes over all of them, Normalization keeps a
// mean and variance for each index along them. Axes() with no axis is
// Keras's axis=None for Normalization: one mean and one variance for all
// values. Default: the last axis only.
func Axes(a ...int) Option {
	return optionFunc(func(c *config) { c.norm.axes, c.norm.axesGiven = slices.Clone(a), true })
}

// Mean gives Normalization its mean instead of Adapt: one value for every
// feature, or one per index of the last kept axis. Give Variance too.
func Mean(v ...float64) Option {
	return optionFunc(func(c *config) { c.norm.mean = slices.Clone(v) })
}

// Variance gives Normalization its variance instead of Adapt, as Mean.
func Variance(v ...float64) Option {
	return optionFunc(func(c *config) { c.norm.variance = slices.Clone(v) })
}

// Invert makes Normalization undo the normalization: x*sqrt(variance) +
// mean. Keras default: false.
func Invert(b bool) Option { return optionFunc(func(c *config) { c.norm.invert = b }) }

// Offset sets what Rescaling adds after scaling. Keras default: 0.
func Offset(o float64) Option { return optionFunc(func(c *config) { c.norm.offset = o }) }

// MaxValue caps ReLU's output. Keras default: none.
func MaxValue(v float64) Option { return optionFunc(func(c *config) { c.norm.maxValue = &v }) }

// NegativeSlope sets the slope of ReLU (default 0) and LeakyReLU (default
// 0.3) below the threshold.
func NegativeSlope(s float64) Option {
	return optionFunc(func(c *config) { c.norm.negativeSlope = &s })
}

// Threshold sets the value below which ReLU is 0 (or follows the negative
// slope). Keras default: 0.
func Threshold(t float64) Option { return optionFunc(func(c *config) { c.norm.threshold = t }) }

// Alpha sets ELU's scale of the negative part, alpha*(exp(x)-1). Keras
// default: 1.0.
func Alpha(a float64) Option { return optionFunc(func(c *config) { c.norm.alpha = &a }) }

// AlphaInitializer sets how PReLU's slopes start. Keras default: "zeros".
func AlphaInitializer(init any) Option {
	return optionFunc(func(c *config) { c.norm.alphaInit = init })
}

// AlphaRegularizer adds a penalty on PReLU's slopes to the loss. Keras
// default: none.
func AlphaRegularizer(reg any) Option {
	return optionFunc(func(c *config) { c.norm.alphaReg = reg })
}

// SharedAxes makes PReLU share one slope along the given axes (1-based,
// as Keras: for images (h, w, c), SharedAxes(1, 2) gives one slope per
// channel). Keras default: none.
func SharedAxes(a ...int) Option {
	return optionFunc(func(c *config) { c.norm.sharedAxes = slices.Clone(a) })
}

// normClasses maps the Keras class names of the normalization layers,
// activation layers and noise layers to the functions that rebuild them
// from their configs.
var normClasses = map[string]func(cfg map[string]any) (Layer, error){
	"BatchNormalization": batchNormalizationFromConfig,
	"LayerNormalization": layerNormalizationFromConfig,
	"Normalization":      normalizationFromConfig,
	"Rescaling":          rescalingFromConfig,
	"ReLU":               reluFromConfig,
	"LeakyReLU":          leakyReLUFromConfig,
	"ELU":                eluFromConfig,
	"PReLU":              preluFromConfig,
	"Softmax":            softmaxFromConfig,
	"Permute":            permuteFromConfig,
	"RepeatVector":       repeatVectorFromConfig,
	"GaussianNoise":      gaussianNoiseFromConfig,
	"SpatialDropout2D":   spatialDropout2DFromConfig,
}

// cfgBool reads an optional bool: nil and a missing key give def.
func cfgBool(cfg map[string]any, key string, def bool) (bool, error) {
	v, ok := cfg[key]
	if !ok || v == nil {
		return def, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("config %s: expected a bool, got %T", key, v)
	}
	return b, nil
}

// cfgFloat reads an optional finite number: nil and a missing key give
// def, and ok reports whether the key held a number.
func cfgFloat(cfg map[string]any, key string, def float64) (f float64, ok bool, err error) {
	v, has := cfg[key]
	if !has || v == nil {
		return def, false, nil
	}
	f, err = floatValue(key, v)
	return f, err == nil, err
}

// cfgInts reads an optional whole number or list of whole numbers; ok
// reports whether the key held one (null and a missing key do not).
func cfgInts(cfg map[string]any, key string) (out []int, ok bool, err error) {
	v, has := cfg[key]
	if !has || v == nil {
		return nil, false, nil
	}
	list, isList := v.([]any)
	if !isList {
		n, err := intValue(key, v)
		if err != nil {
			return nil, false, err
		}
		return []int{n}, true, nil
	}
	out = make([]int, len(list))
	for i, x := range list {
		if out[i], err = intValue(key, x); err != nil {
			return nil, false, err
		}
	}
	return out, true, nil
}

// cfgFloats reads an optional number or (nested) list of numbers,
// flattened; ok reports whether the key held one.
func cfgFloats(cfg map[string]any, key string) (out []float64, ok bool, err error) {
	v, has := cfg[key]
	if !has || v == nil {
		return nil, false, nil
	}
	var walk func(v any) error
	walk = func(v any) error {
		if list, isList := v.([]any); isList {
			for _, x := range list {
				if err := walk(x); err != nil {
					return err
				}
			}
			return nil
		}
		if len(out) >= maxDim {
			return fmt.Errorf("config %s: more than %d values", key, maxDim)
		}
		f, err := floatValue(key, v)
		if err != nil {
			return err
		}
		out = append(out, f)
		return nil
	}
	if err := walk(v); err != nil {
		return nil, false, err
	}
	return out, true, nil
}

// cfgWeight reads an initializer key and a regularizer key.
func cfgWeight(cfg map[string]any, initKey, regKey, def string) ([]any, error) {
	init, reg, err := weightOptions(cfg, initKey, regKey, def)
	if err != nil {
		return nil, err
	}
	return []any{init, reg}, nil
}

// finite reports whether every value is a finite number.
func finite(v ...float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// moveLast permutes x, of full rank (with the batch axis), so that the
// given axes (sorted, non-negative, never 0) come last in their order,
// and returns the inverse permutation (nil when x is left as it is).
func moveLast(e *graphx.Expr, x *G.Node, axes []int) (*G.Node, []int) {
	r := x.Dims()
	trailing := true
	for i, a := range axes {
		if a != r-len(axes)+i {
			trailing = false
		}
	}
	if trailing {
		return x, nil
	}
	perm := make([]int, 0, r)
	for a := range r {
		if !slices.Contains(axes, a) {
			perm = append(perm, a)
		}
	}
	perm = append(perm, axes...)
	inv := make([]int, r)
	for i, p := range perm {
		inv[p] = i
	}
	return e.Transpose(x, perm...), inv
}

// moveBack undoes moveLast: y, of x's permuted shape, is given the
// unpermuted one.
func moveBack(e *graphx.Expr, y *G.Node, inv []int) *G.Node {
	if inv == nil {
		return y
	}
	return e.Transpose(y, inv...)
}
