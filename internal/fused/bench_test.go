package fused

import (
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The benchmarks use the shapes of the MNIST MLP of the README (784-30-10,
// batch 100, float32). Each runs one op the way keras's executor does
// after its first run: into last run's output.

func rand32(seed uint64, shape ...int) *tensor.Dense {
	r := rand.New(rand.NewPCG(seed, uint64(len(shape))))
	v := make([]float32, tensor.Shape(shape).TotalSize())
	for i := range v {
		v[i] = r.Float32()*2 - 1
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
}

// probs32 is a (rows, c) tensor whose rows are positive and sum to 1.
func probs32(rows, c int) *tensor.Dense {
	d := rand32(7, rows, c)
	v := d.Float32s()
	for i := 0; i < len(v); i += c {
		var s float32
		for j := range v[i : i+c] {
			v[i+j] = v[i+j]*v[i+j] + 0.01
			s += v[i+j]
		}
		for j := range v[i : i+c] {
			v[i+j] /= s
		}
	}
	return d
}

func benchOp(b *testing.B, op G.Op, in ...G.Value) {
	out, err := op.Do(in...)
	if err != nil {
		b.Fatal(err)
	}
	pre := op.(G.UsePreallocDoer)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if out, err = pre.UsePreallocDo(out, in...); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDenseReluForward(b *testing.B) {
	benchOp(b, denseOp{act: relu, bias: true}, rand32(1, 100, 784), rand32(2, 784, 30), rand32(3, 30))
}

func BenchmarkDenseTanhForward(b *testing.B) {
	benchOp(b, denseOp{act: tanh, bias: true}, rand32(1, 100, 30), rand32(2, 30, 10), rand32(3, 10))
}

func BenchmarkActGradRelu(b *testing.B) {
	benchOp(b, actGradOp{act: relu}, rand32(1, 100, 30), rand32(2, 100, 30))
}

func BenchmarkMatMulKernelGrad(b *testing.B) {
	benchOp(b, matMulOp{transA: true}, rand32(1, 100, 784), rand32(2, 100, 30))
}

func BenchmarkMatMulInputGrad(b *testing.B) {
	benchOp(b, matMulOp{transB: true}, rand32(1, 100, 30), rand32(2, 784, 30))
}

func BenchmarkColSum(b *testing.B) { benchOp(b, colSumOp{}, rand32(1, 100, 30)) }

func BenchmarkSoftmax(b *testing.B) { benchOp(b, softmaxOp{rank: 2}, rand32(1, 100, 10)) }

func BenchmarkSoftmaxGrad(b *testing.B) {
	benchOp(b, softmaxGradOp{rank: 2}, probs32(100, 10), rand32(2, 100, 10))
}

func BenchmarkSigmoid(b *testing.B) { benchOp(b, sigmoidOp{rank: 2}, rand32(1, 100, 10)) }

func BenchmarkSoftmaxXent(b *testing.B) {
	benchOp(b, xentOp{rank: 2}, probs32(100, 10), probs32(100, 10), rand32(3, 100, 10))
}

func BenchmarkSoftmaxXentGrad(b *testing.B) {
	benchOp(b, xentOp{rank: 2, grad: true}, probs32(100, 10), probs32(100, 10), rand32(3, 100, 10), G.NewF32(1))
}

func BenchmarkPenaltyGrad(b *testing.B) {
	benchOp(b, penaltyOp{rank: 2, l1: 0.01, l2: 0.01, grad: true}, rand32(1, 784, 30), G.NewF32(1))
}
