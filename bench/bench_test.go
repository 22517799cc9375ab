package bench

import (
	"sync"
	"testing"

	"gorgonia.org/tensor"
)

// The benchmarks come in pairs: Keras (package keras) and Gorgonia (the
// hand-written program), same data, network, batch and starting weights.
// An MNIST op is one epoch of 60,000 images (600 steps); divide allocs/op
// by 600 for allocations per step.

var mnistOnce struct {
	sync.Once
	train, test Data
	real        bool
}

func mnist(b *testing.B) (Data, Data) {
	mnistOnce.Do(func() { mnistOnce.train, mnistOnce.test, mnistOnce.real = MNIST() })
	if !mnistOnce.real {
		b.Log("MNIST files not found: timing on synthetic data of the same size")
	}
	return mnistOnce.train, mnistOnce.test
}

func benchKerasEpoch(b *testing.B, s Spec) {
	train, _ := mnist(b)
	m, err := KerasModel(s, 1)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := KerasFit(m, s, train.Rows(0, s.Batch), 1); err != nil { // build the graph outside the timer
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := KerasFit(m, s, train, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func benchGorgoniaEpoch(b *testing.B, s Spec) {
	train, _ := mnist(b)
	m, err := KerasModel(s, 1)
	if err != nil {
		b.Fatal(err)
	}
	n, err := NewNet(s, s.Batch, Weights(m), true)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := n.Epoch(train); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMNISTEpoch30Keras(b *testing.B)            { benchKerasEpoch(b, MNIST30) }
func BenchmarkMNISTEpoch30Gorgonia(b *testing.B)         { benchGorgoniaEpoch(b, MNIST30) }
func BenchmarkMNISTEpoch30GorgoniaSameLoss(b *testing.B) { benchGorgoniaEpoch(b, SameLoss(MNIST30)) }
func BenchmarkMNISTEpoch100Keras(b *testing.B)           { benchKerasEpoch(b, MNIST100) }
func BenchmarkMNISTEpoch100Gorgonia(b *testing.B)        { benchGorgoniaEpoch(b, MNIST100) }

// 5X+1 is the whole program: build, compile, 500 epochs.
func BenchmarkLinear5X1Keras(b *testing.B) {
	d := Linear()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m, err := KerasModel(Linear5X1, 1)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := KerasFit(m, Linear5X1, d, Linear5X1.Epochs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLinear5X1Gorgonia(b *testing.B) {
	d := Linear()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		init := []*tensor.Dense{
			tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float32{0.5})),
			tensor.New(tensor.WithShape(1), tensor.WithBacking([]float32{0})),
		}
		n, err := NewNet(Linear5X1, d.N, init, true)
		if err != nil {
			b.Fatal(err)
		}
		for e := 0; e < Linear5X1.Epochs; e++ {
			if _, err := n.Epoch(d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// Moons: 20,000 full-batch passes per op (build included).
func BenchmarkMoonsKeras(b *testing.B) {
	d, err := Moons()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m, err := KerasModel(MoonsSpec, 1)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := KerasFit(m, MoonsSpec, d, MoonsSpec.Epochs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMoonsGorgonia(b *testing.B)         { benchMoonsGorgonia(b, MoonsSpec) }
func BenchmarkMoonsGorgoniaSameLoss(b *testing.B) { benchMoonsGorgonia(b, SameLoss(MoonsSpec)) }

func benchMoonsGorgonia(b *testing.B, s Spec) {
	d, err := Moons()
	if err != nil {
		b.Fatal(err)
	}
	m, err := KerasModel(MoonsSpec, 1)
	if err != nil {
		b.Fatal(err)
	}
	init := Weights(m)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n, err := NewNet(s, d.N, Clone(init), true)
		if err != nil {
			b.Fatal(err)
		}
		for e := 0; e < s.Epochs; e++ {
			if _, err := n.Epoch(d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// Predict1 is the latency of one sample; Predict10000 the time for
// 10,000 samples in batches of 32 (Keras's default), on the MNIST 784-30-10 MLP.
func benchKerasPredict(b *testing.B, n int) {
	_, test := mnist(b)
	m, err := KerasModel(MNIST30, 1)
	if err != nil {
		b.Fatal(err)
	}
	x, _ := test.Rows(0, n).Tensors()
	if _, err := m.Predict(x); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Predict(x); err != nil {
			b.Fatal(err)
		}
	}
}

func benchGorgoniaPredict(b *testing.B, n, batch int) {
	_, test := mnist(b)
	m, err := KerasModel(MNIST30, 1)
	if err != nil {
		b.Fatal(err)
	}
	full, err := NewNet(MNIST30, batch, Weights(m), false)
	if err != nil {
		b.Fatal(err)
	}
	var tail *Net
	if r := n % batch; r > 0 {
		if tail, err = NewNet(MNIST30, r, Weights(m), false); err != nil {
			b.Fatal(err)
		}
	}
	d := test.Rows(0, n)
	out := make([]float32, n*10)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := full.Predict(d, out); err != nil {
			b.Fatal(err)
		}
		if tail != nil {
			at := n - n%batch
			if err := tail.Predict(d.Rows(at, n), out[at*10:]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkPredict1Keras(b *testing.B) { benchKerasPredict(b, 1) }

// BenchmarkPredictInto1Keras is Predict1 writing into a tensor the caller
// keeps (Model.PredictInto): no allocation after the first call.
func BenchmarkPredictInto1Keras(b *testing.B) {
	_, test := mnist(b)
	m, err := KerasModel(MNIST30, 1)
	if err != nil {
		b.Fatal(err)
	}
	x, _ := test.Rows(0, 1).Tensors()
	dst := tensor.New(tensor.WithShape(1, 10), tensor.WithBacking(make([]float32, 10)))
	if err := m.PredictInto(dst, x); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := m.PredictInto(dst, x); err != nil {
			b.Fatal(err)
		}
	}
}
func BenchmarkPredict1Gorgonia(b *testing.B)     { benchGorgoniaPredict(b, 1, 1) }
func BenchmarkPredict10000Keras(b *testing.B)    { benchKerasPredict(b, 10000) }
func BenchmarkPredict10000Gorgonia(b *testing.B) { benchGorgoniaPredict(b, 10000, 32) }
