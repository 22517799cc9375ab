package keras

import (
	"fmt"
	"slices"

	"gorgonia.org/tensor"
)

// GetWeights returns copies of every weight in Keras's order: each
// layer's kernel (in, units), then its bias (units,), layer by layer. It
// returns nil while the input shape is unknown.
func (m *Model) GetWeights() (ws []*tensor.Dense) {
	defer func() {
		if recover() != nil {
			ws = nil
		}
	}()
	if m.ensureBuilt() != nil {
		return nil
	}
	out := make([]*tensor.Dense, len(m.weights))
	for i, w := range m.weights {
		out[i] = w.Value.Clone().(*tensor.Dense)
	}
	return out
}

// WeightNames returns the weights' names in GetWeights's order, as Keras's
// weight.path ("dense_1/kernel"), or nil while the input shape is
// unknown.
func (m *Model) WeightNames() []string {
	if m.ensureBuilt() != nil {
		return nil
	}
	names := make([]string, len(m.weights))
	for i, w := range m.weights {
		names[i] = m.owners[i] + "/" + w.Name
	}
	return names
}

// SetWeights replaces every weight, in GetWeights's order. It works once
// the input shape is known, before or after Compile. Values of another
// float or int type are cast; a wrong count or shape is an error naming
// the weight.
func (m *Model) SetWeights(ws []*tensor.Dense) (err error) {
	defer recoverTo(&err, "SetWeights")
	if err := m.ensureBuilt(); err != nil {
		return err
	}
	if len(ws) != len(m.weights) {
		return fmt.Errorf("keras: SetWeights: model has %d weights, got %d", len(m.weights), len(ws))
	}
	cast := make([]*array, len(ws))
	for i, w := range m.weights {
		name := m.owners[i] + "/" + w.Name
		if ws[i] == nil {
			return fmt.Errorf("keras: SetWeights: %s is nil", name)
		}
		if got := []int(ws[i].Shape()); !slices.Equal(got, w.Shape) {
			return fmt.Errorf("keras: SetWeights: %s expects shape %s, got %s", name, shapeString(w.Shape), shapeString(got))
		}
		a, err := toArray(flat(ws[i]), m.dtype, name)
		if err != nil {
			return fmt.Errorf("keras: SetWeights: %w", err)
		}
		cast[i] = a
	}
	for i, w := range m.weights {
		switch d := w.Value.Data().(type) {
		case []float32:
			copy(d, cast[i].f32)
		case []float64:
			copy(d, cast[i].f64)
		}
	}
	m.userSet = true
	return nil
}

// flat returns a vector of t's values, in t's logical order, so that
// scalars and vectors pass toArray's batch-dimension check. It works on
// a copy: the tensor package's Reshape of a lazily transposed view
// transposes the backing array in place, and a public call never writes
// into a tensor it was given.
func flat(t *tensor.Dense) *tensor.Dense {
	v := t.Clone().(*tensor.Dense)
	if err := v.Reshape(max(t.Shape().TotalSize(), 1)); err != nil {
		return v
	}
	return v
}

// trainedValues lists the values of the weights the optimizer trains, in
// the model's order: what the training graph's gradients are for.
func (m *Model) trainedValues() []*tensor.Dense {
	var out []*tensor.Dense
	for i, on := range m.trainable() {
		if on {
			out = append(out, m.weights[i].Value)
		}
	}
	return out
}
