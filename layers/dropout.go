package layers

import (
	"fmt"
	"math/rand/v2"
	"slices"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// DropoutLayer zeroes a random fraction of its inputs while training and
// scales the rest by 1/(1-rate); at inference it passes inputs through.
type DropoutLayer struct {
	Base
	rate  float64
	shape []int
}

// Dropout returns Keras's Dropout layer with the given rate, in [0, 1).
// The mask is drawn from the model's seeded source every training step
// (Gorgonia's own dropout op is not used: it seeds from the clock).
// Dropout panics on a rate outside [0, 1): a literal mistake.
func Dropout(rate float64) Layer { return DropoutWith(rate) }

// DropoutWith is Dropout with options (Name, InputShape).
func DropoutWith(rate float64, opts ...Option) Layer {
	if !(rate >= 0 && rate < 1) { // NaN too
		panic(fmt.Sprintf("layers.Dropout: rate must be in [0, 1), got %v", rate))
	}
	return &DropoutLayer{Base: newBase(newConfig(opts)), rate: rate}
}

// ClassName returns "Dropout".
func (d *DropoutLayer) ClassName() string { return "Dropout" }

// Rate returns the dropout rate.
func (d *DropoutLayer) Rate() float64 { return d.rate }

// Build keeps the shape.
func (d *DropoutLayer) Build(in []int) ([]int, error) {
	d.shape = slices.Clone(in)
	return slices.Clone(in), nil
}

// Call multiplies x by a mask input in the training graph.
func (d *DropoutLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	if !ctx.Training || d.rate == 0 {
		return x, nil
	}
	keep := 1 - d.rate
	mask := ctx.AddFeed(d.name+"/mask", x.Shape().Clone(), dropoutMask(keep))
	y, err := G.HadamardProd(x, mask)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.name, err)
	}
	return y, nil
}

// Config returns Keras's Dropout config.
func (d *DropoutLayer) Config() map[string]any {
	m := d.baseConfig()
	m["rate"] = d.rate
	return m
}

// PassesMask returns true: Dropout keeps its input's mask, as Keras.
func (d *DropoutLayer) PassesMask() bool { return true }

// dropoutMask returns the fill of an inverted-dropout mask feed: each
// value is 1/keep with probability keep, 0 otherwise.
func dropoutMask(keep float64) func(*rand.Rand, *tensor.Dense) {
	return func(rng *rand.Rand, t *tensor.Dense) {
		fillDraws(t, func() float64 {
			if rng.Float64() < keep {
				return 1 / keep
			}
			return 0
		})
	}
}

// fillDraws sets every value of t, float32 or float64, to a fresh
// draw(), in order, rounded to t's dtype.
func fillDraws(t *tensor.Dense, draw func() float64) {
	switch v := t.Data().(type) {
	case []float32:
		for i := range v {
			v[i] = float32(draw())
		}
	case []float64:
		for i := range v {
			v[i] = draw()
		}
	}
}
