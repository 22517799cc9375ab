package layers

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Layer is one block of a model, as a Keras layer. A layer declares its
// weights from the input shape it is given (Build, once) and adds its
// computation to a Gorgonia graph each time it is called (Call). Shapes
// never include the batch dimension.
//
// A built layer keeps its weights: putting it in a second model, or
// calling it twice in one graph, shares them (Keras's shared layers).
// Models build layers through BuildLayer, which builds each layer once;
// layers that embed Base get this for free.
//
// What a layer may need beyond a plain function of its input is all in
// the Context it is called with: the training flag, weights that are not
// trained (Weight.NonTrainable), updates applied after each training step
// (Context.AddUpdate), inputs the model fills each step (Context.AddFeed,
// for dropout masks and noise), extra loss terms (Context.AddLoss) and the
// mask of the input (Context.Mask, Context.SetMask). Layers that need
// none of it write none of it.
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
	// Models call it through BuildLayer, once per layer.
	Build(inputShape []int) (outputShape []int, err error)
	// Weights lists the layer's weights in Keras's order (kernel, bias;
	// trainable ones before the others).
	Weights() []*Weight
	// Call adds the layer's computation on x to ctx's graph.
	Call(ctx *Context, x *G.Node) (*G.Node, error)
	// Config is the layer's Keras-style configuration (units, activation,
	// use_bias, ...), used by Summary and by saving.
	Config() map[string]any
	// Trainable reports whether the optimizer may change the layer's
	// weights (Keras's layer.trainable, default true).
	Trainable() bool
	// SetTrainable freezes (false) or unfreezes the layer; a frozen
	// layer's weights are not trained, and a frozen BatchNormalization
	// runs in inference mode, as in Keras 3.
	SetTrainable(b bool)
}

// MultiInputLayer is a layer called on several tensors at once, such as
// the merge layers (Add, Concatenate). The model calls BuildMulti and
// CallMulti instead of Build and Call.
type MultiInputLayer interface {
	Layer
	// BuildMulti builds the layer for the shapes of its inputs and returns
	// the output shape.
	BuildMulti(inputShapes [][]int) ([]int, error)
	// CallMulti adds the layer's computation on xs to ctx's graph.
	CallMulti(ctx *Context, xs []*G.Node) (*G.Node, error)
}

// Container is a layer made of other layers (a model used as a layer, or
// a wrapper such as Bidirectional). Setting its trainable flag sets its
// layers' too.
type Container interface {
	Layer
	// Layers returns the layers it holds.
	Layers() []Layer
}

// MaskPasser is implemented by layers that pass their input's mask on
// unchanged (Keras's supports_masking), such as Dense and Dropout. Other
// layers drop the mask unless they set one with Context.SetMask.
type MaskPasser interface {
	PassesMask() bool
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
	// NonTrainable marks state that the optimizer never changes, such as
	// BatchNormalization's moving mean; layers update it with
	// Context.AddUpdate.
	NonTrainable bool
}

// Context carries what a layer needs while it adds itself to a graph: the
// graph, whether the graph trains, the batch size, the nodes of the
// weights shared by every graph of the model, and the mask of the input
// being processed.
type Context struct {
	// Graph is the graph being built.
	Graph *G.ExprGraph
	// Training is true in the training graph (dropout is active,
	// BatchNormalization uses the batch's statistics).
	Training bool
	// Batch is the batch size the graph is built for.
	Batch int
	// Dtype is the model's float type.
	Dtype tensor.Dtype

	params     map[*Weight]*G.Node
	order      []*Weight
	losses     []*G.Node
	feeds      []Feed
	updates    []Update
	pendingReg []regTerm
	names      map[string]int
	frozen     map[*Weight]bool

	mask, outMask *G.Node
}

// Feed is an input a layer asks the model to fill before every training
// step, such as a dropout mask drawn from the model's seeded source.
type Feed struct {
	Node  *G.Node
	Value *tensor.Dense
	Fill  func(rng *rand.Rand, t *tensor.Dense)
}

// Update is a new value for a weight that the model copies into the
// weight after every training step, such as BatchNormalization's moving
// mean.
type Update struct {
	Weight *Weight
	Value  *G.Node
}

// NewContext returns a context for building one graph of a model.
func NewContext(g *G.ExprGraph, training bool, batch int, dt tensor.Dtype) *Context {
	return &Context{Graph: g, Training: training, Batch: batch, Dtype: dt, params: map[*Weight]*G.Node{}, names: map[string]int{}}
}

// Param returns the graph node of w, creating it on first use. The node
// shares w.Value, so every graph of the model sees the same numbers, and
// a shared layer called twice uses one node. Node names are made unique
// here (Gorgonia merges nodes of equal name and op), so two layers that
// happen to share a name never share a node.
func (c *Context) Param(layer string, w *Weight) *G.Node {
	if n, ok := c.params[w]; ok {
		return n
	}
	n := G.NewTensor(c.Graph, c.Dtype, len(w.Shape), G.WithShape(w.Shape...), G.WithName(c.UniqueName(layer+"/"+w.Name)), G.WithValue(w.Value))
	c.params[w] = n
	c.order = append(c.order, w)
	if w.Regularizer != nil {
		c.pendingReg = append(c.pendingReg, regTerm{layer, w, n})
	}
	return n
}

// UniqueName returns base, or base with a counter when base was given
// out before in this graph: a name for a node of the layer's own.
func (c *Context) UniqueName(base string) string {
	n := c.names[base]
	c.names[base]++
	if n == 0 {
		return base
	}
	return fmt.Sprintf("%s#%d", base, n)
}

type regTerm struct {
	layer string
	w     *Weight
	n     *G.Node
}

// Freeze marks weights the optimizer does not train in this graph
// (frozen layers'): their regularization penalties are left out of
// Losses, as Keras counts only trainable weights'.
func (c *Context) Freeze(ws ...*Weight) {
	if c.frozen == nil {
		c.frozen = map[*Weight]bool{}
	}
	for _, w := range ws {
		c.frozen[w] = true
	}
}

// AddLoss adds a scalar node to the model's loss (regularisation terms).
func (c *Context) AddLoss(n *G.Node) { c.losses = append(c.losses, n) }

// AddFeed declares an input that the model fills before every step with
// fill, drawing from the model's random source.
func (c *Context) AddFeed(name string, shape []int, fill func(rng *rand.Rand, t *tensor.Dense)) *G.Node {
	t := tensor.New(tensor.Of(c.Dtype), tensor.WithShape(shape...))
	n := G.NewTensor(c.Graph, c.Dtype, len(shape), G.WithShape(shape...), G.WithName(c.UniqueName(name)), G.WithValue(t))
	c.feeds = append(c.feeds, Feed{Node: n, Value: t, Fill: fill})
	return n
}

// AddUpdate asks the model to copy value's result into w after every
// training step (w is usually NonTrainable). Only training graphs apply
// updates; in other graphs AddUpdate does nothing.
func (c *Context) AddUpdate(w *Weight, value *G.Node) {
	if c.Training {
		c.updates = append(c.updates, Update{Weight: w, Value: value})
	}
}

// Mask returns the mask of the input being processed: a (batch, steps)
// node of the model's dtype, 1 for a step that counts and 0 for padding,
// or nil when the input has no mask.
func (c *Context) Mask() *G.Node { return c.mask }

// SetMask sets the mask of the layer's output (nil: none). Without a call
// the output's mask is the input's for a MaskPasser and none otherwise.
func (c *Context) SetMask(m *G.Node) { c.outMask = m }

// BeginCall prepares ctx for a call of l on an input with the given mask;
// the model calls it before each layer call and reads OutputMask after.
func (c *Context) BeginCall(l Layer, mask *G.Node) {
	c.mask, c.outMask = mask, nil
	if p, ok := l.(MaskPasser); ok && p.PassesMask() {
		c.outMask = mask
	}
}

// OutputMask is the mask of the last call's output.
func (c *Context) OutputMask() *G.Node { return c.outMask }

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
		if c.frozen[r.w] || r.w.NonTrainable {
			continue // Keras regularises trainable weights only
		}
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

// Updates returns the weight updates of the training graph.
func (c *Context) Updates() []Update { return c.updates }
