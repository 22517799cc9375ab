package layers

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
	"github.com/gokeras/keras/internal/rnn"
)

// BidirectionalLayer runs a recurrent layer over the sequence forwards
// and a copy of it backwards and merges the two outputs, as Keras's
// Bidirectional.
type BidirectionalLayer struct {
	Base
	layer             Layer // as given, for Config
	forward, backward recurrentLayer
	mergeMode         string
	err               error
}

// Bidirectional wraps a SimpleRNN, LSTM or GRU, as
// keras.layers.Bidirectional: a forward copy of l ("forward_" + its
// name) and a backward one ("backward_" + its name, GoBackwards
// flipped, its outputs put back in time order) both read the input, and
// MergeMode combines them: "concat" (Keras default; the last axis
// doubles), "sum", "mul" or "ave". When l returns sequences both copies
// output zeros at masked steps, as Keras's. Weights: the forward layer's,
// then the backward layer's. Wrapping another kind of layer, or an
// unknown merge mode, is an error when the model is built.
func Bidirectional(l Layer, opts ...Option) Layer {
	c := newConfig(opts)
	b := &BidirectionalLayer{Base: newBase(c), layer: l, mergeMode: c.rnn.mergeMode}
	r, ok := l.(recurrentLayer)
	switch {
	case l == nil:
		b.err = fmt.Errorf("bidirectional: %w, got nil", errNotRecurrent)
	case !ok:
		b.err = fmt.Errorf("bidirectional: %w, got %s", errNotRecurrent, l.ClassName())
	case c.rnn.mergeMode != "concat" && c.rnn.mergeMode != "sum" && c.rnn.mergeMode != "mul" && c.rnn.mergeMode != "ave":
		b.err = fmt.Errorf("bidirectional: merge mode must be concat, sum, mul or ave, got %q", c.rnn.mergeMode)
	default:
		b.forward = copyRecurrent(r, "", false)
		b.backward = copyRecurrent(r, "", true)
		for _, x := range []recurrentLayer{b.forward, b.backward} {
			x.rec().zeroOutputForMask = x.rec().returnSequences
		}
	}
	return b
}

// ClassName returns "Bidirectional".
func (b *BidirectionalLayer) ClassName() string { return "Bidirectional" }

// Layers returns the forward and the backward layer.
func (b *BidirectionalLayer) Layers() []Layer {
	if b.forward == nil {
		return nil
	}
	return []Layer{b.forward, b.backward}
}

// SetTrainable freezes or unfreezes both layers.
func (b *BidirectionalLayer) SetTrainable(t bool) {
	b.Base.SetTrainable(t)
	for _, l := range b.Layers() {
		l.SetTrainable(t)
	}
}

// Build builds both layers for the input (steps, features).
func (b *BidirectionalLayer) Build(in []int) ([]int, error) {
	if b.err != nil {
		return nil, fmt.Errorf("%s: %w", LayerName(b), b.err)
	}
	inner := b.layer.Name()
	if inner == "" {
		inner = SnakeCase(b.layer.ClassName())
	}
	b.forward.SetName("forward_" + inner)
	b.backward.SetName("backward_" + inner)
	out, err := BuildLayer(b.forward, in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", LayerName(b), err)
	}
	if _, err := BuildLayer(b.backward, in); err != nil {
		return nil, fmt.Errorf("%s: %w", LayerName(b), err)
	}
	// The model names a weight after its top-level layer: prefix the
	// inner layer's name so the two kernels stay apart, as Keras's paths
	// (bidirectional/forward_lstm/kernel).
	for _, l := range b.Layers() {
		for _, w := range l.Weights() {
			w.Name = l.Name() + "/" + w.Name
		}
	}
	if b.mergeMode == "concat" {
		out[len(out)-1] *= 2
	}
	return out, nil
}

// Weights returns the forward layer's weights, then the backward's.
func (b *BidirectionalLayer) Weights() []*Weight {
	var ws []*Weight
	for _, l := range b.Layers() {
		ws = append(ws, l.Weights()...)
	}
	return ws
}

// Call runs both layers and merges their outputs.
func (b *BidirectionalLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	if b.err != nil {
		return nil, fmt.Errorf("%s: %w", LayerName(b), b.err)
	}
	mask := ctx.Mask()
	fw, err := b.forward.Call(ctx, x)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.name, err)
	}
	bw, err := b.backward.Call(ctx, x)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.name, err)
	}
	seq := b.forward.rec().returnSequences
	if seq {
		if bw, err = rnn.Reverse(bw); err != nil {
			return nil, fmt.Errorf("%s: %w", b.name, err)
		}
	}
	var y *G.Node
	e := graphx.New(ctx.Dtype)
	switch b.mergeMode {
	case "concat":
		y, err = G.Concat(fw.Shape().Dims()-1, fw, bw)
	case "sum":
		y, err = e.Result(e.Add(fw, bw))
	case "mul":
		y, err = e.Result(e.Mul(fw, bw))
	case "ave":
		y, err = e.Result(e.Mul(e.Add(fw, bw), e.Scalar(0.5)))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: merge %s: %w", b.name, b.mergeMode, err)
	}
	if seq {
		ctx.SetMask(mask)
	} else {
		ctx.SetMask(nil)
	}
	return y, nil
}

// Config returns Keras's Bidirectional config: the wrapped layer's
// class and config under "layer", and merge_mode.
func (b *BidirectionalLayer) Config() map[string]any {
	m := b.baseConfig()
	m["merge_mode"] = b.mergeMode
	if b.layer != nil {
		m["layer"] = map[string]any{"class_name": b.layer.ClassName(), "config": b.layer.Config()}
	}
	return m
}

// wrappedLayer reads a wrapper's "layer" entry.
func wrappedLayer(cfg map[string]any) (Layer, error) {
	v, ok := cfg["layer"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("config layer: expected {\"class_name\": ..., \"config\": ...}, got %T", cfg["layer"])
	}
	class, ok := v["class_name"].(string)
	if !ok {
		return nil, fmt.Errorf("config layer: class_name must be a string, got %T", v["class_name"])
	}
	inner, _ := v["config"].(map[string]any)
	if inner == nil && v["config"] != nil {
		return nil, fmt.Errorf("config layer: config must be an object, got %T", v["config"])
	}
	return FromConfig(class, inner)
}

func bidirectionalFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	if cfg["backward_layer"] != nil {
		return nil, fmt.Errorf("%w: a backward_layer of its own", ErrUnsupportedConfig)
	}
	mode, ok := cfg["merge_mode"].(string)
	if !ok {
		if _, present := cfg["merge_mode"]; present && cfg["merge_mode"] == nil {
			return nil, fmt.Errorf("%w: merge_mode None (two outputs)", ErrUnsupportedConfig)
		}
		mode = "concat"
	}
	l, err := wrappedLayer(cfg)
	if err != nil {
		return nil, err
	}
	if _, ok := l.(recurrentLayer); !ok {
		return nil, fmt.Errorf("config layer: %w, got %s", errNotRecurrent, l.ClassName())
	}
	switch mode {
	case "concat", "sum", "mul", "ave":
	default:
		return nil, fmt.Errorf("config merge_mode: must be concat, sum, mul or ave, got %q", mode)
	}
	return Bidirectional(l, append(opts, MergeMode(mode))...), nil
}
