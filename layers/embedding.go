package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/rnn"
)

// EmbeddingLayer turns integer ids into rows of a trained table, as
// Keras's Embedding.
type EmbeddingLayer struct {
	Base
	inputDim, outputDim int
	maskZero            bool
	init, reg           any

	embeddings *Weight
}

// Embedding returns Keras's Embedding layer: ids in [0, inputDim), given
// in any numeric dtype as whole numbers, of shape (steps,) per sample (or
// any shape), become vectors of outputDim: output shape input +
// (outputDim). Options (Keras defaults): MaskZero (false: with true, id 0
// is padding and the output carries a mask that later layers honour),
// EmbeddingsInitializer ("uniform", RandomUniform(-0.05, 0.05)),
// EmbeddingsRegularizer, Name, InputShape. An id outside [0, inputDim) or
// not a whole number is an error of the run that meets it, naming the
// layer. Weights: embeddings (inputDim, outputDim). Embedding panics if
// a dimension is not positive.
func Embedding(inputDim, outputDim int, opts ...Option) Layer {
	if inputDim <= 0 || outputDim <= 0 {
		panic(fmt.Sprintf("layers.Embedding: input_dim and output_dim must be positive, got %d and %d", inputDim, outputDim))
	}
	c := newConfig(opts)
	return &EmbeddingLayer{Base: newBase(c), inputDim: inputDim, outputDim: outputDim,
		maskZero: c.rnn.maskZero, init: c.rnn.embeddingsInit, reg: c.rnn.embeddingsReg}
}

// ClassName returns "Embedding".
func (e *EmbeddingLayer) ClassName() string { return "Embedding" }

// Build creates the table (inputDim, outputDim).
func (e *EmbeddingLayer) Build(in []int) ([]int, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("%s: expected ids of shape (steps,) per sample, got a scalar", LayerName(e))
	}
	init := e.init
	if init == "uniform" {
		// Keras's alias of RandomUniform with its defaults.
		init = RandomUniform(-0.05, 0.05)
	}
	var err error
	if e.embeddings, err = newWeight(LayerName(e), "embeddings", []int{e.inputDim, e.outputDim}, init, e.reg); err != nil {
		return nil, err
	}
	return append(slices.Clone(in), e.outputDim), nil
}

// Weights returns the embeddings table.
func (e *EmbeddingLayer) Weights() []*Weight {
	if e.embeddings == nil {
		return nil
	}
	return []*Weight{e.embeddings}
}

// Call looks the ids up; with MaskZero it sets the mask ids != 0.
func (e *EmbeddingLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	y, err := rnn.Gather(e.name, x, ctx.Param(e.name, e.embeddings))
	if err != nil {
		return nil, err
	}
	if e.maskZero {
		m, err := rnn.IDMask(x)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.name, err)
		}
		ctx.SetMask(m)
	} else {
		ctx.SetMask(nil)
	}
	return y, nil
}

// Config returns Keras's Embedding config.
func (e *EmbeddingLayer) Config() map[string]any {
	m := e.baseConfig()
	m["input_dim"] = e.inputDim
	m["output_dim"] = e.outputDim
	m["embeddings_initializer"] = describe(e.init)
	m["embeddings_regularizer"] = describe(e.reg)
	m["activity_regularizer"] = nil
	m["embeddings_constraint"] = nil
	m["mask_zero"] = e.maskZero
	return m
}

func embeddingFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	var d [2]int
	for i, key := range []string{"input_dim", "output_dim"} {
		if d[i], err = intValue(key, cfg[key]); err != nil {
			return nil, err
		}
		if d[i] <= 0 || d[i] > maxDim {
			return nil, fmt.Errorf("config %s: must be in 1..%d, got %d", key, maxDim, d[i])
		}
	}
	if d[0]*d[1] > maxDim {
		return nil, fmt.Errorf("config: an embedding of %d×%d holds more than %d values", d[0], d[1], maxDim)
	}
	mz, err := boolValue(cfg, "mask_zero", false)
	if err != nil {
		return nil, err
	}
	opts = append(opts, MaskZero(mz))
	if v := cfg["embeddings_initializer"]; v == "uniform" {
		opts = append(opts, EmbeddingsInitializer("uniform"))
	} else if v != nil {
		init, err := InitializerFromConfig(v)
		if err != nil {
			return nil, fmt.Errorf("config embeddings_initializer: %w", err)
		}
		if s, ok := v.(string); ok {
			opts = append(opts, EmbeddingsInitializer(s))
		} else {
			opts = append(opts, EmbeddingsInitializer(init))
		}
	}
	reg, err := RegularizerFromConfig(cfg["embeddings_regularizer"])
	if err != nil {
		return nil, fmt.Errorf("config embeddings_regularizer: %w", err)
	}
	if reg != nil {
		opts = append(opts, EmbeddingsRegularizer(reg))
	}
	return Embedding(d[0], d[1], opts...), nil
}
