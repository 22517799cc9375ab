package bench

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Net is the hand-written Gorgonia program of a Spec: the idiom of
// ../shared/GORGONIA.md (float32, one fixed-batch graph, gradients with
// respect to the parameters only, compiled with CompileFunction and run
// with WithPrecompiled on a TapeMachine, inputs bound to tensors the
// program owns, plain SGD on the parameter slices). It is what a careful
// Gorgonia user writes by hand, the yardstick of the framework's overhead.
type Net struct {
	spec        Spec
	batch       int
	x, y        *tensor.Dense
	params      []*G.Node
	grads       []*G.Node
	loss, out   *G.Node
	vm          G.VM
	w, g        [][]float32
	train       bool
	order, idxs []int
	rng         *rand.Rand
}

// NewNet builds the training graph of s for batch-size batch (train) or
// its forward graph (predict), starting from the weights init (kernel,
// bias per layer; shared, not copied, so a predict Net can run the
// weights a training Net learns).
func NewNet(s Spec, batch int, init []*tensor.Dense, train bool) (*Net, error) {
	g := G.NewGraph()
	n := &Net{spec: s, batch: batch, train: train, rng: rand.New(rand.NewPCG(1, 2))}
	n.x = tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(batch, s.Sizes[0]))
	x := G.NewMatrix(g, tensor.Float32, G.WithShape(batch, s.Sizes[0]), G.WithName("x"), G.WithValue(n.x))
	h := x
	var penalty *G.Node
	for i := 1; i < len(s.Sizes); i++ {
		k, b := init[2*(i-1)], init[2*(i-1)+1]
		wn := G.NewMatrix(g, tensor.Float32, G.WithShape(k.Shape()...), G.WithName(fmt.Sprintf("w%d", i)), G.WithValue(k))
		bn := G.NewVector(g, tensor.Float32, G.WithShape(b.Shape()...), G.WithName(fmt.Sprintf("b%d", i)), G.WithValue(b))
		n.params = append(n.params, wn, bn)
		n.w = append(n.w, k.Data().([]float32), b.Data().([]float32))
		h = G.Must(G.BroadcastAdd(G.Must(G.Mul(h, wn)), bn, nil, []byte{0}))
		if i < len(s.Sizes)-1 {
			if s.Hidden == "tanh" {
				h = G.Must(G.Tanh(h))
			} else {
				h = G.Must(G.Rectify(h))
			}
		}
		if s.L2 > 0 {
			p := G.Must(G.Mul(G.Must(G.Sum(G.Must(G.Square(wn)))), G.NewConstant(float32(s.L2))))
			if penalty == nil {
				penalty = p
			} else {
				penalty = G.Must(G.Add(penalty, p))
			}
		}
	}
	var logp *G.Node
	if s.Classify && s.KerasCE && train {
		// Keras's categorical_crossentropy on probabilities, op for op as
		// package losses builds it: softmax, divide by the row sum, clip
		// to [1e-7, 1-1e-7], log.
		m := G.Must(G.Max(h, 1))
		e := G.Must(G.Exp(G.Must(G.BroadcastSub(h, m, nil, []byte{1}))))
		p := G.Must(G.BroadcastHadamardDiv(e, G.Must(G.Sum(e, 1)), nil, []byte{1}))
		p = G.Must(G.BroadcastHadamardDiv(p, G.Must(G.Sum(p, 1)), nil, []byte{1}))
		lo := G.NewConstant(fill(batch, h.Shape()[1], 1e-7), G.WithName("lo"))
		hi := G.NewConstant(fill(batch, h.Shape()[1], 1-1e-7), G.WithName("hi"))
		logp = G.Must(G.Log(G.Must(G.MinBetween(G.Must(G.MaxBetween(p, lo)), hi))))
	} else if s.Classify {
		// Stable log-softmax from primitives (GORGONIA.md: SoftMax and
		// LogSoftMax are not safe to use).
		m := G.Must(G.Max(h, 1))
		sh := G.Must(G.BroadcastSub(h, m, nil, []byte{1}))
		e := G.Must(G.Exp(sh))
		z := G.Must(G.Sum(e, 1))
		if !train {
			n.out = G.Must(G.BroadcastHadamardDiv(e, z, nil, []byte{1}))
		}
		logp = G.Must(G.BroadcastSub(sh, G.Must(G.Log(z)), nil, []byte{1}))
	} else {
		n.out = h
	}
	outputs := G.Nodes{}
	if train {
		n.y = tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(batch, s.Sizes[len(s.Sizes)-1]))
		y := G.NewMatrix(g, tensor.Float32, G.WithShape(n.y.Shape()...), G.WithName("y"), G.WithValue(n.y))
		if s.Classify {
			n.loss = G.Must(G.Div(G.Must(G.Neg(G.Must(G.Sum(G.Must(G.HadamardProd(y, logp)))))), G.NewConstant(float32(batch))))
		} else {
			n.loss = G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(h, y))))))
		}
		if penalty != nil {
			n.loss = G.Must(G.Add(n.loss, penalty))
		}
		var err error
		if n.grads, err = G.Grad(n.loss, n.params...); err != nil {
			return nil, err
		}
		outputs = append(append(outputs, n.loss), n.grads...)
		n.g = make([][]float32, len(n.grads))
	} else {
		outputs = append(outputs, n.out)
	}
	prog, locs, err := G.CompileFunction(g, G.Nodes{x}, outputs)
	if err != nil {
		return nil, err
	}
	n.vm = G.NewTapeMachine(g, G.WithPrecompiled(prog, locs))
	return n, nil
}

// Step runs one training step on the rows idx of d and returns the loss.
func (n *Net) Step(d Data, idx []int) (float32, error) {
	gather(n.x.Data().([]float32), d.X, d.In, idx)
	gather(n.y.Data().([]float32), d.Y, d.Out, idx)
	if err := n.vm.RunAll(); err != nil {
		return 0, err
	}
	loss := n.loss.Value().Data().(float32)
	lr := float32(n.spec.LR)
	for i, gr := range n.grads {
		gv := gr.Value().Data().([]float32)
		w := n.w[i]
		for j := range w {
			w[j] -= lr * gv[j]
		}
	}
	n.vm.Reset()
	return loss, nil
}

// Epoch runs one shuffled pass over d (n.batch divides d.N) and returns
// the mean loss.
func (n *Net) Epoch(d Data) (float32, error) {
	if len(n.order) != d.N {
		n.order = make([]int, d.N)
		for i := range n.order {
			n.order[i] = i
		}
	}
	n.rng.Shuffle(d.N, func(i, j int) { n.order[i], n.order[j] = n.order[j], n.order[i] })
	var sum float32
	steps := d.N / n.batch
	for b := 0; b < steps; b++ {
		l, err := n.Step(d, n.order[b*n.batch:(b+1)*n.batch])
		if err != nil {
			return 0, err
		}
		sum += l
	}
	return sum / float32(steps), nil
}

// Predict runs the forward graph over the rows of x (a multiple of the
// batch size) and writes the outputs into out.
func (n *Net) Predict(d Data, out []float32) error {
	if cap(n.idxs) < n.batch {
		n.idxs = make([]int, n.batch)
	}
	o := n.spec.Sizes[len(n.spec.Sizes)-1]
	for from := 0; from+n.batch <= d.N; from += n.batch {
		for k := range n.idxs {
			n.idxs[k] = from + k
		}
		gather(n.x.Data().([]float32), d.X, d.In, n.idxs)
		if err := n.vm.RunAll(); err != nil {
			return err
		}
		copy(out[from*o:(from+n.batch)*o], n.out.Value().Data().([]float32))
		n.vm.Reset()
	}
	return nil
}

func gather(dst, src []float32, row int, idx []int) {
	for k, i := range idx {
		copy(dst[k*row:(k+1)*row], src[i*row:(i+1)*row])
	}
}

// Clone copies weights, so that two peers can start from the same point.
func Clone(ws []*tensor.Dense) []*tensor.Dense {
	out := make([]*tensor.Dense, len(ws))
	for i, w := range ws {
		out[i] = w.Clone().(*tensor.Dense)
	}
	return out
}

// Weights returns the network's weight tensors (shared, not copied).
func (n *Net) Weights() []*tensor.Dense {
	out := make([]*tensor.Dense, len(n.params))
	for i, p := range n.params {
		out[i] = p.Value().(*tensor.Dense)
	}
	return out
}

func fill(r, c int, v float32) *tensor.Dense {
	d := make([]float32, r*c)
	for i := range d {
		d[i] = v
	}
	return tensor.New(tensor.WithShape(r, c), tensor.WithBacking(d))
}
