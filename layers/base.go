package layers

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// Base holds what every layer shares: its name, its declared input shape,
// its trainable flag and the shape it was built for. Layers of this
// package embed it, and so can a custom layer: it then gets Name,
// SetName, InputShape, Weights (none), Trainable, SetTrainable and
// build-once semantics from BuildLayer, and writes only ClassName, Build,
// Call and Config.
type Base struct {
	name       string
	inputShape []int
	frozen     bool

	built             bool
	builtIn, builtOut [][]int
}

// NewBase returns a Base with the given name ("" lets the model name the
// layer after its class) and declared input shape (nil: none).
func NewBase(name string, inputShape ...int) Base {
	return Base{name: name, inputShape: slices.Clone(inputShape)}
}

func newBase(c config) Base { return Base{name: c.name, inputShape: c.inputShape} }

// Name returns the layer's name.
func (b *Base) Name() string { return b.name }

// SetName renames the layer.
func (b *Base) SetName(name string) { b.name = name }

// InputShape returns the declared input shape, or nil.
func (b *Base) InputShape() []int { return b.inputShape }

// Weights returns no weights; layers with weights override it.
func (b *Base) Weights() []*Weight { return nil }

// Trainable reports whether the layer's weights are trained (default
// true).
func (b *Base) Trainable() bool { return !b.frozen }

// SetTrainable freezes (false) or unfreezes (true) the layer.
func (b *Base) SetTrainable(t bool) { b.frozen = !t }

func (b *Base) base() *Base { return b }

// BaseConfig returns the config keys every layer shares (name,
// trainable, dtype and the declared input shape), for a custom layer's
// Config to add its own to.
func (b *Base) BaseConfig() map[string]any { return b.baseConfig() }

func (b *Base) baseConfig() map[string]any {
	m := map[string]any{"name": b.name, "trainable": !b.frozen, "dtype": "float32"}
	if b.inputShape != nil {
		m["batch_input_shape"] = append([]any{nil}, intsToAny(b.inputShape)...)
	}
	return m
}

// baser is what BuildLayer needs of a layer to build it once: the Base
// it embeds.
type baser interface{ base() *Base }

// BuildLayer builds l for the input shape in, once, as Keras builds a
// layer on its first call: a layer already built for in returns its
// output shape again and keeps its weights; another shape is an error
// naming the layer. Layers that do not embed Base are built every time.
func BuildLayer(l Layer, in []int) ([]int, error) {
	return buildOnce(l, [][]int{in}, func() ([]int, error) { return l.Build(slices.Clone(in)) })
}

// BuildLayerMulti is BuildLayer for a layer called on several inputs.
func BuildLayerMulti(l MultiInputLayer, in [][]int) ([]int, error) {
	return buildOnce(l, in, func() ([]int, error) {
		c := make([][]int, len(in))
		for i, s := range in {
			c[i] = slices.Clone(s)
		}
		return l.BuildMulti(c)
	})
}

func buildOnce(l Layer, in [][]int, build func() ([]int, error)) ([]int, error) {
	b, ok := l.(baser)
	if !ok {
		return build()
	}
	s := b.base()
	if s.built {
		if !slices.EqualFunc(s.builtIn, in, slices.Equal[[]int]) {
			return nil, fmt.Errorf("%s: already built for input shape %s, got %s", LayerName(l), shapesString(s.builtIn), shapesString(in))
		}
		return slices.Clone(s.builtOut[0]), nil
	}
	out, err := build()
	if err != nil {
		return nil, err
	}
	s.built = true
	s.builtIn = make([][]int, len(in))
	for i, x := range in {
		s.builtIn[i] = slices.Clone(x)
	}
	s.builtOut = [][]int{slices.Clone(out)}
	return out, nil
}

// Built reports whether l was built by BuildLayer, and for which input
// shapes.
func Built(l Layer) (in [][]int, ok bool) {
	b, isBase := l.(baser)
	if !isBase || !b.base().built {
		return nil, false
	}
	return b.base().builtIn, true
}

// LayerName is l's name, or its class name in snake case while it has
// none, for error messages.
func LayerName(l Layer) string {
	if n := l.Name(); n != "" {
		return n
	}
	return SnakeCase(l.ClassName())
}

// callResult ends a layer's Call built with e: y, or e's first error
// prefixed with the layer's name.
func callResult(l Layer, e *graphx.Expr, y *G.Node) (*G.Node, error) {
	out, err := e.Result(y)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", LayerName(l), err)
	}
	return out, nil
}

// SnakeCase turns a class name into Keras's layer name prefix, as
// Keras's to_snake_case: "InputLayer" -> "input_layer", "Conv2D" ->
// "conv2d", "LeakyReLU" -> "leaky_re_lu".
func SnakeCase(s string) string {
	s = nonWord.ReplaceAllString(s, "")
	s = capWord.ReplaceAllString(s, "${1}_${2}")
	s = lowerUpper.ReplaceAllString(s, "${1}_${2}")
	return strings.ToLower(s)
}

var (
	nonWord    = regexp.MustCompile(`\W+`)
	capWord    = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	lowerUpper = regexp.MustCompile(`([a-z])([A-Z])`)
)

// ShapeString writes a sample shape as Keras does: (28, 28, 1), (784,).
func ShapeString(s []int) string {
	if len(s) == 1 {
		return fmt.Sprintf("(%d,)", s[0])
	}
	out := "("
	for i, d := range s {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprint(d)
	}
	return out + ")"
}

func shapesString(s [][]int) string {
	if len(s) == 1 {
		return ShapeString(s[0])
	}
	out := "["
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += ShapeString(x)
	}
	return out + "]"
}
