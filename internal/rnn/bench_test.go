package rnn

import (
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// benchOps builds the training forward op and its backward op for
// issue 11's workload (batch 64, 50 steps, 8 features) and returns the
// values to run them on.
func benchOps(b *testing.B, s Spec, training bool) (fwd, bwd G.Op, in []G.Value, dy *tensor.Dense) {
	const n, t, f = 64, 50, 8
	r := rand.New(rand.NewPCG(1, 2))
	g := s.gates() * s.Units
	mk := func(size float64, shape ...int) *tensor.Dense {
		k := 1
		for _, d := range shape {
			k *= d
		}
		v := make([]float32, k)
		for i := range v {
			v[i] = float32((r.Float64()*2 - 1) * size)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
	}
	ts := []*tensor.Dense{mk(1, n, t, f), mk(0.3, f, g), mk(0.2, s.Units, g), mk(0.1, s.BiasShape()...)}
	gr := G.NewGraph()
	nodes := nodesFor(gr, ts)
	out, err := Apply(s, training, nodes[0], nodes[1], nodes[2], nodes[3], nil)
	if err != nil {
		b.Fatal(err)
	}
	in = []G.Value{ts[0], ts[1], ts[2], ts[3]}
	fwd = out.Op()
	bwd = &gradOp{fwd: fwd.(*seqOp)}
	dy = mk(1, out.Shape()...)
	return fwd, bwd, in, dy
}

func benchmarkTrainStep(b *testing.B, s Spec) {
	fwd, bwd, in, dy := benchOps(b, s, true)
	pf, pb := fwd.(G.UsePreallocDoer), bwd.(G.UsePreallocDoer)
	var y, grads G.Value
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		if y, err = pf.UsePreallocDo(y, in...); err != nil {
			b.Fatal(err)
		}
		if grads, err = pb.UsePreallocDo(grads, append(in, y, dy)...); err != nil {
			b.Fatal(err)
		}
	}
}

func benchmarkForward(b *testing.B, s Spec) {
	fwd, _, in, _ := benchOps(b, s, false)
	pf := fwd.(G.UsePreallocDoer)
	var y G.Value
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		if y, err = pf.UsePreallocDo(y, in...); err != nil {
			b.Fatal(err)
		}
	}
}

var (
	benchLSTM = Spec{Cell: LSTM, Units: 64, Activation: Tanh, RecurrentActivation: Sigmoid, UseBias: true}
	benchGRU  = Spec{Cell: GRU, Units: 64, Activation: Tanh, RecurrentActivation: Sigmoid, UseBias: true, ResetAfter: true}
)

// BenchmarkLSTMTrainStep is one forward and backward pass of LSTM(64)
// over a batch of 64 sequences of 50 steps of 8 features, float32.
func BenchmarkLSTMTrainStep(b *testing.B) { benchmarkTrainStep(b, benchLSTM) }

// BenchmarkLSTMForward is the inference forward pass alone.
func BenchmarkLSTMForward(b *testing.B) { benchmarkForward(b, benchLSTM) }

// BenchmarkGRUTrainStep is BenchmarkLSTMTrainStep for GRU(64).
func BenchmarkGRUTrainStep(b *testing.B) { benchmarkTrainStep(b, benchGRU) }
