package layers

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Layer is one step of a Sequential model. A layer declares its weights
// from the input shape it is given (Build) and adds its computation to a
// Gorgonia graph (Call). Shapes never include the batch dimension.
type Layer interface {
	// Name is the layer's unique name within its model ("dense", "dense_1").
	Name() string
	// SetName renames the layer; the model calls it for unnamed layers.
	SetName(name string)
	// ClassName is the Keras class name ("Dense", "Dropout").
	ClassName() string
	// InputShape is the shape declared with InputShape, or nil.
	InputShape() []int
	// Build creates the layer's weights (shapes and initializers, not
	// values) for the given input shape and returns the output shape.
	Build(inputShape []int) (outputShape []int, err error)
	// Weights lists the layer's weights in Keras's order (kernel, bias).
	Weights() []*Weight
	// Call adds the layer's computation on x to ctx's graph.
	Call(ctx *Context, x *G.Node) (*G.Node, error)
	// Config is the layer's Keras-style configuration (units, activation,
	// use_bias, ...), used by Summary and by saving.
	Config() map[string]any
}

// Weight is one variable of a layer: its value, how it starts and how it
// is regularised.
type Weight struct {
	// Name is the variable's name within the layer ("kernel", "bias").
	Name string
	// Shape is the variable's shape.
	Shape []int
	// Value holds the numbers; it is nil until the model allocates it.
	Value *tensor.Dense
	// Initializer draws the starting value.
	Initializer Initializer
	// Regularizer, when not nil, adds a penalty on the value to the loss.
	Regularizer Regularizer
}

// Context carries what a layer needs while it adds itself to a graph: the
// graph, whether the graph trains, the batch size and the nodes of the
// weights shared by every graph of the model.
type Context struct {
	// Graph is the graph being built.
	Graph *G.ExprGraph
	// Training is true in the training graph (dropout is active).
	Training bool
	// Batch is the batch size the graph is built for.
	Batch int
	// Dtype is the model's float type.
	Dtype tensor.Dtype

	params     map[*Weight]*G.Node
	order      []*Weight
	losses     []*G.Node
	feeds      []Feed
	pendingReg []regTerm
}

// Feed is an input a layer asks the model to fill before every training
// step, such as a dropout mask drawn from the model's seeded source.
type Feed struct {
	Node  *G.Node
	Value *tensor.Dense
	Fill  func(rng *rand.Rand, t *tensor.Dense)
}

// NewContext returns a context for building one graph of a model.
func NewContext(g *G.ExprGraph, training bool, batch int, dt tensor.Dtype) *Context {
	return &Context{Graph: g, Training: training, Batch: batch, Dtype: dt, params: map[*Weight]*G.Node{}}
}

// Param returns the graph node of w, creating it on first use. The node
// shares w.Value, so every graph of the model sees the same numbers.
// Its name is layer/weight, unique in the graph (Gorgonia merges nodes of
// equal name and op).
func (c *Context) Param(layer string, w *Weight) *G.Node {
	if n, ok := c.params[w]; ok {
		return n
	}
	name := layer + "/" + w.Name
	var n *G.Node
	if len(w.Shape) == 1 {
		n = G.NewVector(c.Graph, c.Dtype, G.WithShape(w.Shape...), G.WithName(name), G.WithValue(w.Value))
	} else {
		n = G.NewTensor(c.Graph, c.Dtype, len(w.Shape), G.WithShape(w.Shape...), G.WithName(name), G.WithValue(w.Value))
	}
	c.params[w] = n
	c.order = append(c.order, w)
	if w.Regularizer != nil {
		c.pendingReg = append(c.pendingReg, regTerm{layer, w, n})
	}
	return n
}

type regTerm struct {
	layer string
	w     *Weight
	n     *G.Node
}

// AddLoss adds a scalar node to the model's loss (regularisation terms).
func (c *Context) AddLoss(n *G.Node) { c.losses = append(c.losses, n) }

// AddFeed declares an input that the model fills before every step with
// fill, drawing from the model's random source.
func (c *Context) AddFeed(name string, shape []int, fill func(rng *rand.Rand, t *tensor.Dense)) *G.Node {
	t := tensor.New(tensor.Of(c.Dtype), tensor.WithShape(shape...))
	n := G.NewTensor(c.Graph, c.Dtype, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(t))
	c.feeds = append(c.feeds, Feed{Node: n, Value: t, Fill: fill})
	return n
}

// Params returns the weights used in the graph and their nodes, in the
// order they were first used.
func (c *Context) Params() ([]*Weight, []*G.Node) {
	nodes := make([]*G.Node, len(c.order))
	for i, w := range c.order {
		nodes[i] = c.params[w]
	}
	return c.order, nodes
}

// Losses returns the extra loss terms added by layers, including the
// penalties of regularised weights.
func (c *Context) Losses() ([]*G.Node, error) {
	out := append([]*G.Node(nil), c.losses...)
	for _, r := range c.pendingReg {
		p, err := r.w.Regularizer.Penalty(r.n)
		if err != nil {
			return nil, fmt.Errorf("%s: %s regularizer: %w", r.layer, r.w.Name, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// Feeds returns the inputs layers asked the model to fill each step.
func (c *Context) Feeds() []Feed { return c.feeds }
