package keras

import (
	"fmt"

	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// mode is what a compiled graph is for.
type mode int

const (
	modeTrain   mode = iota // forward with dropout, loss, gradients
	modeEval                // forward, loss
	modePredict             // forward only
)

// progKey names a compiled graph: Gorgonia bakes the batch size into a
// graph, so each batch size gets its own, sharing the weight tensors.
type progKey struct {
	mode     mode
	batch    int
	weighted bool // the loss weights each sample by the input w
}

// program is one compiled graph with its bound input tensors. Steps copy
// a batch into x (and y), run the machine and read the nodes.
type program struct {
	key     progKey
	gen     int // the model's generation of graphs it belongs to
	batch   int
	x, y    *tensor.Dense
	xNode   *G.Node       // the input node bound to x
	w       *tensor.Dense // sample weights (batch,) of a weighted graph, else nil
	labels  *tensor.Dense // class indices of a sparse loss, for metrics
	out     *G.Node
	loss    *G.Node
	grads   []*G.Node
	feeds   []layers.Feed
	updates []layers.Update
	trained []*tensor.Dense // the values of the weights grads are for
	exec    *executor

	gradVals []*tensor.Dense
}

// acquire returns a compiled graph for md and batch (weighting samples
// when weighted) that no other goroutine is running, building one when
// none is free. Each graph has its own inputs and scratch and shares the
// weights, so goroutines predicting at once each run their own. Give it
// back with release.
func (m *Model) acquire(md mode, batch int, weighted bool) (*program, error) {
	key := progKey{md, batch, weighted && md != modePredict}
	m.mu.Lock()
	defer m.mu.Unlock()
	if free := m.progs[key]; len(free) > 0 {
		p := free[len(free)-1]
		m.progs[key] = free[:len(free)-1]
		return p, nil
	}
	// Gorgonia's graph building is not safe for concurrent use: build
	// under the lock.
	p, err := m.buildProgram(md, batch, key.weighted)
	if err != nil {
		return nil, err
	}
	p.key, p.gen = key, m.gen
	return p, nil
}

// release makes p free for the next acquire, unless the model's graphs
// were dropped since p was built.
func (m *Model) release(p *program) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if p.gen != m.gen {
		return
	}
	if m.progs == nil {
		m.progs = map[progKey][]*program{}
	}
	m.progs[p.key] = append(m.progs[p.key], p)
}

// dropPrograms forgets every compiled graph after a change of weights'
// tensors, architecture or settings.
func (m *Model) dropPrograms() {
	m.mu.Lock()
	m.progs = nil
	m.gen++
	m.mu.Unlock()
}

// buildProgram builds and compiles the graph of md for batch. A weighted
// graph takes the loss of each sample (losses.PerSampleLoss) and reduces
// it as Keras's sum_over_batch_size, sum(w × loss) / batch, w an input
// fed each step; an unweighted one takes the loss's Compute, unchanged.
func (m *Model) buildProgram(md mode, batch int, weighted bool) (*program, error) {
	g := G.NewGraph()
	p := &program{batch: batch}
	var xNode *G.Node
	p.x, xNode = m.input(g, "x", append([]int{batch}, m.inShape...))
	p.xNode = xNode
	ctx := layers.NewContext(g, md == modeTrain, batch, m.dtype)
	trainable := m.trainable()
	for i, w := range m.weights {
		if !trainable[i] {
			ctx.Freeze(w)
		}
	}
	outs, _, err := m.call(ctx, []*G.Node{xNode}, []*G.Node{nil})
	if err != nil {
		return nil, err
	}
	p.out = outs[0]
	if md == modePredict {
		return p, p.compile(g, G.Nodes{p.out})
	}
	var yNode *G.Node
	p.y, yNode = m.input(g, "y", append([]int{batch}, m.outShape()...))
	var loss *G.Node
	if weighted {
		p.w, loss, err = m.weightedLoss(g, yNode, p.out, batch)
	} else {
		loss, err = m.computeLoss(g, yNode, p.out)
	}
	if err != nil {
		return nil, fmt.Errorf("keras: loss %s: %w", m.loss.Name(), err)
	}
	extra, err := ctx.Losses()
	if err != nil {
		return nil, err
	}
	for _, e := range extra {
		if loss, err = G.Add(loss, e); err != nil {
			return nil, fmt.Errorf("keras: adding regularization: %w", err)
		}
	}
	p.loss = loss
	outputs := G.Nodes{p.out, p.loss}
	if md == modeTrain {
		var nodes []*G.Node
		for i, w := range m.weights {
			if trainable[i] {
				nodes = append(nodes, ctx.Param(m.owners[i], w))
				p.trained = append(p.trained, w.Value)
			}
		}
		if len(nodes) > 0 {
			if p.grads, err = G.Grad(loss, nodes...); err != nil {
				return nil, fmt.Errorf("keras: gradients: %w", err)
			}
		}
		p.feeds = ctx.Feeds()
		p.updates = ctx.Updates()
		p.gradVals = make([]*tensor.Dense, len(p.grads))
		outputs = append(outputs, p.grads...)
		for _, u := range p.updates {
			outputs = append(outputs, u.Value)
		}
	}
	return p, p.compile(g, outputs)
}

// computeLoss adds the batch loss of out to g: in one op of
// internal/fused when out is the softmax (or sigmoid) of a Dense layer,
// read by nothing else, and the loss a cross-entropy on probabilities
// (losses.ComputeFused: the same numbers to float32 rounding, the
// gradient straight to the logits), else the loss's own Compute.
func (m *Model) computeLoss(g *G.ExprGraph, yTrue, out *G.Node) (*G.Node, error) {
	if g.To(out.ID()).Len() == 0 {
		loss, ok, err := losses.ComputeFused(m.loss, yTrue, out)
		if err != nil || ok {
			return loss, err
		}
	}
	return m.loss.Compute(yTrue, out)
}

// call adds the model's graph to ctx, on input nodes xs with masks
// (nil: none), and returns the output nodes and their masks. The top
// level program and a model used as a layer of another both build
// through it.
func (m *Model) call(ctx *layers.Context, xs, masks []*G.Node) ([]*G.Node, []*G.Node, error) {
	if len(xs) != len(m.inputs) {
		return nil, nil, fmt.Errorf("keras: %s takes %d inputs, got %d", m.name, len(m.inputs), len(xs))
	}
	vals := make(map[*Tensor]*G.Node, len(m.calls)+len(xs))
	mask := map[*Tensor]*G.Node{}
	for i, in := range m.inputs {
		vals[in], mask[in] = xs[i], masks[i]
	}
	for _, c := range m.calls {
		args := make([]*G.Node, len(c.inputs))
		for i, t := range c.inputs {
			args[i] = vals[t]
		}
		ctx.BeginCall(c.layer, mask[c.inputs[0]])
		var out *G.Node
		var err error
		if ml, ok := c.layer.(layers.MultiInputLayer); ok {
			out, err = ml.CallMulti(ctx, args)
		} else {
			out, err = c.layer.Call(ctx, args[0])
		}
		if err != nil {
			return nil, nil, err
		}
		vals[c.output], mask[c.output] = out, ctx.OutputMask()
	}
	outs := make([]*G.Node, len(m.outputs))
	outMasks := make([]*G.Node, len(m.outputs))
	for i, o := range m.outputs {
		outs[i], outMasks[i] = vals[o], mask[o]
	}
	return outs, outMasks, nil
}

// applyUpdates copies the training graph's new values of non-trained
// state (moving statistics) into their weights after a step.
func (p *program) applyUpdates() {
	for _, u := range p.updates {
		src := p.exec.value(u.Value).(*tensor.Dense)
		switch d := u.Weight.Value.Data().(type) {
		case []float32:
			copy(d, src.Data().([]float32))
		case []float64:
			copy(d, src.Data().([]float64))
		}
	}
}

// compile prepares to run only the part of g that outputs need: G.Grad
// also builds the gradients of the inputs (x·kernelᵀ, the largest product
// of a Dense layer's backward pass), which no step needs.
func (p *program) compile(g *G.ExprGraph, outputs G.Nodes) (err error) {
	p.exec, err = newExecutor(g, outputs)
	return err
}

// input adds an input node bound to a tensor the model owns.
func (m *Model) input(g *G.ExprGraph, name string, shape []int) (*tensor.Dense, *G.Node) {
	t := tensor.New(tensor.Of(m.dtype), tensor.WithShape(shape...))
	n := G.NewTensor(g, m.dtype, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(t))
	return t, n
}

// run executes the graph once. The caller reads the nodes it needs
// before the next run.
func (p *program) run() error { return p.exec.run() }

// lossValue reads the scalar loss of the last run.
func (p *program) lossValue() float64 { return scalar(p.exec.value(p.loss)) }

// outValue returns the output tensor of the last run (owned by the
// program: copy what is kept).
func (p *program) outValue() *tensor.Dense { return p.exec.value(p.out).(*tensor.Dense) }

// gradients returns the gradient tensors of the last run, in the model's
// weight order.
func (p *program) gradients() []*tensor.Dense {
	for i, g := range p.grads {
		p.gradVals[i] = p.exec.value(g).(*tensor.Dense)
	}
	return p.gradVals
}

func scalar(v G.Value) float64 {
	switch x := v.Data().(type) {
	case float32:
		return float64(x)
	case float64:
		return x
	case []float32:
		return float64(x[0])
	case []float64:
		return x[0]
	}
	return 0
}
