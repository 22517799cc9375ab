package layers

import (
	"fmt"
	"math"
	"slices"
	"strings"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/internal/graphx"
)

// Regularizer turns a weight into a scalar penalty added to the loss, as
// Keras's keras.regularizers.
type Regularizer interface {
	// Penalty returns the scalar penalty node for the weight node w.
	Penalty(w *G.Node) (*G.Node, error)
	// Name is the Keras name ("l2").
	Name() string
	// Config is the Keras config ({"l2": 0.01}).
	Config() map[string]any
}

// regularizers maps Keras names to constructors with Keras's defaults. It
// is filled once, here, and never written afterwards.
var regularizers = map[string]func() Regularizer{
	"l1":    func() Regularizer { return L1(0.01) },
	"l2":    func() Regularizer { return L2(0.01) },
	"l1_l2": func() Regularizer { return L1L2(0.01, 0.01) },
}

// GetRegularizer resolves a Keras regularizer name or a Regularizer; nil
// means no regularizer. Names give Keras's defaults: "l1" is L1(0.01),
// "l2" is L2(0.01), "l1_l2" is L1L2(0.01, 0.01).
func GetRegularizer(v any) (Regularizer, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case Regularizer:
		return x, nil
	case string:
		f, ok := regularizers[x]
		if !ok {
			return nil, fmt.Errorf("unknown regularizer %q (known: %s)", x, strings.Join(RegularizerNames(), ", "))
		}
		return f(), nil
	default:
		return nil, fmt.Errorf("regularizer must be a name or a layers.Regularizer, got %T", v)
	}
}

// RegularizerNames lists the known regularizer names, sorted.
func RegularizerNames() []string {
	names := make([]string, 0, len(regularizers))
	for n := range regularizers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// l1l2 is Keras's L1L2; L1 and L2 are its special cases, told apart only
// by their name and config.
type l1l2 struct {
	name   string
	l1, l2 float64
}

// L1 penalises factor * sum(|w|), as Keras's L1. Keras default factor:
// 0.01 (the registry's "l1"). L1 panics on a negative or non-finite
// factor: a literal mistake in the program.
func L1(factor float64) Regularizer {
	checkFactor("L1", factor)
	return l1l2{"l1", factor, 0}
}

// L2 penalises factor * sum(w²), as Keras's L2. Keras default factor:
// 0.01 (the registry's "l2"). L2 panics on a negative or non-finite
// factor.
func L2(factor float64) Regularizer {
	checkFactor("L2", factor)
	return l1l2{"l2", 0, factor}
}

// L1L2 penalises l1 * sum(|w|) + l2 * sum(w²), as Keras's L1L2. Keras's
// constructor defaults are l1=0, l2=0; the registry's "l1_l2" uses
// Keras's string defaults l1=0.01, l2=0.01. L1L2 panics on a negative or
// non-finite factor.
func L1L2(l1, l2 float64) Regularizer {
	checkFactor("L1L2", l1)
	checkFactor("L1L2", l2)
	return l1l2{"l1_l2", l1, l2}
}

func checkFactor(who string, f float64) {
	if !(f >= 0) || math.IsInf(f, 0) {
		panic(fmt.Sprintf("layers.%s: factor must be a non-negative number, got %v", who, f))
	}
}

func (r l1l2) Name() string { return r.name }

func (r l1l2) Config() map[string]any {
	switch r.name {
	case "l1":
		return map[string]any{"l1": r.l1}
	case "l2":
		return map[string]any{"l2": r.l2}
	default:
		return map[string]any{"l1": r.l1, "l2": r.l2}
	}
}

// Penalty builds the scalar penalty. Zero factors add no term, as in
// Keras; with both zero the penalty is 0*sum(w²), which keeps w in the
// graph so its gradient (zero) is defined.
func (r l1l2) Penalty(w *G.Node) (*G.Node, error) {
	if dt := w.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("%s penalty needs a float32 or float64 weight, got %v", r.name, dt)
	}
	e := graphx.New(w.Dtype())
	// Only the terms used are built: a tape machine runs every node of
	// the graph, wanted or not.
	l1 := func() *G.Node { return e.Mul(e.Sum(e.Abs(w)), e.Scalar(r.l1)) }
	l2 := func() *G.Node { return e.Mul(e.Sum(e.Square(w)), e.Scalar(r.l2)) }
	switch {
	case r.l1 == 0:
		return e.Result(l2())
	case r.l2 == 0:
		return e.Result(l1())
	default:
		return e.Result(e.Add(l1(), l2()))
	}
}
