package graphx

import (
	"slices"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Sqrt is the square root of a.
func (e *Expr) Sqrt(a *G.Node) *G.Node { return e.Unary(G.Sqrt, a) }

// Tanh is the hyperbolic tangent of a.
func (e *Expr) Tanh(a *G.Node) *G.Node { return e.Unary(G.Tanh, a) }

// Log1p is log(1 + a), accurate for small a.
func (e *Expr) Log1p(a *G.Node) *G.Node { return e.Unary(G.Log1p, a) }

// Pow is a to the constant power p. p = 1 and p = 2 are built as a and
// a², exactly; other powers use Gorgonia's Pow, whose gradient p*a^(p-1)
// is right for a > 0 (and for a = 0 when p >= 1).
func (e *Expr) Pow(a *G.Node, p float64) *G.Node {
	switch p {
	case 1:
		return a
	case 2:
		return e.Square(a)
	}
	return e.Binary(G.Pow, a, e.Scalar(p))
}

// broadcast brings a and b to one shape by NumPy's rules: shapes are
// aligned on their last axes, missing leading axes count as 1, and an
// axis of 1 is repeated to the other's length. Equal shapes and scalar
// operands are returned as they are (element-wise ops take those).
func (e *Expr) broadcast(a, b *G.Node) (*G.Node, *G.Node) {
	if e.err != nil {
		return nil, nil
	}
	if a == nil || b == nil {
		e.Fail("nil operand")
		return nil, nil
	}
	as, bs := a.Shape(), b.Shape()
	// slices.Equal, not Shape.Eq: Eq holds (2) and (2, 1) equal.
	if a.IsScalar() || b.IsScalar() || slices.Equal(as, bs) {
		return a, b
	}
	rank := max(len(as), len(bs))
	pa, pb := padShape(as, rank), padShape(bs, rank)
	var left, right []byte
	for i := range rank {
		switch {
		case pa[i] == pb[i]:
		case pa[i] == 1:
			left = append(left, byte(i))
		case pb[i] == 1:
			right = append(right, byte(i))
		default:
			e.Fail("shapes %v and %v do not broadcast: axis %d has %d and %d", as, bs, i-rank, pa[i], pb[i])
			return nil, nil
		}
	}
	if rank > 4 && (len(left) > 0 || len(right) > 0) {
		e.Fail("shapes %v and %v: broadcasting is supported up to rank 4", as, bs)
		return nil, nil
	}
	a, b = e.reshapeTo(a, pa), e.reshapeTo(b, pb)
	if e.err != nil || (len(left) == 0 && len(right) == 0) {
		return a, b
	}
	x, y, err := G.Broadcast(a, b, G.NewBroadcastPattern(left, right))
	if err != nil {
		e.Fail("broadcasting %v and %v: %v", as, bs, err)
		return nil, nil
	}
	return x, y
}

// padShape prepends axes of 1 to s up to rank.
func padShape(s tensor.Shape, rank int) tensor.Shape {
	out := make(tensor.Shape, rank)
	for i := range out {
		out[i] = 1
	}
	copy(out[rank-len(s):], s)
	return out
}

func (e *Expr) reshapeTo(x *G.Node, s tensor.Shape) *G.Node {
	if e.err != nil {
		return nil
	}
	if slices.Equal(x.Shape(), s) {
		return x
	}
	return e.Node(G.Reshape(x, s))
}

// elementwise applies a binary element-wise op after broadcasting.
func (e *Expr) elementwise(f func(a, b *G.Node) (*G.Node, error), a, b *G.Node) *G.Node {
	a, b = e.broadcast(a, b)
	return e.Binary(f, a, b)
}

// axes turns Keras-style axes (negative counting from the end) of a
// tensor of rank r into sorted, distinct, non-negative ones. No axes
// means every axis.
func (e *Expr) axes(r int, ax []int) []int {
	if len(ax) == 0 {
		out := make([]int, r)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := make([]int, 0, len(ax))
	for _, a := range ax {
		if a < -r || a >= r {
			e.Fail("axis %d is out of range for a tensor of rank %d", a, r)
			return nil
		}
		if a < 0 {
			a += r
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}

// reduce applies Gorgonia's reduction f over the given axes (all when
// none), keeping them as axes of 1 when keep is set.
func (e *Expr) reduce(name string, f func(*G.Node, ...int) (*G.Node, error), x *G.Node, keep bool, ax []int) *G.Node {
	if e.err != nil {
		return nil
	}
	if x.IsScalar() {
		return x
	}
	s := x.Shape()
	axes := e.axes(len(s), ax)
	if e.err != nil {
		return nil
	}
	var out *G.Node
	if len(axes) == len(s) {
		if name == "max" {
			out = e.Node(G.Max(x))
		} else {
			out = e.Node(G.Sum(x))
		}
	} else {
		out = e.Node(f(x, axes...))
	}
	if !keep || e.err != nil {
		return out
	}
	kept := s.Clone()
	for _, a := range axes {
		kept[a] = 1
	}
	return e.reshapeTo(out, kept)
}

// SumAxes sums x over the given axes (negative ones count from the end;
// none means all, giving a scalar). keep keeps each reduced axis with
// length 1, as Keras's keepdims.
func (e *Expr) SumAxes(x *G.Node, keep bool, axes ...int) *G.Node {
	return e.reduce("sum", G.Sum, x, keep, axes)
}

// MeanAxes is the mean of x over the given axes, as SumAxes.
func (e *Expr) MeanAxes(x *G.Node, keep bool, axes ...int) *G.Node {
	if e.err != nil {
		return nil
	}
	if x.IsScalar() {
		return x
	}
	n := 1
	s := x.Shape()
	for _, a := range e.axes(len(s), axes) {
		n *= s[a]
	}
	return e.Div(e.SumAxes(x, keep, axes...), e.Scalar(float64(n)))
}

// MaxAxes is the maximum of x over the given axes, as SumAxes.
func (e *Expr) MaxAxes(x *G.Node, keep bool, axes ...int) *G.Node {
	return e.reduce("max", G.Max, x, keep, axes)
}

// Reshape gives x the shape s, which may hold one -1: the length that
// makes the sizes agree.
func (e *Expr) Reshape(x *G.Node, s ...int) *G.Node {
	if e.err != nil {
		return nil
	}
	total := x.Shape().TotalSize()
	out := make(tensor.Shape, len(s))
	infer, known := -1, 1
	for i, d := range s {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d == -1:
			return e.Fail("reshape %v to %v: at most one -1", x.Shape(), s)
		case d <= 0:
			return e.Fail("reshape %v to %v: lengths must be positive or -1", x.Shape(), s)
		default:
			known *= d
			out[i] = d
		}
	}
	if infer >= 0 {
		if total%known != 0 {
			return e.Fail("reshape %v (%d elements) to %v: %d is not a multiple of %d", x.Shape(), total, s, total, known)
		}
		out[infer] = total / known
	} else if known != total {
		return e.Fail("reshape %v (%d elements) to %v (%d elements)", x.Shape(), total, s, known)
	}
	if len(out) == 0 {
		return e.Fail("reshape %v: expected at least one length", x.Shape())
	}
	return e.reshapeTo(x, out)
}

// Transpose permutes the axes of x: out axis i is x's axis perm[i].
// Without perm, the axes are reversed.
func (e *Expr) Transpose(x *G.Node, perm ...int) *G.Node {
	if e.err != nil {
		return nil
	}
	r := x.Dims()
	if len(perm) > 0 {
		if len(perm) != r {
			return e.Fail("transpose of shape %v: perm %v must list %d axes", x.Shape(), perm, r)
		}
		seen := make([]bool, r)
		for _, p := range perm {
			if p < 0 || p >= r || seen[p] {
				return e.Fail("transpose of shape %v: perm %v is not a permutation of 0..%d", x.Shape(), perm, r-1)
			}
			seen[p] = true
		}
	}
	return e.Node(G.Transpose(x, perm...))
}

// Concat joins xs along axis (negative counts from the end); the other
// axes must agree.
func (e *Expr) Concat(axis int, xs ...*G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	if len(xs) == 0 {
		return e.Fail("concatenate: no tensors")
	}
	for i, x := range xs {
		if x == nil {
			return e.Fail("concatenate: tensor %d is nil", i)
		}
	}
	r := xs[0].Dims()
	if r == 0 {
		return e.Fail("concatenate: scalars have no axis")
	}
	a := e.axes(r, []int{axis})
	if e.err != nil {
		return nil
	}
	for i, x := range xs {
		s := x.Shape()
		if len(s) != r {
			return e.Fail("concatenate: tensor %d has shape %v, tensor 0 has %v", i, s, xs[0].Shape())
		}
		for j := range s {
			if j != a[0] && s[j] != xs[0].Shape()[j] {
				return e.Fail("concatenate on axis %d: tensor %d has shape %v, tensor 0 has %v", axis, i, s, xs[0].Shape())
			}
		}
	}
	if len(xs) == 1 {
		return xs[0]
	}
	return e.Node(G.Concat(a[0], xs...))
}

// Matmul is the matrix product of a and b: (m, k) by (k, n), a matrix
// by a vector (k), or, for rank 3, a batch of matrix products (b, m, k)
// by (b, k, n).
func (e *Expr) Matmul(a, b *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	as, bs := a.Shape(), b.Shape()
	switch {
	case a.Dims() == 2 && b.Dims() == 2 && as[1] == bs[0],
		a.Dims() == 2 && b.Dims() == 1 && as[1] == bs[0]:
		return e.Node(G.Mul(a, b))
	case a.Dims() == 3 && b.Dims() == 3 && as[0] == bs[0] && as[2] == bs[1]:
		return e.Node(G.BatchedMatMul(a, b))
	}
	return e.Fail("matmul of shapes %v and %v: expected (m, k) by (k, n) or (k), or (b, m, k) by (b, k, n)", as, bs)
}

// Where is a where cond > 0, else b, element-wise (cond, a and b
// broadcast together). It is written m*a + (1-m)*b with m the 0/1 mask,
// so the gradient reaches a where cond holds and b elsewhere; an
// infinite or NaN value in the branch not taken still makes a NaN.
func (e *Expr) Where(cond, a, b *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	m := e.Node(G.Gt(cond, e.Scalar(0), true))
	return e.Add(e.Mul(m, a), e.Mul(e.Sub(e.Scalar(1), m), b))
}
