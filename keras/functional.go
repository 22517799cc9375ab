package keras

import (
	"errors"
	"fmt"

	"github.com/gokeras/keras/layers"
)

// NewModel returns the model that computes outputs from inputs, as
// Keras's keras.Model(inputs, outputs): a functional model, the graph of
// the layer calls between them. Every layer keeps the weights it was
// built with; a layer called twice shares them. Errors met while making
// the tensors are returned here, naming the layer, as are an output that
// does not come from the inputs, an input the outputs do not use, and
// more than one input or output (not built yet). Name the model with
// SetName.
func NewModel(inputs, outputs []*Tensor) (m *Model, err error) {
	defer recoverTo(&err, "NewModel")
	m = newModel("functional")
	m.functional = true
	switch {
	case len(inputs) != 1 || len(outputs) != 1:
		return nil, fmt.Errorf("keras: NewModel: models of %d inputs and %d outputs are not supported yet; give one input and one output", len(inputs), len(outputs))
	}
	for i, t := range append(append([]*Tensor(nil), inputs...), outputs...) {
		if t == nil {
			return nil, fmt.Errorf("keras: NewModel: tensor %d is nil", i)
		}
		if t.err != nil {
			return nil, t.err
		}
	}
	for _, in := range inputs {
		if in.call != nil || in.InputLayer == nil {
			return nil, errors.New("keras: NewModel: a model input must come from keras.Input")
		}
	}
	if err := m.setGraph(inputs, outputs); err != nil {
		return nil, err
	}
	return m, nil
}

// setGraph orders the calls between inputs and outputs (each call after
// the calls that make its inputs, in the order they were first reached),
// names unnamed layers and checks names are unique.
func (m *Model) setGraph(inputs, outputs []*Tensor) error {
	isInput := map[*Tensor]bool{}
	for _, in := range inputs {
		isInput[in] = true
	}
	used := map[*Tensor]bool{}
	state := map[*call]int{} // 1: in progress, 2: done
	var order []*call
	var visit func(t *Tensor) error
	visit = func(t *Tensor) error {
		if isInput[t] {
			used[t] = true
			return nil
		}
		c := t.call
		if c == nil {
			return errors.New("keras: NewModel: a tensor does not come from the model's inputs (an Input that was not given to NewModel)")
		}
		switch state[c] {
		case 1:
			return fmt.Errorf("keras: NewModel: the graph has a cycle through %s", layers.LayerName(c.layer))
		case 2:
			return nil
		}
		state[c] = 1
		for _, x := range c.inputs {
			if err := visit(x); err != nil {
				return err
			}
		}
		state[c] = 2
		order = append(order, c)
		return nil
	}
	for _, o := range outputs {
		if err := visit(o); err != nil {
			return err
		}
	}
	for i, in := range inputs {
		if !used[in] {
			return fmt.Errorf("keras: NewModel: input %d (shape %s) is not used to compute the outputs", i, shapeString(in.shape))
		}
	}
	var ls []layers.Layer
	seen := map[layers.Layer]bool{}
	for _, in := range inputs {
		ls = append(ls, in.InputLayer)
		seen[in.InputLayer] = true
	}
	for _, c := range order {
		if !seen[c.layer] {
			seen[c.layer] = true
			ls = append(ls, c.layer)
		}
	}
	if err := m.nameLayers(ls); err != nil {
		return err
	}
	m.inputs, m.outputs, m.calls, m.graphLayers = inputs, outputs, order, ls
	return nil
}

// nameLayers names unnamed layers after their class, counting per model
// ("dense", "dense_1"), and checks that no two layers share a name.
func (m *Model) nameLayers(ls []layers.Layer) error {
	byName := map[string]layers.Layer{}
	for _, l := range ls {
		if l.Name() != "" {
			byName[l.Name()] = l
		}
	}
	for _, l := range ls {
		if l.Name() == "" {
			name := m.uniqueName(layers.SnakeCase(l.ClassName()))
			for byName[name] != nil {
				name = m.uniqueName(layers.SnakeCase(l.ClassName()))
			}
			l.SetName(name)
			byName[name] = l
		}
	}
	names := map[string]bool{}
	for _, l := range ls {
		if names[l.Name()] {
			return fmt.Errorf("keras: %s: layer name %q is used by two layers; names must be unique within a model", m.name, l.Name())
		}
		names[l.Name()] = true
	}
	return nil
}
