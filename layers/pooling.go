package layers

import (
	"fmt"
	"slices"

	"github.com/gokeras/keras/internal/nn"
	G "gorgonia.org/gorgonia"
)

// PoolingLayer is max or average pooling over 1-D or 2-D channels_last
// input. MaxPooling1D, MaxPooling2D, AveragePooling1D and
// AveragePooling2D return it.
type PoolingLayer struct {
	Base
	class    string
	rank     int
	max      bool
	poolSize []int
	strides  []int
	padding  string

	win     nn.Window
	in, out []int
}

func newPooling(class string, rank int, isMax bool, opts []Option) *PoolingLayer {
	c := newConfig(opts)
	pool := perAxis(class, "pool size", c.conv.poolSize, rank, 2)
	strides := pool
	if c.conv.strides != nil {
		strides = perAxis(class, "strides", c.conv.strides, rank, 1)
	}
	padding := c.conv.padding
	if padding == "" {
		padding = "valid"
	}
	return &PoolingLayer{Base: newBase(c), class: class, rank: rank, max: isMax, poolSize: pool, strides: slices.Clone(strides), padding: padding}
}

// MaxPooling2D returns Keras's MaxPooling2D: the maximum of each window
// per channel. Options: PoolSize (default (2, 2)), Strides (default: the
// pool size), Padding ("valid", the default, or "same"; padding cells
// never win), InputShape, Name. It panics on a pool size or stride below
// 1, a literal mistake in the program.
func MaxPooling2D(opts ...Option) Layer { return newPooling("MaxPooling2D", 2, true, opts) }

// AveragePooling2D returns Keras's AveragePooling2D: the mean of each
// window per channel; with "same" padding a window at the edge averages
// only its real cells, as Keras. Options as MaxPooling2D's.
func AveragePooling2D(opts ...Option) Layer { return newPooling("AveragePooling2D", 2, false, opts) }

// MaxPooling1D returns Keras's MaxPooling1D over (steps, channels).
// Options as MaxPooling2D's, with one value each; PoolSize default 2.
func MaxPooling1D(opts ...Option) Layer { return newPooling("MaxPooling1D", 1, true, opts) }

// AveragePooling1D returns Keras's AveragePooling1D over (steps,
// channels). Options as MaxPooling1D's.
func AveragePooling1D(opts ...Option) Layer { return newPooling("AveragePooling1D", 1, false, opts) }

// ClassName returns the Keras class name ("MaxPooling2D", ...).
func (l *PoolingLayer) ClassName() string { return l.class }

// Build checks the input and returns the pooled shape.
func (l *PoolingLayer) Build(in []int) ([]int, error) {
	name := LayerName(l)
	if len(in) != l.rank+1 {
		return nil, fmt.Errorf("%s: expected input of rank %d %s, got %s", name, l.rank+1, spatialNames(l.rank), ShapeString(in))
	}
	if err := checkPadding(l.padding, []string{"valid", "same"}); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var h, wd int
	if l.rank == 1 {
		h, wd = 1, in[0]
		l.win = nn.Window{KH: 1, KW: l.poolSize[0], StrideH: 1, StrideW: l.strides[0], DilH: 1, DilW: 1}
	} else {
		h, wd = in[0], in[1]
		l.win = nn.Window{KH: l.poolSize[0], KW: l.poolSize[1], StrideH: l.strides[0], StrideW: l.strides[1], DilH: 1, DilW: 1}
	}
	if l.padding == "same" {
		l.win = l.win.WithSamePadding(h, wd)
	}
	oh, err := nn.OutSize(h, l.win.KH, l.win.StrideH, 1, l.win.PadTop, l.win.PadBottom)
	var ow int
	if err == nil {
		ow, err = nn.OutSize(wd, l.win.KW, l.win.StrideW, 1, l.win.PadLeft, l.win.PadRight)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: pool %v: %v for input %s", name, l.poolSize, err, ShapeString(in))
	}
	l.out = []int{oh, ow, in[len(in)-1]}
	if l.rank == 1 {
		l.out = l.out[1:]
	}
	l.in = slices.Clone(in)
	return slices.Clone(l.out), nil
}

// Call pools x.
func (l *PoolingLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	name := LayerName(l)
	xs := x.Shape()
	if xs.Dims() != l.rank+2 || !slices.Equal(xs[1:], l.in) {
		return nil, fmt.Errorf("%s: expected input of shape %s, got %s", name, ShapeString(l.in), ShapeString(xs[1:]))
	}
	n := xs[0]
	var err error
	if l.rank == 1 {
		if x, err = G.Reshape(x, []int{n, 1, xs[1], xs[2]}); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	var y *G.Node
	if l.max {
		y, err = nn.MaxPool2D(x, l.win)
	} else {
		y, err = nn.AvgPool2D(x, l.win)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if l.rank == 1 {
		if y, err = G.Reshape(y, append([]int{n}, l.out...)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return y, nil
}

// Config returns Keras's pooling config.
func (l *PoolingLayer) Config() map[string]any {
	m := l.baseConfig()
	m["pool_size"] = intsToAny(l.poolSize)
	m["strides"] = intsToAny(l.strides)
	m["padding"] = l.padding
	m["data_format"] = "channels_last"
	return m
}

func poolingFromConfig(rank int, isMax bool) func(cfg map[string]any) (Layer, error) {
	return func(cfg map[string]any) (Layer, error) {
		opts, err := commonOptions(cfg)
		if err != nil {
			return nil, err
		}
		if err := channelsLast(cfg); err != nil {
			return nil, err
		}
		pool, err := axesConfig(cfg, "pool_size", rank, 2)
		if err != nil {
			return nil, err
		}
		strides := pool
		if v, ok := cfg["strides"]; ok && v != nil {
			if strides, err = axesConfig(cfg, "strides", rank, 1); err != nil {
				return nil, err
			}
		}
		padding, err := paddingConfig(cfg, "valid", "same")
		if err != nil {
			return nil, err
		}
		opts = append(opts, PoolSize(pool...), Strides(strides...), Padding(padding))
		switch {
		case rank == 1 && isMax:
			return MaxPooling1D(opts...), nil
		case rank == 1:
			return AveragePooling1D(opts...), nil
		case isMax:
			return MaxPooling2D(opts...), nil
		}
		return AveragePooling2D(opts...), nil
	}
}
