package layers

import (
	"errors"
	"fmt"
	"math"
	"slices"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/internal/graphx"
)

// normalizationEpsilon is Keras's backend.epsilon(), the floor of the
// standard deviation Normalization divides by.
const normalizationEpsilon = 1e-7

// ErrNotAdapted is wrapped by the error of a Normalization layer used
// (by Fit, Evaluate or Predict) before Adapt, without Mean and Variance.
var ErrNotAdapted = errors.New("Normalization layer used before Adapt")

// NormalizationLayer shifts and scales features to mean 0 and standard
// deviation 1 with a mean and variance computed once, by Adapt, or
// given, as Keras's preprocessing layer Normalization.
type NormalizationLayer struct {
	Base
	axes      []int // Keras's axis (batch axis 0); empty: axis=None
	invert    bool
	inMean    []float64 // Mean and Variance given instead of Adapt
	inVar     []float64
	fromFile  bool // rebuilt from a config: the weights come from the file
	ready     bool // adapted, given Mean and Variance, or from a file
	keep      []int
	keptShape []int
	hasShape  bool // Build resolved the kept axes

	mean, variance      *Weight
	constMean, constVar []float64 // inMean and inVar broadcast to keptShape
}

// Normalization returns Keras's Normalization layer, which computes
// (x - mean) / max(sqrt(variance), 1e-7) (Keras's formula and its
// backend epsilon), or with Invert(true) mean + x*max(sqrt(variance),
// 1e-7). The mean and variance are per index of the kept axis (Axis,
// default -1: per feature; Axes() with no axis: one for all values),
// computed by Adapt, or given with Mean and Variance. Options: Axis,
// Axes, Mean, Variance, Invert (default false), Name, InputShape.
//
// An adapted layer has two weights, not trained: mean and variance, of
// the shape of the kept axes ((1,) for Axes(): Keras's is a scalar);
// they save and load with the model. Keras 3 also keeps a third, count,
// a scalar it never updates and keeps only to read older files; it is
// left out here, since the model files of this library hold no scalar
// weights. A layer given Mean and Variance has no weights: they are in
// its config. Normalization panics when only one of Mean and Variance is
// given, when they differ in length, when a variance is negative or a
// value is not finite, or on the batch axis 0: literal mistakes.
func Normalization(opts ...Option) *NormalizationLayer {
	c := newConfig(opts)
	l, err := newNormalization(c)
	if err != nil {
		panic("layers.Normalization: " + err.Error())
	}
	return l
}

func newNormalization(c config) (*NormalizationLayer, error) {
	l := &NormalizationLayer{Base: newBase(c), axes: []int{-1}, invert: c.norm.invert}
	if c.axis != nil {
		l.axes = []int{*c.axis}
	}
	if c.norm.axesGiven {
		l.axes = slices.Clone(c.norm.axes)
	}
	if slices.Contains(l.axes, 0) {
		return nil, fmt.Errorf("axis 0 is the batch axis")
	}
	m, v := c.norm.mean, c.norm.variance
	switch {
	case (m == nil) != (v == nil):
		return nil, fmt.Errorf("mean and variance must be given together, got %d mean and %d variance values", len(m), len(v))
	case m != nil && len(m) == 0:
		return nil, fmt.Errorf("mean and variance need at least one value")
	case len(m) != len(v):
		return nil, fmt.Errorf("mean and variance must have the same length, got %d and %d", len(m), len(v))
	case !finite(m...) || !finite(v...):
		return nil, fmt.Errorf("mean and variance must be finite, got %v and %v", m, v)
	}
	for _, x := range v {
		if x < 0 {
			return nil, fmt.Errorf("variance must be >= 0, got %v", v)
		}
	}
	if m != nil {
		l.inMean, l.inVar, l.ready = slices.Clone(m), slices.Clone(v), true
	}
	return l, nil
}

func normalizationFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	axes, ok, err := cfgInts(cfg, "axis")
	if err != nil {
		return nil, err
	}
	if _, has := cfg["axis"]; has && !ok {
		axes, ok = []int{}, true // axis: null is Keras's axis=None
	}
	if ok {
		opts = append(opts, Axes(axes...))
	}
	mean, hasMean, err := cfgFloats(cfg, "mean")
	if err != nil {
		return nil, err
	}
	variance, hasVar, err := cfgFloats(cfg, "variance")
	if err != nil {
		return nil, err
	}
	inv, err := cfgBool(cfg, "invert", false)
	if err != nil {
		return nil, err
	}
	c := newConfig(opts)
	c.norm.invert = inv
	if hasMean || hasVar {
		// Non-nil even when empty: given, and then checked.
		c.norm.mean, c.norm.variance = append([]float64{}, mean...), append([]float64{}, variance...)
	}
	l, err := newNormalization(c)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if l.inMean == nil {
		l.fromFile, l.ready = true, true
	}
	return l, nil
}

// ClassName returns "Normalization".
func (l *NormalizationLayer) ClassName() string { return "Normalization" }

// PassesMask reports true: the mask passes on, as in Keras.
func (l *NormalizationLayer) PassesMask() bool { return true }

// Adapted reports whether the layer has its mean and variance: from
// Adapt, from Mean and Variance, or from a saved model.
func (l *NormalizationLayer) Adapted() bool { return l.ready }

// resolve sets keep and keptShape for a sample shape.
func (l *NormalizationLayer) resolve(in []int) error {
	if len(l.axes) == 0 {
		l.keep, l.keptShape = []int{}, []int{}
		return nil
	}
	keep, shape, err := keptAxes(LayerName(l), l.axes, in)
	if err != nil {
		return err
	}
	l.keep, l.keptShape = keep, shape
	return nil
}

// Build checks the input against the adapted or given statistics and
// creates the weights mean and variance (when not given), or
// keeps the ones Adapt made.
func (l *NormalizationLayer) Build(in []int) ([]int, error) {
	name := LayerName(l)
	prev := slices.Clone(l.keptShape)
	hadWeights := l.mean != nil
	if err := l.resolve(in); err != nil {
		return nil, err
	}
	if l.inMean != nil {
		var err error
		if l.constMean, err = l.broadcastGiven("mean", l.inMean); err != nil {
			return nil, err
		}
		if l.constVar, err = l.broadcastGiven("variance", l.inVar); err != nil {
			return nil, err
		}
		l.hasShape = true
		return slices.Clone(in), nil
	}
	if hadWeights {
		if !slices.Equal(prev, l.keptShape) {
			return nil, fmt.Errorf("%s: adapted on data with samples of shape %s along the kept axes, got input of shape %s", name, ShapeString(prev), ShapeString(in))
		}
		l.hasShape = true
		return slices.Clone(in), nil
	}
	if err := l.makeWeights(); err != nil {
		return nil, err
	}
	l.hasShape = true
	return slices.Clone(in), nil
}

func (l *NormalizationLayer) makeWeights() error {
	name := LayerName(l)
	var err error
	shape := slices.Clone(l.keptShape)
	if len(shape) == 0 {
		shape = []int{1} // Keras's axis=None: one value, not a scalar
	}
	if l.mean, err = newWeight(name, "mean", shape, "zeros", nil); err != nil {
		return err
	}
	if l.variance, err = newWeight(name, "variance", slices.Clone(shape), "ones", nil); err != nil {
		return err
	}
	l.mean.NonTrainable, l.variance.NonTrainable = true, true
	return nil
}

// broadcastGiven fills the kept axes with a given mean or variance: one
// value for all, one per index of the last kept axis, or one per index
// of all of them (Keras broadcasts the same way).
func (l *NormalizationLayer) broadcastGiven(what string, v []float64) ([]float64, error) {
	k := numel(l.keptShape)
	last := 1
	if len(l.keptShape) > 0 {
		last = l.keptShape[len(l.keptShape)-1]
	}
	out := make([]float64, k)
	switch len(v) {
	case 1:
		for i := range out {
			out[i] = v[0]
		}
	case k:
		copy(out, v)
	case last:
		for i := range out {
			out[i] = v[i%last]
		}
	default:
		return nil, fmt.Errorf("%s: %s has %d values; the kept axes have shape %s: expected 1, %d or %d values", LayerName(l), what, len(v), ShapeString(l.keptShape), last, k)
	}
	return out, nil
}

// Weights returns mean and variance for a layer that adapts, in Keras
// 3's order, and none for a layer given Mean and Variance.
func (l *NormalizationLayer) Weights() []*Weight {
	if l.mean == nil {
		return nil
	}
	return []*Weight{l.mean, l.variance}
}

// Adapt computes the mean and the (population) variance of x for each
// index of the kept axes, over every other axis, in float64, as Keras's
// adapt. x holds samples along its first axis: (samples, features) for
// the default axis. Adapt may be called before the layer is in a model
// (as TensorFlow's "Basic regression" tutorial does) or after; a model
// holding the layer sees the new values at once. Empty data, NaN or
// infinite values, a shape that does not fit the layer, and a layer
// given Mean and Variance are errors naming the layer.
func (l *NormalizationLayer) Adapt(x tensor.Tensor) error {
	name := LayerName(l)
	if x == nil {
		return fmt.Errorf("%s: Adapt: data is nil", name)
	}
	if l.inMean != nil {
		return fmt.Errorf("%s: Adapt: the layer was given Mean and Variance; it has no state to adapt", name)
	}
	shape := []int(x.Shape())
	if len(shape) < 2 {
		return fmt.Errorf("%s: Adapt: expected data of shape (samples, features...), got shape %v", name, shape)
	}
	if numel(shape) == 0 {
		return fmt.Errorf("%s: Adapt: data of shape %v is empty", name, shape)
	}
	vals, err := float64Values(x)
	if err != nil {
		return fmt.Errorf("%s: Adapt: %w", name, err)
	}
	for i, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s: Adapt: data holds %v at flat index %d", name, v, i)
		}
	}
	sample := shape[1:]
	if l.hasShape || l.mean != nil {
		prev := slices.Clone(l.keptShape)
		if err := l.resolve(sample); err != nil {
			return fmt.Errorf("%s: Adapt: %w", name, err)
		}
		if !slices.Equal(prev, l.keptShape) {
			err := fmt.Errorf("%s: Adapt: the layer is built for %s along its kept axes, data has samples of shape %s", name, ShapeString(prev), ShapeString(sample))
			l.keptShape = prev
			return err
		}
	} else if err := l.resolve(sample); err != nil {
		return fmt.Errorf("%s: Adapt: %w", name, err)
	}
	mean, variance := moments(vals, shape, l.keep)
	if l.mean == nil {
		if err := l.makeWeights(); err != nil {
			return err
		}
	}
	setValue(l.mean, mean)
	setValue(l.variance, variance)
	l.ready = true
	return nil
}

// moments returns the mean and population variance of vals (of the
// given full shape, samples first) for each index of the kept axes,
// over all the others, in two passes.
func moments(vals []float64, shape, keep []int) (mean, variance []float64) {
	// stride[a] is axis a's step in the flat index of the kept values.
	k := 1
	stride := make([]int, len(shape))
	for i := len(keep) - 1; i >= 0; i-- {
		stride[keep[i]] = k
		k *= shape[keep[i]]
	}
	index := func(visit func(i, j int)) {
		pos := make([]int, len(shape))
		j := 0
		for i := range vals {
			visit(i, j)
			for a := len(shape) - 1; a >= 0; a-- {
				pos[a]++
				j += stride[a]
				if pos[a] < shape[a] {
					break
				}
				j -= stride[a] * pos[a]
				pos[a] = 0
			}
		}
	}
	n := float64(len(vals) / k)
	mean = make([]float64, k)
	index(func(i, j int) { mean[j] += vals[i] })
	for j := range mean {
		mean[j] /= n
	}
	variance = make([]float64, k)
	index(func(i, j int) { d := vals[i] - mean[j]; variance[j] += d * d })
	for j := range variance {
		variance[j] /= n
	}
	return mean, variance
}

// setValue writes vals into w, keeping the dtype of a value the model
// already gave it, and making a float32 one (Keras's default dtype)
// otherwise.
func setValue(w *Weight, vals []float64) {
	if w.Value == nil {
		w.Value = denseOf(tensor.Float32, w.Shape, vals)
		return
	}
	switch d := w.Value.Data().(type) {
	case []float32:
		for i, v := range vals {
			d[i] = float32(v)
		}
	case []float64:
		copy(d, vals)
	case float32, float64:
		// A scalar tensor's Data is its value: write through the backing.
		w.Value = newValueLike(w.Value, vals)
	}
}

// newValueLike returns a tensor of t's dtype and shape holding vals.
func newValueLike(t *tensor.Dense, vals []float64) *tensor.Dense {
	return denseOf(t.Dtype(), t.Shape(), vals)
}

// denseOf returns a float64 tensor (dt Float64) or a float32 one (any
// other dt) of the given shape holding vals.
func denseOf(dt tensor.Dtype, shape []int, vals []float64) *tensor.Dense {
	if dt == tensor.Float64 {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(slices.Clone(vals)))
	}
	f := make([]float32, len(vals))
	for i, v := range vals {
		f[i] = float32(v)
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
}

// float64Values returns x's values, in row-major order, as float64.
func float64Values(x tensor.Tensor) ([]float64, error) {
	if d, ok := x.(*tensor.Dense); ok && d.IsView() {
		x = d.Materialize()
	}
	conv := func(n int, at func(i int) float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = at(i)
		}
		return out
	}
	switch v := x.Data().(type) {
	case float64: // a scalar tensor
		return []float64{v}, nil
	case float32:
		return []float64{float64(v)}, nil
	case []float64:
		return slices.Clone(v), nil
	case []float32:
		return conv(len(v), func(i int) float64 { return float64(v[i]) }), nil
	case []int:
		return conv(len(v), func(i int) float64 { return float64(v[i]) }), nil
	case []int64:
		return conv(len(v), func(i int) float64 { return float64(v[i]) }), nil
	case []int32:
		return conv(len(v), func(i int) float64 { return float64(v[i]) }), nil
	case []int16:
		return conv(len(v), func(i int) float64 { return float64(v[i]) }), nil
	case []int8:
		return conv(len(v), func(i int) float64 { return float64(v[i]) }), nil
	case []uint8:
		return conv(len(v), func(i int) float64 { return float64(v[i]) }), nil
	case []uint16:
		return conv(len(v), func(i int) float64 { return float64(v[i]) }), nil
	case []uint32:
		return conv(len(v), func(i int) float64 { return float64(v[i]) }), nil
	case []uint64:
		return conv(len(v), func(i int) float64 { return float64(v[i]) }), nil
	}
	return nil, fmt.Errorf("unsupported data type %v (use a float or integer tensor)", x.Dtype())
}

// matchDtype converts a weight's value to dt: Adapt makes float32 values
// before the layer knows its model's dtype.
func matchDtype(w *Weight, dt tensor.Dtype) {
	if w.Value == nil || w.Value.Dtype() == dt {
		return
	}
	if vals, err := float64Values(w.Value); err == nil {
		w.Value = denseOf(dt, w.Shape, vals)
	}
}

// Call normalizes x, or with Invert undoes the normalization.
func (l *NormalizationLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	name := LayerName(l)
	if !l.hasShape {
		return nil, fmt.Errorf("%s: called before Build", name)
	}
	if !l.ready {
		return nil, fmt.Errorf("%s: %w without Mean and Variance: call Adapt(data) before Fit, Evaluate or Predict, or give layers.Mean and layers.Variance", name, ErrNotAdapted)
	}
	e := graphx.New(x.Dtype())
	k := numel(l.keptShape)
	var mean, variance *G.Node
	if l.inMean != nil {
		mean = l.constant(ctx, "mean", l.constMean)
		variance = l.constant(ctx, "variance", l.constVar)
	} else {
		for _, w := range l.Weights() {
			matchDtype(w, ctx.Dtype)
		}
		mean = e.Reshape(ctx.Param(name, l.mean), k)
		variance = e.Reshape(ctx.Param(name, l.variance), k)
	}
	xt, inv := moveLast(e, x, l.keep)
	if e.Err() != nil {
		return nil, fmt.Errorf("%s: %w", name, e.Err())
	}
	tshape := slices.Clone([]int(xt.Shape()))
	rows := e.Reshape(xt, -1, k)
	std := e.Maximum(e.Sqrt(variance), e.Fill(tensor.Shape{k}, normalizationEpsilon))
	var y *G.Node
	if l.invert {
		y = e.Add(mean, e.Mul(rows, std))
	} else {
		y = e.Div(e.Sub(rows, mean), std)
	}
	y = moveBack(e, e.Reshape(y, tshape...), inv)
	return callResult(l, e, y)
}

// constant is a (k) node of ctx's dtype holding vals, in ctx's graph
// (an op on a constant outside any graph has no graph to join).
func (l *NormalizationLayer) constant(ctx *Context, what string, vals []float64) *G.Node {
	t := denseOf(ctx.Dtype, []int{len(vals)}, vals)
	return G.NewTensor(ctx.Graph, ctx.Dtype, 1, G.WithShape(len(vals)), G.WithName(ctx.UniqueName(LayerName(l)+"/"+what)), G.WithValue(t))
}

// Config returns Keras's Normalization config: axis, invert, and the
// mean and variance given to the constructor (null for a layer that
// adapts: its statistics are weights).
func (l *NormalizationLayer) Config() map[string]any {
	m := l.baseConfig()
	m["axis"] = intsToAny(l.axes)
	m["invert"] = l.invert
	m["mean"], m["variance"] = nil, nil
	if l.inMean != nil {
		m["mean"], m["variance"] = floatsToAny(l.inMean), floatsToAny(l.inVar)
	}
	return m
}

func floatsToAny(v []float64) any {
	if len(v) == 1 {
		return v[0]
	}
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}
