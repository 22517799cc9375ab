package layers

import (
	"fmt"
	"slices"
	"strings"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
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
	"l2": func() Regularizer { return L2(0.01) },
}

// GetRegularizer resolves a Keras regularizer name or a Regularizer; nil
// means no regularizer.
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

type l2 struct{ factor float64 }

// L2 penalises factor * sum(w²). Keras default factor: 0.01.
func L2(factor float64) Regularizer { return l2{factor} }

func (r l2) Name() string           { return "l2" }
func (r l2) Config() map[string]any { return map[string]any{"l2": r.factor} }
func (r l2) Penalty(w *G.Node) (*G.Node, error) {
	sq, err := G.Square(w)
	if err != nil {
		return nil, err
	}
	s, err := G.Sum(sq)
	if err != nil {
		return nil, err
	}
	return G.Mul(s, scalarLike(w, r.factor))
}

// scalarLike returns a constant scalar of w's dtype.
func scalarLike(w *G.Node, v float64) *G.Node {
	if w.Dtype() == tensor.Float64 {
		return G.NewConstant(v)
	}
	return G.NewConstant(float32(v))
}
