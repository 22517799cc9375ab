package fused

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"github.com/gokeras/keras/internal/opkit"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// epsilon is Keras's backend.epsilon(), the clipping bound of
// probabilities.
const epsilon = 1e-7

// LogitsOf returns z when p is Softmax(z) (kind "softmax") or Sigmoid(z)
// (kind "sigmoid") made by this package.
func LogitsOf(p *G.Node) (z *G.Node, kind string, ok bool) {
	if p == nil {
		return nil, "", false
	}
	switch op := p.Op().(type) {
	case softmaxOp:
		kind = "softmax"
	case sigmoidOp:
		if op.grad {
			return nil, "", false
		}
		kind = "sigmoid"
	default:
		return nil, "", false
	}
	g := p.Graph()
	if g == nil {
		return nil, "", false
	}
	it := g.From(p.ID())
	if it.Len() != 1 || !it.Next() {
		return nil, "", false
	}
	z, ok = it.Node().(*G.Node)
	return z, kind, ok
}

// SoftmaxCrossentropy is Keras's categorical_crossentropy on the
// probabilities p = Softmax(z) (p made by this package) of one-hot (or
// smoothed) targets y, in one op: each row of p divided by its sum,
// clipped to [1e-7, 1-1e-7], -Σ t·log(p) per row, the mean over the
// rows; t = y·(1-smoothing) + smoothing/classes. The gradient goes
// straight to z: (p·Σt·m/s - t·m)/rows per element, m the clip's mask (0
// where clipped, as the clip's own gradient), s the row's sum: the
// softmax's Jacobian times the gradient of the clipped log, simplified.
func SoftmaxCrossentropy(y, p *G.Node, smoothing float64) (*G.Node, error) {
	z, kind, ok := LogitsOf(p)
	if !ok || kind != "softmax" {
		return nil, fmt.Errorf("fused categorical cross-entropy: y_pred is not a softmax of this package")
	}
	if !y.Shape().Eq(p.Shape()) {
		return nil, fmt.Errorf("fused categorical cross-entropy: y_true has shape %v, y_pred has %v", y.Shape(), p.Shape())
	}
	return G.ApplyOp(xentOp{rank: p.Dims(), smoothing: smoothing}, y, p, z)
}

// SigmoidBinaryCrossentropy is Keras's binary_crossentropy on the
// probabilities p = Sigmoid(z) (p made by this package) of targets y,
// in one op: p clipped to [1e-7, 1-1e-7], -(t·log(p) + (1-t)·log(1-p)),
// the mean over every element; t = y·(1-smoothing) + smoothing/2. The
// gradient goes straight to z, as the clipped logs' gradient times
// σ'(z) read from z.
func SigmoidBinaryCrossentropy(y, p *G.Node, smoothing float64) (*G.Node, error) {
	z, kind, ok := LogitsOf(p)
	if !ok || kind != "sigmoid" {
		return nil, fmt.Errorf("fused binary cross-entropy: y_pred is not a sigmoid of this package")
	}
	if !y.Shape().Eq(p.Shape()) {
		return nil, fmt.Errorf("fused binary cross-entropy: y_true has shape %v, y_pred has %v", y.Shape(), p.Shape())
	}
	return G.ApplyOp(xentOp{rank: p.Dims(), binary: true, smoothing: smoothing}, y, p, z)
}

// xentOp is (y, p, z) -> the scalar loss, or with grad (y, p, z, g) ->
// the loss's gradient with respect to z, g the loss's own gradient.
type xentOp struct {
	opkit.Base
	rank      int
	binary    bool
	smoothing float64
	grad      bool
}

// Arity is 3, or 4 for the gradient.
func (op xentOp) Arity() int {
	if op.grad {
		return 4
	}
	return 3
}

// Type is a → a → a → b (scalar), or a → a → a → b → a.
func (op xentOp) Type() hm.Type {
	t := &G.TensorType{Dims: op.rank, Of: hm.TypeVariable('a')}
	s := hm.TypeVariable('a')
	if op.grad {
		return hm.NewFnType(t, t, t, s, t)
	}
	return hm.NewFnType(t, t, t, s)
}

// InferShape is a scalar, or z's shape for the gradient.
func (op xentOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return lossShape(op, in, op.grad, 2)
}

// Do computes into a new value.
func (op xentOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo computes into prealloc when it fits.
func (op xentOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("%v: expected %d inputs, got %d", op, op.Arity(), len(in))
	}
	y, err := dense(in[0], 0, "cross-entropy targets")
	if err != nil {
		return nil, err
	}
	p, err := dense(in[1], 0, "cross-entropy probabilities")
	if err != nil {
		return nil, err
	}
	z, err := dense(in[2], 0, "cross-entropy logits")
	if err != nil {
		return nil, err
	}
	if err := opkit.SameDtype(y, p, z); err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	if !y.Shape().Eq(p.Shape()) || !z.Shape().Eq(p.Shape()) {
		return nil, fmt.Errorf("%v: targets %v, probabilities %v and logits %v differ in shape", op, y.Shape(), p.Shape(), z.Shape())
	}
	s := p.Shape()
	c := s[s.Dims()-1]
	if !op.grad {
		var v float64
		switch p.Dtype() {
		case tensor.Float32:
			v = xentLoss(y.Float32s(), p.Float32s(), c, op.binary, float32(op.smoothing), float32(epsilon), float32(1-epsilon))
		default:
			v = xentLoss(y.Float64s(), p.Float64s(), c, op.binary, op.smoothing, epsilon, 1-epsilon)
		}
		return scalarOut(prealloc, p.Dtype(), v), nil
	}
	g, err := scalarOf(in[3])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	out := opkit.Output(prealloc, p.Dtype(), s...)
	switch p.Dtype() {
	case tensor.Float32:
		if op.binary {
			bceGrad(y.Float32s(), p.Float32s(), z.Float32s(), out.Float32s(), float32(g), float32(op.smoothing), float32(epsilon), float32(1-epsilon),
				func(v float32) float32 { return float32(sigmoidGrad64(float64(v))) })
		} else {
			cceGrad(y.Float32s(), p.Float32s(), out.Float32s(), c, float32(g), float32(op.smoothing), float32(epsilon), float32(1-epsilon))
		}
	default:
		if op.binary {
			bceGrad(y.Float64s(), p.Float64s(), z.Float64s(), out.Float64s(), g, op.smoothing, epsilon, 1-epsilon, sigmoidGrad64)
		} else {
			cceGrad(y.Float64s(), p.Float64s(), out.Float64s(), c, g, op.smoothing, epsilon, 1-epsilon)
		}
	}
	return out, nil
}

// target is y smoothed towards k by s, as the graph computed it.
func target[T float](y, s, k T) T {
	if s == 0 {
		return y
	}
	return y*(1-s) + s*k
}

// xentLoss is the clipped cross-entropy of p (binary: every element;
// else rows of c), summed in float64 over values computed in T, as the
// graph computed them.
func xentLoss[T float](y, p []T, c int, binary bool, s, lo, hi T) float64 {
	if binary {
		var sum float64
		for i, v := range p {
			q := min(max(v, lo), hi)
			t := target(y[i], s, 0.5)
			sum += float64(t)*math.Log(float64(q)) + float64(1-t)*math.Log1p(-float64(q))
		}
		return -sum / float64(len(p))
	}
	if c == 0 {
		return 0
	}
	k := 1 / T(c)
	var sum float64
	for i := 0; i+c <= len(p); i += c {
		pr, yr := p[i:i+c], y[i:i+c]
		var rs T
		for _, v := range pr {
			rs += v
		}
		for j, v := range pr {
			q := min(max(v/rs, lo), hi)
			if t := target(yr[j], s, k); t != 0 {
				sum += float64(t) * math.Log(float64(q))
			}
		}
	}
	return -sum / float64(len(p)/c)
}

// cceGrad writes g·(p·Σt·m/s - t·m)/rows: the gradient of the clipped
// categorical cross-entropy of softmax(z) with respect to z.
func cceGrad[T float](y, p, out []T, c int, g, smoothing, lo, hi T) {
	if c == 0 {
		return
	}
	rows := len(p) / c
	scale := g / T(rows)
	k := 1 / T(c)
	for i := 0; i+c <= len(p); i += c {
		pr, yr, o := p[i:i+c], y[i:i+c], out[i:i+c]
		var rs T
		for _, v := range pr {
			rs += v
		}
		var tm T // Σ t·m
		for j, v := range pr {
			q := v / rs
			t := target(yr[j], smoothing, k)
			if q >= lo && q <= hi {
				tm += t
				o[j] = -t
			} else {
				o[j] = 0
			}
		}
		f := tm / rs
		for j, v := range pr {
			o[j] = (o[j] + v*f) * scale
		}
	}
}

// bceGrad writes g·m·(-t/q + (1-t)/(1-q))·σ'(z)/n, q the clipped p and
// m the clip's mask: the gradient of the clipped binary cross-entropy of
// σ(z) with respect to z, in the graph's order of operations.
func bceGrad[T float](y, p, z, out []T, g, smoothing, lo, hi T, dsig func(T) T) {
	n := T(len(p))
	for i, v := range p {
		if !(v >= lo && v <= hi) {
			out[i] = 0
			continue
		}
		t := target(y[i], smoothing, 0.5)
		dq := -(t / v) + (1-t)/(1-v)
		out[i] = g / n * dq * dsig(z[i])
	}
}

// DiffWRT: only the logits.
func (op xentOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	if !op.grad && n == 3 {
		d[2] = true
	}
	return d
}

// SymDiff is the gradient with respect to z, in one op.
func (op xentOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if op.grad || len(inputs) != 3 {
		return nil, fmt.Errorf("%v: not differentiable here", op)
	}
	gop := op
	gop.grad = true
	dz, err := G.ApplyOp(gop, inputs[0], inputs[1], inputs[2], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{nil, nil, dz}, nil
}

// WriteHash writes the op's name and settings.
func (op xentOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and settings.
func (op xentOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op xentOp) String() string {
	name := "FusedSoftmaxXent"
	if op.binary {
		name = "FusedSigmoidXent"
	}
	if op.grad {
		name += "Grad"
	}
	return fmt.Sprintf("%s{rank=%d, smoothing=%v}", name, op.rank, op.smoothing)
}
