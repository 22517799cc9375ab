package kconfig

import (
	"errors"
	"fmt"
	"math"
)

// ErrBadConfig is wrapped by every error about a malformed configuration:
// JSON that does not parse, a missing or mistyped field, a shape that is
// not a list of integers. The message names the JSON path, such as
// config.layers[3].config.units.
var ErrBadConfig = errors.New("kconfig: bad model config")

// ErrUnsupported is wrapped when a configuration is well formed but uses
// a construct this package does not represent (a layer called with a
// non-tensor positional argument, tensors passed as keyword arguments,
// dict-structured model inputs).
var ErrUnsupported = errors.New("kconfig: unsupported model config")

// Class names of the model containers.
const (
	Sequential = "Sequential"
	Functional = "Functional"
)

// Model is a Keras model configuration of either era.
type Model struct {
	// ClassName is "Sequential" or "Functional" (Keras 2's and tf.keras's
	// "Model" is decoded as "Functional"). Any other name is a subclassed
	// model: its Layers are empty and its own config is in Config.
	ClassName string
	// Name is the model's name ("sequential", "model_1"; "sequential"
	// for Keras 2.0's unnamed list form).
	Name string
	// Module and RegisteredName are Keras 3's "module" and
	// "registered_name" ("" where absent or null). Encode fills Keras's
	// values when they are empty.
	Module, RegisteredName string
	// Trainable is config.trainable (true where absent).
	Trainable bool
	// DType is the model's dtype policy name ("" where absent).
	DType string
	// Layers in the order the file lists them. A Sequential model's list
	// starts with its InputLayer when the file has one (Keras 3 and
	// tf.keras 2.x write it; Keras 2.0-2.2 put batch_input_shape on the
	// first layer instead).
	Layers []Layer
	// Inputs and Outputs are a Functional model's input_layers and
	// output_layers.
	Inputs, Outputs []Ref
	// BuildInputShape is the shape the model was built for, with the
	// batch dimension first (-1 for None): a Sequential model's
	// build_input_shape, else its build_config input_shape, else its
	// InputLayer's batch_shape, else its first layer's batch_input_shape.
	// Nil when unknown (and for Functional models, whose input shapes are
	// on their InputLayers).
	BuildInputShape []int
	// BuildConfig is the top-level build_config as written (nil if none).
	BuildConfig map[string]any
	// CompileConfig is Keras 3's compile_config (optimizer, loss,
	// metrics, ...), normalized; nil when the model was not compiled.
	CompileConfig map[string]any
	// Config holds the keys of the model's config that the fields above
	// do not represent (a subclassed model's own arguments), normalized.
	Config map[string]any
}

// Layer is one layer entry of a model's "layers" list.
type Layer struct {
	// ClassName is the Keras class ("Dense", "LSTM", "InputLayer").
	ClassName string
	// Name is the layer's name, unique within its model.
	Name string
	// Module and RegisteredName are Keras 3's "module" and
	// "registered_name" ("" where absent or null).
	Module, RegisteredName string
	// Config is the layer's config, normalized (see the package doc).
	// Wrappers keep the wrapped layer inside it: Bidirectional's "layer"
	// and "backward_layer", TimeDistributed's "layer" are normalized
	// {"class_name": ..., "config": {...}} maps; WrappedLayer decodes one.
	// Nil when the layer is itself a model (see Model).
	Config map[string]any
	// BuildConfig is the layer's build_config ({"input_shape": [...]}),
	// nil when absent.
	BuildConfig map[string]any
	// Inbound lists the calls of the layer in a Functional model, one per
	// inbound node. Empty for Sequential layers and InputLayers.
	Inbound []Call
	// Model is set when the layer is itself a Sequential or Functional
	// model nested in its parent.
	Model *Model
	// Path is where the layer is in the decoded JSON, such as
	// "config.layers[3]": the accessors' errors start with it.
	Path string
}

// Call is one inbound node: the tensors a layer was called on.
type Call struct {
	// Args are the input tensors in order.
	Args []Ref
	// List is true when the tensors were passed as one list argument,
	// as merge layers are called (Concatenate()([a, b])): Keras 3 writes
	// "args": [[a, b]] for that, "args": [a] for a plain call. A Keras 2
	// node with several tensors decodes with List set.
	List bool
	// Kwargs are the call's keyword arguments that are not tensors
	// ({"training": false}, {"mask": null}); nil if none.
	Kwargs map[string]any
}

// Ref names one tensor: output Tensor of call Node of layer Layer
// (Keras's keras_history).
type Ref struct {
	Layer        string
	Node, Tensor int
	// Shape (batch dimension first, -1 for None) and DType are the
	// tensor's, as Keras 3 records them in "__keras_tensor__" call
	// arguments; nil and "" where the file does not say (Keras 2, and
	// input_layers/output_layers entries).
	Shape []int
	DType string
}

func badf(path, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrBadConfig, path, fmt.Sprintf(format, args...))
}

func unsupportedf(path, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrUnsupported, path, fmt.Sprintf(format, args...))
}

// Int reads an integer from the layer's config. A missing key, null, or a
// number that is not integral is an error wrapping ErrBadConfig naming
// the path (config.layers[3].config.units).
func (l *Layer) Int(key string) (int, error) {
	v, ok := l.Config[key]
	if !ok || v == nil {
		return 0, badf(l.Path+".config."+key, "missing")
	}
	n, ok := toInt(v)
	if !ok {
		return 0, badf(l.Path+".config."+key, "want an integer, got %s", describe(v))
	}
	return n, nil
}

// Ints reads an integer or a list of integers (kernel_size 3 or [3, 3])
// from the layer's config; null entries are -1. A missing key or null is
// (nil, nil).
func (l *Layer) Ints(key string) ([]int, error) {
	v, ok := l.Config[key]
	if !ok || v == nil {
		return nil, nil
	}
	if n, ok := toInt(v); ok {
		return []int{n}, nil
	}
	s, err := shape(v, l.Path+".config."+key)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Float reads a number from the layer's config, def when the key is
// missing or null.
func (l *Layer) Float(key string, def float64) (float64, error) {
	v, ok := l.Config[key]
	if !ok || v == nil {
		return def, nil
	}
	f, ok := toFloat(v)
	if !ok {
		return 0, badf(l.Path+".config."+key, "want a number, got %s", describe(v))
	}
	return f, nil
}

// String reads a string from the layer's config, def when the key is
// missing or null.
func (l *Layer) String(key, def string) (string, error) {
	v, ok := l.Config[key]
	if !ok || v == nil {
		return def, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", badf(l.Path+".config."+key, "want a string, got %s", describe(v))
	}
	return s, nil
}

// Bool reads a boolean from the layer's config, def when the key is
// missing or null.
func (l *Layer) Bool(key string, def bool) (bool, error) {
	v, ok := l.Config[key]
	if !ok || v == nil {
		return def, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, badf(l.Path+".config."+key, "want true or false, got %s", describe(v))
	}
	return b, nil
}

// WrappedLayer decodes the layer a wrapper holds under key ("layer" for
// Bidirectional and TimeDistributed, "backward_layer" for Bidirectional).
// It returns (nil, nil) when the key is absent or null.
func (l *Layer) WrappedLayer(key string) (*Layer, error) {
	v, ok := l.Config[key]
	if !ok || v == nil {
		return nil, nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, badf(l.Path+".config."+key, "want a layer object, got %s", describe(v))
	}
	return decodeLayer(obj, l.Path+".config."+key, false)
}

// toInt accepts the numeric types Decode produces (float64) and the ones
// a caller building a config may use.
func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case float64:
		if n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			return 0, false
		}
		return int(n), true
	case int:
		return n, true
	case int64:
		return int(n), true
	case int32:
		return int(n), true
	}
	return 0, false
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	}
	return 0, false
}

// shape reads a list of integers where null is -1.
func shape(v any, path string) ([]int, error) {
	var list []any
	switch s := v.(type) {
	case []any:
		list = s
	case []int:
		return append([]int(nil), s...), nil
	default:
		return nil, badf(path, "want a shape (a list of integers), got %s", describe(v))
	}
	out := make([]int, len(list))
	for i, d := range list {
		if d == nil {
			out[i] = -1
			continue
		}
		n, ok := toInt(d)
		if !ok || n < 0 {
			return nil, badf(fmt.Sprintf("%s[%d]", path, i), "want a dimension (a non-negative integer or null), got %s", describe(d))
		}
		out[i] = n
	}
	return out, nil
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if len(x) > 40 {
			x = x[:40] + "..."
		}
		return fmt.Sprintf("string %q", x)
	case float64:
		return fmt.Sprintf("number %v", x)
	case bool:
		return fmt.Sprintf("%v", x)
	case []any:
		return fmt.Sprintf("a list of %d", len(x))
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
