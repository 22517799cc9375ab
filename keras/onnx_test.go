package keras_test

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advancedclimatesystems/gonnx"
	"github.com/advancedclimatesystems/gonnx/onnx"
	"github.com/advancedclimatesystems/gonnx/ops"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// gonnx (v1.1.0) runs opset 13 but lacks some of its element-wise
// operators. The test supplies them, written from the ONNX operator
// specification (https://onnx.ai/onnx/operators/), in float64 on the
// float32 values; everything else (Gemm, MatMul, Relu, Sigmoid, Tanh,
// Softmax, Mul, Add, Flatten, Reshape) is gonnx's own.
// relu6 (Clip) and log_softmax (LogSoftmax) are exported but not run:
// gonnx has neither and they are not element-wise one-input operators.
var specOps = map[string]func(attr map[string]float64, x float64) float64{
	"Exp":      func(_ map[string]float64, x float64) float64 { return math.Exp(x) },
	"Erf":      func(_ map[string]float64, x float64) float64 { return math.Erf(x) },
	"Softplus": func(_ map[string]float64, x float64) float64 { return math.Log(math.Exp(x) + 1) },
	"Softsign": func(_ map[string]float64, x float64) float64 { return x / (1 + math.Abs(x)) },
	"Elu": func(a map[string]float64, x float64) float64 {
		if x < 0 {
			return a["alpha"] * (math.Exp(x) - 1)
		}
		return x
	},
	"Selu": func(a map[string]float64, x float64) float64 {
		if x <= 0 {
			return a["gamma"] * (a["alpha"]*math.Exp(x) - a["alpha"])
		}
		return a["gamma"] * x
	},
	"LeakyRelu": func(a map[string]float64, x float64) float64 {
		if x < 0 {
			return a["alpha"] * x
		}
		return x
	},
	"HardSigmoid": func(a map[string]float64, x float64) float64 {
		return math.Max(0, math.Min(1, a["alpha"]*x+a["beta"]))
	},
}

// specOp is an element-wise operator of specOps.
type specOp struct {
	name string
	f    func(map[string]float64, float64) float64
	attr map[string]float64
}

func (o *specOp) String() string { return o.name }
func (o *specOp) Init(n *onnx.NodeProto) error {
	o.attr = map[string]float64{}
	for _, a := range n.GetAttribute() {
		o.attr[a.GetName()] = float64(a.GetF())
	}
	return nil
}
func (o *specOp) Apply(in []tensor.Tensor) ([]tensor.Tensor, error) {
	x := in[0].Data().([]float32)
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(o.f(o.attr, float64(v)))
	}
	return []tensor.Tensor{tensor.New(tensor.WithShape(in[0].Shape().Clone()...), tensor.WithBacking(y))}, nil
}
func (o *specOp) GetMinInputs() int { return 1 }
func (o *specOp) GetMaxInputs() int { return 1 }
func (o *specOp) GetInputTypeConstraints() [][]tensor.Dtype {
	return [][]tensor.Dtype{{tensor.Float32}}
}
func (o *specOp) ValidateInputs(in []tensor.Tensor) ([]tensor.Tensor, error) {
	return ops.ValidateInputs(o, in)
}

// runONNX runs an exported file with gonnx on x.
func runONNX(t *testing.T, path string, x *tensor.Dense) *tensor.Dense {
	t.Helper()
	rt, err := gonnx.NewModelFromFile(path)
	if err != nil {
		t.Fatalf("gonnx cannot load the export: %v", err)
	}
	own := rt.GetOperator
	rt.GetOperator = func(op string) (ops.Operator, error) {
		if f, ok := specOps[op]; ok {
			return &specOp{name: op, f: f}, nil
		}
		return own(op)
	}
	if got := rt.InputNames(); len(got) != 1 || got[0] != "input" {
		t.Fatalf("inputs %v", got)
	}
	out, err := rt.Run(gonnx.Tensors{"input": x})
	if err != nil {
		t.Fatalf("gonnx run: %v", err)
	}
	y, ok := out["output"].(*tensor.Dense)
	if !ok {
		t.Fatalf("output %T", out["output"])
	}
	return y
}

// samples returns n deterministic samples of the given shape.
func samples(n int, shape ...int) *tensor.Dense {
	size := n
	for _, d := range shape {
		size *= d
	}
	v := make([]float32, size)
	for i := range v {
		v[i] = float32(math.Sin(float64(i)*0.37)) * 2
	}
	return tensor.New(tensor.WithShape(append([]int{n}, shape...)...), tensor.WithBacking(v))
}

// The exported graph run by gonnx predicts what Predict does, to 1e-5,
// for batch sizes 1 and 37 (the batch dimension is dynamic), for every
// activation and the shape layers.
func TestExportONNXMatchesPredict(t *testing.T) {
	acts := []string{"linear", "relu", "sigmoid", "tanh", "softmax", "softplus", "softsign", "elu", "selu",
		"leaky_relu", "exponential", "hard_sigmoid", "swish", "silu", "gelu", "hard_silu", "mish"}
	models := map[string]func() *keras.Model{
		"flatten-reshape-dropout": func() *keras.Model {
			return keras.Sequential(
				keras.Input(2, 3),
				layers.Flatten(),
				layers.Dense(6, layers.Activation("relu")),
				layers.Dropout(0.5),
				layers.Reshape(3, 2),
				layers.Flatten(),
				layers.Dense(4, layers.UseBias(false)),
				layers.Activation("softmax"),
			)
		},
	}
	for _, a := range acts {
		models[a] = func() *keras.Model {
			return keras.Sequential(
				layers.Dense(5, layers.InputShape(3), layers.Activation(a), layers.BiasInitializer("random_normal")),
				layers.Dense(2, layers.Activation(a)),
			)
		}
	}
	dir := t.TempDir()
	for name, build := range models {
		t.Run(name, func(t *testing.T) {
			m := build()
			if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, name+".onnx")
			if err := m.ExportONNX(path); err != nil {
				t.Fatal(err)
			}
			for _, n := range []int{1, 37} {
				shape := m.Layers()[0].InputShape()
				x := samples(n, shape...)
				want, err := m.Predict(x)
				if err != nil {
					t.Fatal(err)
				}
				got := runONNX(t, path, x)
				if !got.Shape().Eq(want.Shape()) {
					t.Fatalf("batch %d: shape %v, want %v", n, got.Shape(), want.Shape())
				}
				g, w := got.Data().([]float32), want.Data().([]float32)
				for i := range w {
					if d := math.Abs(float64(g[i] - w[i])); d > 1e-5*math.Max(1, math.Abs(float64(w[i]))) {
						t.Fatalf("batch %d: output[%d] = %v, Predict %v", n, i, g[i], w[i])
					}
				}
			}
		})
	}
}

// The file declares what runtimes look for: opset 13, IR version 7, a
// dynamic batch dimension named N, float32 initializers.
func TestExportONNXStructure(t *testing.T) {
	m := keras.Sequential(layers.Dense(4, layers.InputShape(3), layers.Activation("relu")), layers.Dense(2))
	path := filepath.Join(t.TempDir(), "m.onnx")
	if err := m.ExportONNX(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mp, err := gonnx.ModelProtoFromBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	if mp.IrVersion != 7 || len(mp.OpsetImport) != 1 || mp.OpsetImport[0].Version != 13 {
		t.Errorf("ir %d, opsets %v", mp.IrVersion, mp.OpsetImport)
	}
	in := mp.Graph.Input[0].GetType().GetTensorType().GetShape().GetDim()
	if len(in) != 2 || in[0].GetDimParam() != "N" || in[1].GetDimValue() != 3 {
		t.Errorf("input dims %v", in)
	}
	var opsSeen []string
	for _, n := range mp.Graph.Node {
		opsSeen = append(opsSeen, n.OpType)
	}
	if got := strings.Join(opsSeen, ","); got != "Gemm,Relu,Gemm" {
		t.Errorf("ops %s, want Gemm,Relu,Gemm", got)
	}
	for _, init := range mp.Graph.Initializer {
		if init.DataType != int32(onnx.TensorProto_FLOAT) {
			t.Errorf("%s: data type %d", init.Name, init.DataType)
		}
	}
}

// Layers and activations with no ONNX form are errors naming them, and
// no file is left behind.
func TestExportONNXUnsupported(t *testing.T) {
	dir := t.TempDir()
	m := keras.Sequential(layers.Dense(2, layers.InputShape(3), layers.Activation("log_softmax")))
	if err := m.ExportONNX(filepath.Join(dir, "ok.onnx")); err != nil {
		t.Errorf("log_softmax: %v", err)
	}
	unbuilt := keras.Sequential(layers.Dense(2))
	if err := unbuilt.ExportONNX(filepath.Join(dir, "x.onnx")); err == nil {
		t.Error("exported a model of unknown input shape")
	}
	custom := keras.Sequential(layers.Dense(2, layers.InputShape(3)), customLayer{layers.Activation("relu")})
	err := custom.ExportONNX(filepath.Join(dir, "c.onnx"))
	if err == nil || !strings.Contains(err.Error(), "(Custom) has no ONNX form") {
		t.Errorf("custom layer: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "c.onnx")); err == nil {
		t.Error("a failed export left a file")
	}
}

// customLayer is a layer class ExportONNX does not know.
type customLayer struct{ *layers.ActivationLayer }

func (customLayer) ClassName() string { return "Custom" }

// The Python onnx checker accepts the file, when Python has onnx.
func TestExportONNXPythonChecker(t *testing.T) {
	// Debian's python3-onnx lives in /usr/bin/python3, which another
	// python3 on PATH (pyenv) may hide.
	py := ""
	for _, cand := range []string{"python3", "/usr/bin/python3"} {
		if p, err := exec.LookPath(cand); err == nil && exec.Command(p, "-c", "import onnx.checker").Run() == nil {
			py = p
			break
		}
	}
	if py == "" {
		t.Skip("no python3 with the onnx package (apt-get install python3-onnx)")
	}
	m := keras.Sequential(layers.Dense(4, layers.InputShape(3), layers.Activation("gelu")), layers.Dense(2, layers.Activation("softmax")))
	path := filepath.Join(t.TempDir(), "m.onnx")
	if err := m.ExportONNX(path); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", fmt.Sprintf("import onnx; onnx.checker.check_model(onnx.load(%q), full_check=True)", path)).CombinedOutput()
	if err != nil {
		t.Errorf("onnx checker: %v\n%s", err, out)
	}
}
