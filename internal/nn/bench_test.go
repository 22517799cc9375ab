package nn

import (
	"math/rand/v2"
	"testing"

	fastgemm "github.com/gokeras/keras/internal/gemm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The models of package keras run on internal/gemm's matrix product; so
// do the tests and benchmarks here.
func init() { G.Use(fastgemm.Implementation{}) }

// The benchmarks use the shapes of Keras's "Simple MNIST convnet" at batch
// 128, float32: 28x28x1 -conv 3x3x32-> 26x26x32 -pool 2-> 13x13x32
// -conv 3x3x64-> 11x11x64 -pool 2-> 5x5x64. Each runs one op the way the
// executor does after its first run: into last run's output.

func rand32(shape ...int) *tensor.Dense {
	r := rand.New(rand.NewPCG(1, uint64(len(shape))))
	v := make([]float32, tensor.Shape(shape).TotalSize())
	for i := range v {
		v[i] = r.Float32()*2 - 1
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
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

var (
	mnistConv1 = Window{KH: 3, KW: 3, StrideH: 1, StrideW: 1, DilH: 1, DilW: 1}
	mnistConv2 = mnistConv1
	mnistPool  = Window{KH: 2, KW: 2, StrideH: 2, StrideW: 2, DilH: 1, DilW: 1}
)

func BenchmarkConv1Forward(b *testing.B) {
	benchOp(b, convOp{w: mnistConv1}, rand32(128, 28, 28, 1), rand32(3, 3, 1, 32))
}

func BenchmarkConv1KernelGrad(b *testing.B) {
	benchOp(b, convKernelGradOp{w: mnistConv1}, rand32(128, 28, 28, 1), rand32(128, 26, 26, 32))
}

func BenchmarkPool1Forward(b *testing.B) {
	benchOp(b, poolOp{w: mnistPool, max: true}, rand32(128, 26, 26, 32))
}

func BenchmarkPool1Grad(b *testing.B) {
	x := rand32(128, 26, 26, 32)
	y, err := poolOp{w: mnistPool, max: true}.Do(x)
	if err != nil {
		b.Fatal(err)
	}
	benchOp(b, maxPoolGradOp{w: mnistPool}, x, y, rand32(128, 13, 13, 32))
}

func BenchmarkConv2Forward(b *testing.B) {
	benchOp(b, convOp{w: mnistConv2}, rand32(128, 13, 13, 32), rand32(3, 3, 32, 64))
}

func BenchmarkConv2InputGrad(b *testing.B) {
	benchOp(b, convInputGradOp{w: mnistConv2, h: 13, wd: 13}, rand32(3, 3, 32, 64), rand32(128, 11, 11, 64))
}

func BenchmarkConv2KernelGrad(b *testing.B) {
	benchOp(b, convKernelGradOp{w: mnistConv2}, rand32(128, 13, 13, 32), rand32(128, 11, 11, 64))
}

func BenchmarkPool2Forward(b *testing.B) {
	benchOp(b, poolOp{w: mnistPool, max: true}, rand32(128, 11, 11, 64))
}

func BenchmarkPool2Grad(b *testing.B) {
	x := rand32(128, 11, 11, 64)
	y, err := poolOp{w: mnistPool, max: true}.Do(x)
	if err != nil {
		b.Fatal(err)
	}
	benchOp(b, maxPoolGradOp{w: mnistPool}, x, y, rand32(128, 5, 5, 64))
}

// BenchmarkReluGrad is the gradient of BiasRelu on the first
// convolution's output, half of it positive.
func BenchmarkReluGrad(b *testing.B) {
	benchOp(b, reluGradOp{rank: 4}, rand32(128, 26, 26, 32), rand32(128, 26, 26, 32))
}

// BenchmarkGorgoniaConv2Forward is Gorgonia's own NCHW Conv2d on the
// second convolution's shapes, for comparison (forward only, through the
// tape machine).
func BenchmarkGorgoniaConv2Forward(b *testing.B) {
	g := G.NewGraph()
	x := G.NewTensor(g, tensor.Float32, 4, G.WithShape(128, 32, 13, 13), G.WithValue(rand32(128, 32, 13, 13)), G.WithName("x"))
	k := G.NewTensor(g, tensor.Float32, 4, G.WithShape(64, 32, 3, 3), G.WithValue(rand32(64, 32, 3, 3)), G.WithName("k"))
	if _, err := G.Conv2d(x, k, tensor.Shape{3, 3}, []int{0, 0}, []int{1, 1}, []int{1, 1}); err != nil {
		b.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := vm.RunAll(); err != nil {
			b.Fatal(err)
		}
		vm.Reset()
	}
}
