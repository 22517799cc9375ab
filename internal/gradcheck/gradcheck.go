// Package gradcheck compares Gorgonia's symbolic gradients with central
// finite differences, in float64.
//
// A test hands Check a function that builds a scalar node from input
// nodes, and the float64 values of those inputs:
//
//	res, err := gradcheck.Check(func(in []*G.Node) (*G.Node, error) {
//		sq, err := G.Square(in[0])
//		if err != nil {
//			return nil, err
//		}
//		return G.Sum(sq)
//	}, []*tensor.Dense{x}, gradcheck.Config{})
//	if err != nil { ... }          // the graph could not be built or run
//	if err := res.Err(); err != nil { ... } // a gradient disagrees
package gradcheck

import (
	"errors"
	"fmt"
	"math"
	"strings"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Func builds a scalar node from the input nodes, which all live in one
// fresh graph and hold float64 values.
type Func func(inputs []*G.Node) (*G.Node, error)

// Config tunes a check. The zero value is ready to use.
type Config struct {
	// Step is the central-difference step h: (f(x+h)-f(x-h))/2h.
	// Default 1e-5.
	Step float64
	// RelTol and AbsTol: an element passes when
	// |analytic-numeric| <= AbsTol + RelTol*max(|analytic|, |numeric|).
	// Defaults 1e-6 and 1e-9.
	RelTol, AbsTol float64
	// WRT lists the indices of the inputs to differentiate with respect
	// to. Default: all of them.
	WRT []int
}

func (c Config) withDefaults(n int) Config {
	if c.Step == 0 {
		c.Step = 1e-5
	}
	if c.RelTol == 0 {
		c.RelTol = 1e-6
	}
	if c.AbsTol == 0 {
		c.AbsTol = 1e-9
	}
	if c.WRT == nil {
		for i := 0; i < n; i++ {
			c.WRT = append(c.WRT, i)
		}
	}
	return c
}

// Mismatch is one element where the two gradients disagree.
type Mismatch struct {
	Input, Index      int // which input (an index into Config.WRT's inputs) and which flat element
	Analytic, Numeric float64
}

// String describes the mismatch.
func (m Mismatch) String() string {
	return fmt.Sprintf("input %d element %d: analytic %.10g, numeric %.10g", m.Input, m.Index, m.Analytic, m.Numeric)
}

// Result holds both gradients, flat, one slice per checked input (in
// the order of Config.WRT), and the elements that disagree.
type Result struct {
	Value             float64 // the scalar at the unperturbed inputs
	Analytic, Numeric [][]float64
	Mismatches        []Mismatch
	// MaxAbsErr is the largest |analytic-numeric| over all elements.
	MaxAbsErr float64
}

// Err is nil when every element passed, and otherwise lists the first
// mismatches.
func (r Result) Err() error {
	if len(r.Mismatches) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "gradcheck: %d element(s) disagree", len(r.Mismatches))
	for i, m := range r.Mismatches {
		if i == 5 {
			b.WriteString("; ...")
			break
		}
		b.WriteString("; ")
		b.WriteString(m.String())
	}
	return errors.New(b.String())
}

// Check evaluates f's gradient with G.Grad and with central differences
// at inputs (float64 tensors, left unchanged), and compares them.
// The error is about building or running the graph; disagreement is
// reported in the Result (see Result.Err).
func Check(f Func, inputs []*tensor.Dense, cfg Config) (Result, error) {
	cfg = cfg.withDefaults(len(inputs))
	for i, in := range inputs {
		if in.Dtype() != tensor.Float64 {
			return Result{}, fmt.Errorf("gradcheck: input %d has dtype %v, want float64", i, in.Dtype())
		}
		if in.Shape().Dims() == 0 {
			return Result{}, fmt.Errorf("gradcheck: input %d is a scalar; pass a tensor of shape (1)", i)
		}
	}
	for _, w := range cfg.WRT {
		if w < 0 || w >= len(inputs) {
			return Result{}, fmt.Errorf("gradcheck: WRT index %d out of range [0, %d)", w, len(inputs))
		}
	}

	value, analytic, err := analyticGrad(f, inputs, cfg.WRT)
	if err != nil {
		return Result{}, err
	}
	numeric, err := numericGrad(f, inputs, cfg.WRT, cfg.Step)
	if err != nil {
		return Result{}, err
	}
	res := Result{Value: value, Analytic: analytic, Numeric: numeric}
	for i := range analytic {
		for k := range analytic[i] {
			a, n := analytic[i][k], numeric[i][k]
			d := math.Abs(a - n)
			if d > res.MaxAbsErr || math.IsNaN(d) {
				res.MaxAbsErr = d
			}
			if !(d <= cfg.AbsTol+cfg.RelTol*math.Max(math.Abs(a), math.Abs(n))) {
				res.Mismatches = append(res.Mismatches, Mismatch{Input: i, Index: k, Analytic: a, Numeric: n})
			}
		}
	}
	return res, nil
}

// build makes a fresh graph holding copies of inputs and applies f.
func build(f Func, inputs []*tensor.Dense) (nodes []*G.Node, out *G.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gradcheck: building the graph panicked: %v", r)
		}
	}()
	g := G.NewGraph()
	nodes = make([]*G.Node, len(inputs))
	for i, in := range inputs {
		v := in.Clone().(*tensor.Dense)
		nodes[i] = G.NewTensor(g, tensor.Float64, in.Shape().Dims(),
			G.WithShape(in.Shape()...), G.WithName(fmt.Sprintf("gradcheck/input_%d", i)), G.WithValue(v))
	}
	out, err = f(nodes)
	if err != nil {
		return nil, nil, fmt.Errorf("gradcheck: building the graph: %w", err)
	}
	if out == nil || !out.IsScalar() {
		return nil, nil, fmt.Errorf("gradcheck: the function must return a scalar node")
	}
	if out.Dtype() != tensor.Float64 {
		return nil, nil, fmt.Errorf("gradcheck: the output has dtype %v, want float64", out.Dtype())
	}
	return nodes, out, nil
}

func scalarOf(n *G.Node) (float64, error) {
	switch v := n.Value().Data().(type) {
	case float64:
		return v, nil
	case []float64:
		if len(v) == 1 {
			return v[0], nil
		}
	}
	return 0, fmt.Errorf("gradcheck: output value %v is not a float64 scalar", n.Value())
}

func analyticGrad(f Func, inputs []*tensor.Dense, wrt []int) (float64, [][]float64, error) {
	nodes, out, err := build(f, inputs)
	if err != nil {
		return 0, nil, err
	}
	wrtNodes := make([]*G.Node, len(wrt))
	for i, w := range wrt {
		wrtNodes[i] = nodes[w]
	}
	grads, err := G.Grad(out, wrtNodes...)
	if err != nil {
		return 0, nil, fmt.Errorf("gradcheck: G.Grad: %w", err)
	}
	vm := G.NewTapeMachine(out.Graph())
	defer vm.Close()
	// Read the values before Reset, which run calls.
	var value float64
	res := make([][]float64, len(wrt))
	err = func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("gradcheck: running the graph panicked: %v", r)
			}
		}()
		if err = vm.RunAll(); err != nil {
			return err
		}
		if value, err = scalarOf(out); err != nil {
			return err
		}
		for i, gr := range grads {
			data, ok := gr.Value().Data().([]float64)
			if !ok {
				if s, ok := gr.Value().Data().(float64); ok {
					data = []float64{s}
				} else {
					return fmt.Errorf("gradcheck: gradient %d has data %T", i, gr.Value().Data())
				}
			}
			if len(data) != inputs[wrt[i]].Shape().TotalSize() {
				return fmt.Errorf("gradcheck: gradient %d has %d elements, input has %d", i, len(data), inputs[wrt[i]].Shape().TotalSize())
			}
			res[i] = append([]float64(nil), data...)
		}
		return nil
	}()
	if err != nil {
		return 0, nil, err
	}
	return value, res, nil
}

func numericGrad(f Func, inputs []*tensor.Dense, wrt []int, h float64) ([][]float64, error) {
	nodes, out, err := build(f, inputs)
	if err != nil {
		return nil, err
	}
	vm := G.NewTapeMachine(out.Graph())
	defer vm.Close()
	eval := func(node *G.Node, base *tensor.Dense, k int, x float64) (float64, error) {
		t := base.Clone().(*tensor.Dense)
		t.Data().([]float64)[k] = x
		if err := G.Let(node, t); err != nil {
			return 0, err
		}
		var v float64
		err := func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("gradcheck: running the graph panicked: %v", r)
				}
			}()
			defer vm.Reset()
			if err = vm.RunAll(); err != nil {
				return err
			}
			v, err = scalarOf(out)
			return err
		}()
		return v, err
	}
	res := make([][]float64, len(wrt))
	for i, w := range wrt {
		base := inputs[w]
		data := base.Data().([]float64)
		res[i] = make([]float64, len(data))
		for k, x := range data {
			// x+h and x-h are rounded; divide by the step actually taken.
			xp, xm := x+h, x-h
			fp, err := eval(nodes[w], base, k, xp)
			if err != nil {
				return nil, err
			}
			fm, err := eval(nodes[w], base, k, xm)
			if err != nil {
				return nil, err
			}
			res[i][k] = (fp - fm) / (xp - xm)
		}
		// Put the unperturbed value back for the next input's loop.
		if err := G.Let(nodes[w], base.Clone()); err != nil {
			return nil, err
		}
	}
	return res, nil
}
