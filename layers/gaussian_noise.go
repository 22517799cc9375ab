package layers

import (
	"fmt"
	"math/rand/v2"
	"slices"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/internal/graphx"
)

// GaussianNoiseLayer adds zero-mean normal noise while training, as
// Keras's GaussianNoise.
type GaussianNoiseLayer struct {
	Base
	stddev float64
}

// GaussianNoise returns Keras's GaussianNoise layer: in a training step it
// adds noise drawn from N(0, stddev²), afresh every step from the model's
// seeded source; Predict and Evaluate pass the input through. Keras
// takes stddev in [0, 1]; GaussianNoise panics outside it.
func GaussianNoise(stddev float64) Layer { return GaussianNoiseWith(stddev) }

// GaussianNoiseWith is GaussianNoise with options (Name, InputShape).
func GaussianNoiseWith(stddev float64, opts ...Option) Layer {
	if !(stddev >= 0 && stddev <= 1) {
		panic(fmt.Sprintf("layers.GaussianNoise: stddev must be in [0, 1], got %v", stddev))
	}
	return &GaussianNoiseLayer{Base: newBase(newConfig(opts)), stddev: stddev}
}

func gaussianNoiseFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	s, ok, err := cfgFloat(cfg, "stddev", 0)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("GaussianNoise config needs stddev")
	}
	if !(s >= 0 && s <= 1) {
		return nil, fmt.Errorf("config stddev: must be in [0, 1], got %v", s)
	}
	return GaussianNoiseWith(s, opts...), nil
}

// ClassName returns "GaussianNoise".
func (l *GaussianNoiseLayer) ClassName() string { return "GaussianNoise" }

// PassesMask reports true: the mask passes on, as in Keras.
func (l *GaussianNoiseLayer) PassesMask() bool { return true }

// Build keeps the shape.
func (l *GaussianNoiseLayer) Build(in []int) ([]int, error) { return slices.Clone(in), nil }

// Call adds a noise input, filled every training step, in training
// graphs.
func (l *GaussianNoiseLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	if !ctx.Training || l.stddev == 0 {
		return x, nil
	}
	sd := l.stddev
	noise := ctx.AddFeed(LayerName(l)+"/noise", x.Shape().Clone(), func(rng *rand.Rand, t *tensor.Dense) {
		fillDraws(t, func() float64 { return rng.NormFloat64() * sd })
	})
	e := graphx.New(x.Dtype())
	return callResult(l, e, e.Add(x, noise))
}

// Config returns Keras's GaussianNoise config (seed null: the noise comes
// from the model's seeded source).
func (l *GaussianNoiseLayer) Config() map[string]any {
	m := l.baseConfig()
	m["stddev"] = l.stddev
	m["seed"] = nil
	return m
}
