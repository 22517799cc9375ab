package activations

import (
	"fmt"
	"hash"
	"hash/fnv"
	"math"
	"slices"
	"strings"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/internal/graphx"
)

// ActivationFunc applies an activation element-wise (softmax and
// log_softmax: over the last axis) to a graph node of dtype float32 or
// float64. Constants it adds have the node's dtype.
type ActivationFunc func(x *G.Node) (*G.Node, error)

// activations maps Keras activation names to their graph functions. It is
// filled once, here, and never written afterwards.
var activations = map[string]ActivationFunc{
	"linear":       Linear,
	"relu":         Relu,
	"relu6":        Relu6,
	"sigmoid":      Sigmoid,
	"tanh":         Tanh,
	"softmax":      Softmax,
	"log_softmax":  LogSoftmax,
	"softplus":     Softplus,
	"softsign":     Softsign,
	"elu":          Elu,
	"selu":         Selu,
	"leaky_relu":   LeakyRelu,
	"gelu":         Gelu,
	"swish":        Silu,
	"silu":         Silu,
	"mish":         Mish,
	"exponential":  Exponential,
	"hard_sigmoid": HardSigmoid,
	// Keras 2's hard_sigmoid, for files it wrote (keras.LoadModel).
	"hard_sigmoid_keras2": HardSigmoidKeras2,
	"hard_silu":           HardSilu,
	"hard_swish":          HardSilu,
}

// GetActivation returns the activation with the given Keras name. The
// empty name means "linear", as Keras's activation=None.
func GetActivation(name string) (ActivationFunc, error) {
	if name == "" {
		name = "linear"
	}
	f, ok := activations[name]
	if !ok {
		return nil, fmt.Errorf("unknown activation %q (known: %s)", name, strings.Join(ActivationNames(), ", "))
	}
	return f, nil
}

// ActivationNames lists the known activation names, sorted.
func ActivationNames() []string {
	names := make([]string, 0, len(activations))
	for n := range activations {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Keras's SELU constants (keras.src.backend numpy/jax selu).
const (
	seluAlpha = 1.6732632423543772848170429916717
	seluScale = 1.0507009873554804934193349852946
)

// LeakyReluSlope is Keras 3's default negative_slope of
// keras.activations.leaky_relu (the LeakyReLU layer's default is 0.3).
const LeakyReluSlope = 0.2

// checkFloat returns an error unless x is a float32 or float64 node.
func checkFloat(x *G.Node) error {
	if dt := x.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return fmt.Errorf("activation needs a float32 or float64 input, got %v", dt)
	}
	return nil
}

// elementwise checks that x is float32 or float64, then applies the
// Gorgonia op f to it.
func elementwise(f func(*G.Node) (*G.Node, error), x *G.Node) (*G.Node, error) {
	if err := checkFloat(x); err != nil {
		return nil, err
	}
	return f(x)
}

// formula checks that x is float32 or float64, then builds f(x) with
// constants of x's dtype.
func formula(f func(e *graphx.Expr, x *G.Node) *G.Node, x *G.Node) (*G.Node, error) {
	if err := checkFloat(x); err != nil {
		return nil, err
	}
	e := graphx.New(x.Dtype())
	return e.Result(f(e, x))
}

// Linear returns x unchanged: Keras's "linear" (activation=None).
func Linear(x *G.Node) (*G.Node, error) { return x, nil }

// Relu is Keras's "relu" with its defaults: max(x, 0).
func Relu(x *G.Node) (*G.Node, error) { return elementwise(G.Rectify, x) }

// Relu6 is Keras's "relu6": min(max(x, 0), 6), built as
// relu(x) - relu(x-6).
func Relu6(x *G.Node) (*G.Node, error) { return formula(relu6, x) }

func relu6(e *graphx.Expr, x *G.Node) *G.Node {
	return e.Sub(e.Relu(x), e.Relu(e.Sub(x, e.Scalar(6))))
}

// Sigmoid is Keras's "sigmoid": 1/(1+exp(-x)), exact to rounding on the
// whole line in both dtypes (Gorgonia's own cuts off at 15 in float32).
func Sigmoid(x *G.Node) (*G.Node, error) { return formula((*graphx.Expr).Sigmoid, x) }

// Tanh is Keras's "tanh".
func Tanh(x *G.Node) (*G.Node, error) { return elementwise(G.Tanh, x) }

// Softmax is Keras's "softmax" over the last axis (Keras default
// axis=-1): exp(x - m)/sum(exp(x - m)) with m the maximum over the axis.
// It is built from primitives because Gorgonia's SoftMax (tensor v0.9.24,
// softMaxLastDimF64/F32) takes each row's maximum starting from the first
// element of the whole tensor and skips the row's own first element, so
// a row whose first logit is large and its largest overflows to NaN.
func Softmax(x *G.Node) (*G.Node, error) { return formula((*graphx.Expr).Softmax, x) }

// LogSoftmax is Keras's "log_softmax" over the last axis (Keras default
// axis=-1), in the stable form x - m - log(sum(exp(x - m))) with m the
// maximum over the axis. Gorgonia's own LogSoftMax is not used: it
// returns -Inf for large negative log-probabilities.
func LogSoftmax(x *G.Node) (*G.Node, error) { return formula((*graphx.Expr).LogSoftmax, x) }

// Softplus is Keras's "softplus": log(exp(x) + 1).
func Softplus(x *G.Node) (*G.Node, error) { return elementwise(G.Softplus, x) }

// Softsign is Keras's "softsign": x / (|x| + 1).
func Softsign(x *G.Node) (*G.Node, error) {
	return formula(func(e *graphx.Expr, x *G.Node) *G.Node {
		return e.Div(x, e.Add(e.Abs(x), e.Scalar(1)))
	}, x)
}

// Elu is Keras's "elu" with its default alpha=1: x for x > 0, exp(x)-1
// otherwise.
func Elu(x *G.Node) (*G.Node, error) {
	return formula(func(e *graphx.Expr, x *G.Node) *G.Node { return elu(e, x, 1) }, x)
}

// elu builds relu(x) + alpha*expm1(-relu(-x)): the negative branch sees
// min(x, 0) only, so exp never overflows for large positive x.
func elu(e *graphx.Expr, x *G.Node, alpha float64) *G.Node {
	pos := e.Relu(x)
	neg := e.Expm1(e.Neg(e.Relu(e.Neg(x))))
	if alpha != 1 {
		neg = e.Mul(neg, e.Scalar(alpha))
	}
	return e.Add(pos, neg)
}

// Selu is Keras's "selu": scale*elu(x, alpha) with Keras's constants
// alpha=1.67326324 and scale=1.05070098.
func Selu(x *G.Node) (*G.Node, error) {
	return formula(func(e *graphx.Expr, x *G.Node) *G.Node {
		return e.Mul(elu(e, x, seluAlpha), e.Scalar(seluScale))
	}, x)
}

// LeakyRelu is Keras's "leaky_relu" with Keras 3's default
// negative_slope=0.2 (LeakyReluSlope): x for x >= 0, 0.2*x otherwise.
func LeakyRelu(x *G.Node) (*G.Node, error) {
	return formula(func(e *graphx.Expr, x *G.Node) *G.Node {
		return e.Sub(e.Relu(x), e.Mul(e.Relu(e.Neg(x)), e.Scalar(LeakyReluSlope)))
	}, x)
}

// Gelu is Keras's "gelu" with Keras 3's default approximate=False:
// 0.5*x*(1 + erf(x/sqrt(2))). Gorgonia has no erf, so this package adds
// an exact erf op (math.Erf forward, 2/sqrt(pi)*exp(-x²) backward) rather
// than falling back on the tanh approximation.
func Gelu(x *G.Node) (*G.Node, error) {
	return formula(func(e *graphx.Expr, x *G.Node) *G.Node {
		erf := e.Unary(Erf, e.Mul(x, e.Scalar(1/math.Sqrt2)))
		return e.Mul(e.Mul(x, e.Scalar(0.5)), e.Add(erf, e.Scalar(1)))
	}, x)
}

// Silu is Keras's "silu", also named "swish": x*sigmoid(x).
func Silu(x *G.Node) (*G.Node, error) {
	return formula(func(e *graphx.Expr, x *G.Node) *G.Node { return e.Mul(x, e.Sigmoid(x)) }, x)
}

// Mish is Keras's "mish": x*tanh(softplus(x)).
func Mish(x *G.Node) (*G.Node, error) { return elementwise(G.Mish, x) }

// Exponential is Keras's "exponential": exp(x).
func Exponential(x *G.Node) (*G.Node, error) { return elementwise(G.Exp, x) }

// HardSigmoid is Keras 3's "hard_sigmoid": relu6(x+3)/6, that is 0 for
// x <= -3, 1 for x >= 3 and x/6 + 0.5 between. (Keras 2 used
// 0.2*x + 0.5 clipped to [0, 1]; Keras 3 changed it.)
func HardSigmoid(x *G.Node) (*G.Node, error) { return formula(hardSigmoid, x) }

func hardSigmoid(e *graphx.Expr, x *G.Node) *G.Node {
	return e.Mul(relu6(e, e.Add(x, e.Scalar(3))), e.Scalar(1.0/6))
}

// HardSilu is Keras's "hard_silu", also named "hard_swish":
// x*hard_sigmoid(x).
func HardSilu(x *G.Node) (*G.Node, error) {
	return formula(func(e *graphx.Expr, x *G.Node) *G.Node { return e.Mul(x, hardSigmoid(e, x)) }, x)
}

// Erf applies the error function element-wise to a float32 or float64
// node; its gradient is 2/sqrt(pi)*exp(-x²). Gorgonia has no erf of its
// own; GELU needs one.
func Erf(x *G.Node) (*G.Node, error) {
	return elementwise(func(x *G.Node) (*G.Node, error) { return G.ApplyOp(erfOp{}, x) }, x)
}

// erfOp is a Gorgonia op computing math.Erf element-wise.
type erfOp struct{}

func (erfOp) Arity() int { return 1 }

func (erfOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (erfOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("erf: expected 1 input, got %d", len(in))
	}
	s, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("erf: expected a tensor.Shape, got %T", in[0])
	}
	return s.Clone(), nil
}

func (erfOp) Do(vals ...G.Value) (G.Value, error) {
	if len(vals) != 1 {
		return nil, fmt.Errorf("erf: expected 1 input, got %d", len(vals))
	}
	switch v := vals[0].(type) {
	case *G.F64:
		return G.NewF64(math.Erf(float64(*v))), nil
	case *G.F32:
		return G.NewF32(float32(math.Erf(float64(*v)))), nil
	case *tensor.Dense:
		out := v.Clone().(*tensor.Dense)
		switch d := out.Data().(type) {
		case []float64:
			for i, e := range d {
				d[i] = math.Erf(e)
			}
		case []float32:
			for i, e := range d {
				d[i] = float32(math.Erf(float64(e)))
			}
		default:
			return nil, fmt.Errorf("erf: unsupported dtype %v", v.Dtype())
		}
		return out, nil
	default:
		return nil, fmt.Errorf("erf: unsupported value %T", vals[0])
	}
}

func (erfOp) ReturnsPtr() bool      { return false }
func (erfOp) CallsExtern() bool     { return false }
func (erfOp) OverwritesInput() int  { return -1 }
func (erfOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "activations.erf") }
func (op erfOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}
func (erfOp) String() string { return "erf" }

// DiffWRT says erf is differentiable in its input.
func (erfOp) DiffWRT(inputs int) []bool { return []bool{true} }

// SymDiff returns grad * 2/sqrt(pi) * exp(-x²).
func (erfOp) SymDiff(inputs G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	x := inputs[0]
	e := graphx.New(x.Dtype())
	d := e.Mul(e.Exp(e.Neg(e.Square(x))), e.Scalar(2/math.Sqrt(math.Pi)))
	dx, err := e.Result(e.Mul(d, grad))
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}
