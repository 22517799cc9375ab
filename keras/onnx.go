package keras

import (
	"encoding/binary"
	"fmt"
	"github.com/gokeras/keras/activations"
	"math"
	"slices"
	"strings"

	"github.com/advancedclimatesystems/gonnx/onnx"
	"github.com/gokeras/keras/layers"
	"google.golang.org/protobuf/proto"
)

// ONNX versions of the exported file: operator set 13 (the set ONNX
// runtimes support most widely, and the one gonnx runs) with its IR
// version, 7.
const (
	onnxOpset     = 13
	onnxIRVersion = 7
)

// onnxActivations lists the activations ExportONNX writes.
var onnxActivations = []string{"linear", "relu", "relu6", "sigmoid", "tanh", "softmax", "log_softmax",
	"softplus", "softsign", "elu", "selu", "leaky_relu", "exponential", "hard_sigmoid",
	"swish", "silu", "hard_silu", "hard_swish", "gelu", "mish"}

// ExportONNX writes the model's inference graph to path as a standard
// ONNX model (opset 13, IR version 7) that ONNX Runtime and other
// runtimes load: one float32 input named "input" of shape (N, features...)
// with a dynamic batch dimension "N", one output named "output", and the
// weights as float32 initializers. Dense becomes Gemm (MatMul without a
// bias), activations their ONNX operators (swish as x*Sigmoid(x), gelu
// through Erf), Flatten and Reshape theirs; Dropout and InputLayer are
// left out, as at inference. A layer or activation with no ONNX form is
// an error naming it. The file is written atomically, as Save does.
func (m *Model) ExportONNX(path string) (err error) {
	defer recoverTo(&err, "ExportONNX")
	mp, err := m.onnxModel()
	if err != nil {
		return err
	}
	data, err := proto.MarshalOptions{Deterministic: true}.Marshal(mp)
	if err != nil {
		return fmt.Errorf("keras: ExportONNX: %w", err)
	}
	return writeFile(path, data)
}

// onnxGraph accumulates the nodes and initializers of the graph.
type onnxGraph struct {
	nodes []*onnx.NodeProto
	inits []*onnx.TensorProto
	names map[string]int
}

// fresh returns a value name not used before, based on base.
func (g *onnxGraph) fresh(base string) string {
	n := g.names[base]
	g.names[base]++
	if n == 0 {
		return base
	}
	return fmt.Sprintf("%s_%d", base, n)
}

// node adds an operator and returns its output's name.
func (g *onnxGraph) node(op, out string, inputs []string, attrs ...*onnx.AttributeProto) string {
	out = g.fresh(out)
	g.nodes = append(g.nodes, &onnx.NodeProto{
		Name: out, OpType: op, Input: inputs, Output: []string{out}, Attribute: attrs,
	})
	return out
}

// floats adds a float32 initializer.
func (g *onnxGraph) floats(name string, dims []int, v []float32) string {
	name = g.fresh(name)
	raw := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(x))
	}
	d := make([]int64, len(dims))
	for i, x := range dims {
		d[i] = int64(x)
	}
	g.inits = append(g.inits, &onnx.TensorProto{Name: name, Dims: d, DataType: int32(onnx.TensorProto_FLOAT), RawData: raw})
	return name
}

// scalar adds a float32 constant of one element (shape (1,), which
// broadcasts against any tensor; Clip's bounds need shape ()).
func (g *onnxGraph) scalar(name string, v float64, rank0 bool) string {
	if rank0 {
		return g.floats(name, nil, []float32{float32(v)})
	}
	return g.floats(name, []int{1}, []float32{float32(v)})
}

// int64s adds an int64 initializer of shape (len(v),).
func (g *onnxGraph) int64s(name string, v []int64) string {
	name = g.fresh(name)
	g.inits = append(g.inits, &onnx.TensorProto{Name: name, Dims: []int64{int64(len(v))}, DataType: int32(onnx.TensorProto_INT64), Int64Data: v})
	return name
}

func attrF(name string, v float64) *onnx.AttributeProto {
	return &onnx.AttributeProto{Name: name, Type: onnx.AttributeProto_FLOAT, F: float32(v)}
}

func attrI(name string, v int64) *onnx.AttributeProto {
	return &onnx.AttributeProto{Name: name, Type: onnx.AttributeProto_INT, I: v}
}

// onnxModel builds the ONNX model of the inference graph.
func (m *Model) onnxModel() (*onnx.ModelProto, error) {
	if err := m.ensureBuilt(); err != nil {
		return nil, err
	}
	g := &onnxGraph{names: map[string]int{}}
	g.fresh("input")
	g.fresh("output")
	names := map[*Tensor]string{m.inputs[0]: "input"}
	for _, c := range m.calls {
		l := c.layer
		if len(c.inputs) != 1 {
			return nil, fmt.Errorf("keras: ExportONNX: layer %s (%s) takes %d inputs; only chains of one-input layers export here", l.Name(), l.ClassName(), len(c.inputs))
		}
		x := names[c.inputs[0]]
		rank := 1 + len(c.inputs[0].shape)
		var err error
		switch l.ClassName() {
		case "InputLayer", "Dropout":
			// Identity at inference.
		case "Dense":
			if rank > 2 {
				return nil, fmt.Errorf("keras: ExportONNX: %s is applied to inputs of rank %d; only flat inputs export here", l.Name(), rank-1)
			}
			if x, err = m.onnxDense(g, l, x); err != nil {
				return nil, err
			}
		case "Activation":
			if x, err = onnxActivation(g, l.Name(), activationOf(l), x); err != nil {
				return nil, err
			}
		case "Flatten":
			if rank > 2 {
				x = g.node("Flatten", l.Name(), []string{x}, attrI("axis", 1))
			}
		case "Reshape":
			shape := []int64{-1}
			for _, d := range c.output.shape {
				shape = append(shape, int64(d))
			}
			x = g.node("Reshape", l.Name(), []string{x, g.int64s(l.Name()+"/shape", shape)})
		default:
			return nil, fmt.Errorf("keras: ExportONNX: layer %s (%s) has no ONNX form here (supported: Dense, Activation, Dropout, Flatten, Reshape, InputLayer)", l.Name(), l.ClassName())
		}
		names[c.output] = x
	}
	x := names[m.outputs[0]]
	// The output gets a fixed name; an identity model still needs a node.
	out := "output"
	if len(g.nodes) == 0 || g.nodes[len(g.nodes)-1].Output[0] != x {
		g.nodes = append(g.nodes, &onnx.NodeProto{Name: out, OpType: "Identity", Input: []string{x}, Output: []string{out}})
	} else {
		g.nodes[len(g.nodes)-1].Output[0] = out
	}
	return &onnx.ModelProto{
		IrVersion:       onnxIRVersion,
		OpsetImport:     []*onnx.OperatorSetIdProto{{Domain: "", Version: onnxOpset}},
		ProducerName:    "gokeras",
		ProducerVersion: fmt.Sprint(formatVersion),
		Graph: &onnx.GraphProto{
			Name:        m.name,
			Node:        g.nodes,
			Initializer: g.inits,
			Input:       []*onnx.ValueInfoProto{valueInfo("input", m.inShape)},
			Output:      []*onnx.ValueInfoProto{valueInfo(out, m.outShape())},
		},
	}, nil
}

// valueInfo describes a float32 tensor of shape (N, dims...).
func valueInfo(name string, dims []int) *onnx.ValueInfoProto {
	ds := []*onnx.TensorShapeProto_Dimension{{Value: &onnx.TensorShapeProto_Dimension_DimParam{DimParam: "N"}}}
	for _, d := range dims {
		ds = append(ds, &onnx.TensorShapeProto_Dimension{Value: &onnx.TensorShapeProto_Dimension_DimValue{DimValue: int64(d)}})
	}
	return &onnx.ValueInfoProto{Name: name, Type: &onnx.TypeProto{Value: &onnx.TypeProto_TensorType{
		TensorType: &onnx.TypeProto_Tensor{ElemType: int32(onnx.TensorProto_FLOAT), Shape: &onnx.TensorShapeProto{Dim: ds}},
	}}}
}

// activationOf reads a layer's activation name from its config.
func activationOf(l layers.Layer) string {
	s, _ := l.Config()["activation"].(string)
	return s
}

// onnxDense writes x·kernel + bias and the activation.
func (m *Model) onnxDense(g *onnxGraph, l layers.Layer, x string) (string, error) {
	var kernel, bias string
	for j, w := range m.weights {
		if m.owners[j] != l.Name() {
			continue
		}
		v := float64s(w.Value)
		f := make([]float32, len(v))
		for k, e := range v {
			f[k] = float32(e)
		}
		name := g.floats(l.Name()+"/"+w.Name, w.Shape, f)
		switch w.Name {
		case "kernel":
			kernel = name
		case "bias":
			bias = name
		}
	}
	if kernel == "" {
		return "", fmt.Errorf("keras: ExportONNX: %s has no kernel", l.Name())
	}
	var y string
	if bias != "" {
		y = g.node("Gemm", l.Name()+"/gemm", []string{x, kernel, bias})
	} else {
		y = g.node("MatMul", l.Name()+"/matmul", []string{x, kernel})
	}
	return onnxActivation(g, l.Name(), activationOf(l), y)
}

// onnxActivation writes Keras's activation name on x.
func onnxActivation(g *onnxGraph, layer, name, x string) (string, error) {
	out := layer + "/" + name
	unary := func(op string, attrs ...*onnx.AttributeProto) string {
		return g.node(op, out, []string{x}, attrs...)
	}
	switch name {
	case "", "linear":
		return x, nil
	case "relu":
		return unary("Relu"), nil
	case "relu6":
		return g.node("Clip", out, []string{x, g.scalar(layer+"/zero", 0, true), g.scalar(layer+"/six", 6, true)}), nil
	case "sigmoid":
		return unary("Sigmoid"), nil
	case "tanh":
		return unary("Tanh"), nil
	case "softmax":
		return unary("Softmax", attrI("axis", -1)), nil
	case "log_softmax":
		return unary("LogSoftmax", attrI("axis", -1)), nil
	case "softplus":
		return unary("Softplus"), nil
	case "softsign":
		return unary("Softsign"), nil
	case "elu":
		return unary("Elu", attrF("alpha", 1)), nil
	case "selu":
		// Keras's constants (keras.activations.selu).
		return unary("Selu", attrF("alpha", 1.6732632423543772848170429916717), attrF("gamma", 1.0507009873554804934193349852946)), nil
	case "leaky_relu":
		return unary("LeakyRelu", attrF("alpha", activations.LeakyReluSlope)), nil
	case "exponential":
		return unary("Exp"), nil
	case "hard_sigmoid":
		// Keras 3: relu6(x+3)/6 = clip(x/6 + 0.5, 0, 1).
		return unary("HardSigmoid", attrF("alpha", 1.0/6), attrF("beta", 0.5)), nil
	case "swish", "silu":
		s := g.node("Sigmoid", layer+"/sigmoid", []string{x})
		return g.node("Mul", out, []string{x, s}), nil
	case "hard_silu", "hard_swish":
		s := g.node("HardSigmoid", layer+"/hard_sigmoid", []string{x}, attrF("alpha", 1.0/6), attrF("beta", 0.5))
		return g.node("Mul", out, []string{x, s}), nil
	case "mish":
		sp := g.node("Softplus", layer+"/softplus", []string{x})
		th := g.node("Tanh", layer+"/tanh", []string{sp})
		return g.node("Mul", out, []string{x, th}), nil
	case "gelu":
		// Keras's exact gelu: 0.5*x*(1 + erf(x/sqrt(2))).
		xs := g.node("Mul", layer+"/scaled", []string{x, g.scalar(layer+"/inv_sqrt2", 1/math.Sqrt2, false)})
		e := g.node("Erf", layer+"/erf", []string{xs})
		e1 := g.node("Add", layer+"/erf_plus_one", []string{e, g.scalar(layer+"/one", 1, false)})
		hx := g.node("Mul", layer+"/half_x", []string{x, g.scalar(layer+"/half", 0.5, false)})
		return g.node("Mul", out, []string{hx, e1}), nil
	}
	known := slices.Clone(onnxActivations)
	slices.Sort(known)
	return "", fmt.Errorf("keras: ExportONNX: %s: activation %q has no ONNX form here (supported: %s)", layer, name, strings.Join(known, ", "))
}
