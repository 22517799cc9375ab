package callbacks

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/gokeras/keras/internal/atomicfile"
	"gorgonia.org/tensor"
)

// fakeModel stands in for keras.Model: its weights are set per epoch by
// the test, so each epoch's weights are distinct.
type fakeModel struct {
	weights  []*tensor.Dense
	stopped  bool
	lr       float64
	restored [][]*tensor.Dense
}

func weightsFor(epoch int) []*tensor.Dense {
	// Values that are not round in binary, so a bit-for-bit check means
	// something.
	k := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float32{
		float32(epoch) + 0.1, float32(epoch) + 0.2, float32(epoch) + 0.3, float32(epoch) + 0.7,
	}))
	b := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float32{float32(epoch) / 3, -float32(epoch) / 7}))
	return []*tensor.Dense{k, b}
}

func (m *fakeModel) GetWeights() []*tensor.Dense {
	out := make([]*tensor.Dense, len(m.weights))
	for i, w := range m.weights {
		out[i] = w.Clone().(*tensor.Dense)
	}
	return out
}

func (m *fakeModel) SetWeights(w []*tensor.Dense) error {
	if len(w) != len(m.weights) && m.weights != nil {
		return errors.New("wrong number of weights")
	}
	m.weights = w
	m.restored = append(m.restored, w)
	return nil
}

func (m *fakeModel) StopTraining()         { m.stopped = true }
func (m *fakeModel) LearningRate() float64 { return m.lr }
func (m *fakeModel) SetLearningRate(lr float64) error {
	if lr < 0 {
		return errors.New("negative learning rate")
	}
	m.lr = lr
	return nil
}

// weightsText is the weights as text, bit for bit.
func weightsText(ws []*tensor.Dense) string {
	var b strings.Builder
	for _, w := range ws {
		for _, v := range w.Data().([]float32) {
			fmt.Fprintf(&b, "%08x ", math.Float32bits(v))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// savingModel adds SaveWeights, which writes the weights as text
// atomically; with fail set it writes half the file at the path it is given and fails.
type savingModel struct {
	fakeModel
	saves    []string
	fail     bool
	failedAt string
}

func (m *savingModel) SaveWeights(path string) error {
	data := []byte(weightsText(m.weights))
	if m.fail {
		m.failedAt = path
		os.WriteFile(path, data[:len(data)/2], 0o644)
		return errors.New("disk full")
	}
	m.saves = append(m.saves, path)
	return atomicfile.WriteFile(path, data)
}
