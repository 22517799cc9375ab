package optimizers

import (
	"fmt"

	"gorgonia.org/tensor"
)

// TEMPORARY minimal SGD so the model can be wired; replaced by the full
// implementation (momentum, nesterov, clipping, schedules).
type sgd struct {
	lr   float64
	iter int64
}

// Option configures an optimizer.
type Option func(*sgd)

// LearningRate sets the learning rate.
func LearningRate(lr float64) Option { return func(s *sgd) { s.lr = lr } }

// SGD is Keras's SGD optimizer.
func SGD(opts ...Option) Optimizer {
	s := &sgd{lr: 0.01}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *sgd) Name() string                         { return "sgd" }
func (s *sgd) Build([]*tensor.Dense) error          { return nil }
func (s *sgd) LearningRate() float64                { return s.lr }
func (s *sgd) SetLearningRate(lr float64)           { s.lr = lr }
func (s *sgd) Iterations() int64                    { return s.iter }
func (s *sgd) Variables() []*tensor.Dense           { return nil }
func (s *sgd) SetVariables(v []*tensor.Dense) error { return nil }
func (s *sgd) Config() map[string]any               { return map[string]any{"learning_rate": s.lr} }
func (s *sgd) Apply(params, grads []*tensor.Dense) error {
	for i, p := range params {
		switch w := p.Data().(type) {
		case []float32:
			g := grads[i].Data().([]float32)
			lr := float32(s.lr)
			for j := range w {
				w[j] -= lr * g[j]
			}
		case []float64:
			g := grads[i].Data().([]float64)
			for j := range w {
				w[j] -= s.lr * g[j]
			}
		default:
			return fmt.Errorf("sgd: unsupported dtype %v", p.Dtype())
		}
	}
	s.iter++
	return nil
}
