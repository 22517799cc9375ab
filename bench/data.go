// Package bench holds the workloads of issue 7 (MNIST MLP, 5X+1, moons,
// prediction), run both through package keras and through hand-written
// Gorgonia programs that use the fastest idiom known (../shared/GORGONIA.md),
// so that `go test -bench . ./bench` prints the two side by side. The
// PyTorch and NumPy peers are Python scripts in this directory; the
// command in cmd/benchtable runs everything and prints the comparison
// table (scripts/bench.sh is the one command to use).
package bench

import (
	"fmt"
	"math/rand/v2"

	"github.com/gokeras/keras/datasets"
	"gorgonia.org/tensor"
)

// Data is a dataset laid out as the peers see it: x row after row, y
// one-hot (or the regression target) row after row.
type Data struct {
	X, Y    []float32
	N       int // samples
	In, Out int // features per sample, targets per sample
}

// Tensors returns x (N, In) and y (N, Out) as tensors sharing the data.
func (d Data) Tensors() (x, y *tensor.Dense) {
	return tensor.New(tensor.WithShape(d.N, d.In), tensor.WithBacking(d.X)),
		tensor.New(tensor.WithShape(d.N, d.Out), tensor.WithBacking(d.Y))
}

// Rows returns samples [from, to) sharing memory.
func (d Data) Rows(from, to int) Data {
	return Data{X: d.X[from*d.In : to*d.In], Y: d.Y[from*d.Out : to*d.Out], N: to - from, In: d.In, Out: d.Out}
}

// MNIST returns the real MNIST digits (pixels scaled to [0, 1], one-hot
// labels) when datasets.LoadMNIST finds them, and otherwise synthetic data
// of the same sizes (60,000 and 10,000 samples of 784 features in [0, 1],
// labelled by a fixed random linear rule, so they can be learnt); real
// says which.
func MNIST() (train, test Data, real bool) {
	xTr, yTr, xTe, yTe, err := datasets.LoadMNIST(datasets.Normalize(true))
	if err == nil {
		return fromMNIST(xTr, yTr), fromMNIST(xTe, yTe), true
	}
	return synthetic(60000, 1), synthetic(10000, 2), false
}

func fromMNIST(x, y *tensor.Dense) Data {
	n := x.Shape()[0]
	d := Data{X: x.Data().([]float32), N: n, In: 784, Out: 10, Y: make([]float32, n*10)}
	for i, l := range y.Data().([]float32) {
		d.Y[i*10+int(l)] = 1
	}
	return d
}

func synthetic(n int, seed uint64) Data {
	rule := rand.New(rand.NewPCG(7, 7))
	proj := make([]float32, 784*10)
	for i := range proj {
		proj[i] = float32(rule.NormFloat64())
	}
	r := rand.New(rand.NewPCG(seed, 11))
	d := Data{X: make([]float32, n*784), Y: make([]float32, n*10), N: n, In: 784, Out: 10}
	for i := 0; i < n; i++ {
		row := d.X[i*784 : (i+1)*784]
		for j := range row {
			row[j] = r.Float32()
		}
		best, bestV := 0, float32(-1e30)
		for c := 0; c < 10; c++ {
			var s float32
			for j, v := range row {
				s += v * proj[j*10+c]
			}
			if s > bestV {
				best, bestV = c, s
			}
		}
		d.Y[i*10+best] = 1
	}
	return d
}

// Linear is the 5X+1 tutorial's data (seed 003): y = 5x + 1 at six points.
func Linear() Data {
	return Data{X: []float32{-1, 0, 1, 2, 3, 4}, Y: []float32{-4, 1, 6, 11, 16, 21}, N: 6, In: 1, Out: 1}
}

// Moons is make_moons(300, noise=0.20) (seed 002), labels one-hot.
func Moons() (Data, error) {
	x, y, err := datasets.Moons(300, datasets.Noise(0.2), datasets.Seed(0))
	if err != nil {
		return Data{}, fmt.Errorf("moons: %w", err)
	}
	d := Data{X: x.Data().([]float32), N: 300, In: 2, Out: 2, Y: make([]float32, 600)}
	for i, l := range y.Data().([]float32) {
		d.Y[i*2+int(l)] = 1
	}
	return d, nil
}
