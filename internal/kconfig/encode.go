package kconfig

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Encode writes m as Keras 3.x's model.save() writes config.json: Python
// json.dumps separators, the structural keys in Keras's order (module,
// class_name, config, registered_name, build_config, compile_config; in a
// layer's config name, trainable, dtype first, the rest sorted), dtype
// policies as {"module": "keras", "class_name": "DTypePolicy", ...}
// objects (InputLayer keeps a plain dtype string, as Keras writes it),
// initializers, regularizers and constraints with Keras's modules, and a
// Functional model's inbound_nodes as "__keras_tensor__" arguments.
// Numbers that are integral are written without a fraction. Encode
// checks the model (names, references, shapes) and returns an error
// wrapping ErrBadConfig for an inconsistent one.
func Encode(m *Model) ([]byte, error) {
	if m == nil {
		return nil, badf("$", "nil model")
	}
	v, err := modelObject(m, "$")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := writeJSON(&b, v, "$"); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// obj is a JSON object with its keys in order.
type obj []kv

type kv struct {
	k string
	v any
}

func dtypePolicy(name string) obj {
	return obj{
		{"module", "keras"},
		{"class_name", "DTypePolicy"},
		{"config", obj{{"name", name}}},
		{"registered_name", nil},
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func intsJSON(s []int) []any {
	if s == nil {
		return nil
	}
	out := make([]any, len(s))
	for i, d := range s {
		if d < 0 {
			out[i] = nil
		} else {
			out[i] = d
		}
	}
	return out
}

func modelObject(m *Model, path string) (obj, error) {
	dt := m.DType
	if dt == "" {
		dt = "float32"
	}
	var cfg obj
	module, reg := m.Module, m.RegisteredName
	switch m.ClassName {
	case Sequential:
		if module == "" {
			module = "keras"
		}
		layers := make([]any, 0, len(m.Layers))
		seen := map[string]bool{}
		for i := range m.Layers {
			l := &m.Layers[i]
			lo, err := layerObject(l, index(join(path, "config.layers"), i), false, seen)
			if err != nil {
				return nil, err
			}
			layers = append(layers, lo)
		}
		cfg = obj{{"name", m.Name}, {"trainable", m.Trainable}, {"dtype", dtypePolicy(dt)}, {"layers", layers}}
		if m.BuildInputShape != nil {
			cfg = append(cfg, kv{"build_input_shape", intsJSON(m.BuildInputShape)})
		}
	case Functional:
		if module == "" {
			module = "keras.src.models.functional"
		}
		if reg == "" {
			reg = Functional
		}
		layers := make([]any, 0, len(m.Layers))
		seen := map[string]bool{}
		for i := range m.Layers {
			lo, err := layerObject(&m.Layers[i], index(join(path, "config.layers"), i), true, seen)
			if err != nil {
				return nil, err
			}
			layers = append(layers, lo)
		}
		for i := range m.Layers {
			for j, c := range m.Layers[i].Inbound {
				for k, r := range c.Args {
					if !seen[r.Layer] {
						return nil, badf(fmt.Sprintf("%s.inbound_nodes[%d].args[%d]", index(join(path, "config.layers"), i), j, k), "layer %q is not in the model", r.Layer)
					}
				}
			}
		}
		ins, err := endsJSON(m.Inputs, join(path, "config.input_layers"), seen)
		if err != nil {
			return nil, err
		}
		outs, err := endsJSON(m.Outputs, join(path, "config.output_layers"), seen)
		if err != nil {
			return nil, err
		}
		cfg = obj{{"name", m.Name}, {"trainable", m.Trainable}, {"layers", layers}, {"input_layers", ins}, {"output_layers", outs}}
	default:
		if m.ClassName == "" {
			return nil, badf(join(path, "class_name"), "missing")
		}
		cfg = obj{{"name", m.Name}, {"trainable", m.Trainable}, {"dtype", dtypePolicy(dt)}}
		cfg = append(cfg, sortedObj(m.Config, "")...)
	}
	if m.Name == "" {
		return nil, badf(join(path, "config.name"), "missing")
	}
	o := obj{{"module", nullable(module)}, {"class_name", m.ClassName}, {"config", cfg}, {"registered_name", nullable(reg)}}
	switch {
	case m.BuildConfig != nil:
		o = append(o, kv{"build_config", sortedObj(m.BuildConfig, "")})
	case m.ClassName == Sequential && m.BuildInputShape != nil:
		o = append(o, kv{"build_config", obj{{"input_shape", intsJSON(m.BuildInputShape)}}})
	}
	if m.CompileConfig != nil {
		o = append(o, kv{"compile_config", compileObject(m.CompileConfig)})
	}
	return o, nil
}

func endsJSON(refs []Ref, path string, known map[string]bool) ([]any, error) {
	if len(refs) == 0 {
		return nil, badf(path, "a Functional model needs at least one")
	}
	out := make([]any, len(refs))
	for i, r := range refs {
		if !known[r.Layer] {
			return nil, badf(index(path, i), "layer %q is not in the model", r.Layer)
		}
		out[i] = []any{r.Layer, r.Node, r.Tensor}
	}
	return out, nil
}

func layerObject(l *Layer, path string, functional bool, seen map[string]bool) (obj, error) {
	if l.ClassName == "" {
		return nil, badf(join(path, "class_name"), "missing")
	}
	var o obj
	if l.Model != nil {
		mo, err := modelObject(l.Model, path)
		if err != nil {
			return nil, err
		}
		o = mo
		if l.Name == "" {
			l.Name = l.Model.Name
		}
	} else {
		if l.Name == "" {
			if n, ok := l.Config["name"].(string); ok {
				l.Name = n
			}
		}
		module := l.Module
		if module == "" {
			module = "keras.layers"
		}
		o = obj{{"module", module}, {"class_name", l.ClassName}, {"config", layerConfigObject(l.ClassName, l.Name, l.Config)}, {"registered_name", nullable(l.RegisteredName)}}
		if l.BuildConfig != nil {
			o = append(o, kv{"build_config", sortedObj(l.BuildConfig, "")})
		}
	}
	if l.Name == "" {
		return nil, badf(join(path, "name"), "missing")
	}
	if seen[l.Name] {
		return nil, badf(join(path, "name"), "layer name %q used twice", l.Name)
	}
	seen[l.Name] = true
	if functional {
		nodes := make([]any, 0, len(l.Inbound))
		for j, c := range l.Inbound {
			n, err := nodeObject(c, index(join(path, "inbound_nodes"), j))
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, n)
		}
		o = append(o, kv{"name", l.Name}, kv{"inbound_nodes", nodes})
	}
	return o, nil
}

func nodeObject(c Call, path string) (obj, error) {
	if len(c.Args) == 0 {
		return nil, badf(join(path, "args"), "a call with no input tensors")
	}
	ts := make([]any, len(c.Args))
	for i, r := range c.Args {
		if r.Shape == nil {
			return nil, badf(index(join(path, "args"), i), "tensor %s[%d][%d] has no shape; Keras 3 records one", r.Layer, r.Node, r.Tensor)
		}
		dt := r.DType
		if dt == "" {
			dt = "float32"
		}
		ts[i] = obj{
			{"class_name", "__keras_tensor__"},
			{"config", obj{{"shape", intsJSON(r.Shape)}, {"dtype", dt}, {"keras_history", []any{r.Layer, r.Node, r.Tensor}}}},
		}
	}
	var args []any
	if c.List || len(ts) > 1 {
		args = []any{ts}
	} else {
		args = ts
	}
	return obj{{"args", args}, {"kwargs", sortedObj(c.Kwargs, "")}}, nil
}

// layerConfigObject writes a layer's config with name, trainable and
// dtype first, as Keras's Layer.get_config starts.
func layerConfigObject(class, name string, cfg map[string]any) obj {
	o := obj{{"name", name}}
	if class != "InputLayer" {
		tr := true
		if b, ok := cfg["trainable"].(bool); ok {
			tr = b
		}
		o = append(o, kv{"trainable", tr})
	}
	dt := "float32"
	if s, ok := cfg["dtype"].(string); ok && s != "" {
		dt = s
	}
	if class == "InputLayer" {
		o = append(o, kv{"dtype", dt})
	} else {
		o = append(o, kv{"dtype", dtypePolicy(dt)})
	}
	rest := map[string]any{}
	for k, v := range cfg {
		switch k {
		case "name", "trainable", "dtype":
		default:
			rest[k] = v
		}
	}
	return append(o, sortedObj(rest, "")...)
}

// compileObject writes compile_config with Keras's modules on the
// optimizer and loss objects.
func compileObject(cc map[string]any) obj {
	order := []string{"optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly", "steps_per_execution", "jit_compile"}
	var o obj
	for _, k := range order {
		if v, ok := cc[k]; ok {
			o = append(o, kv{k, configValue(v, k)})
		}
	}
	rest := map[string]any{}
	for k, v := range cc {
		if !contains(order, k) {
			rest[k] = v
		}
	}
	return append(o, sortedObj(rest, "")...)
}

// moduleFor names the Keras 3 module of a {"class_name", "config"} object
// from the config key it sits under.
func moduleFor(key string) string {
	switch {
	case strings.HasSuffix(key, "initializer"):
		return "keras.initializers"
	case strings.HasSuffix(key, "regularizer"):
		return "keras.regularizers"
	case strings.HasSuffix(key, "constraint"):
		return "keras.constraints"
	case key == "layer" || key == "backward_layer":
		return "keras.layers"
	case key == "optimizer":
		return "keras.optimizers"
	case key == "loss":
		return "keras.losses"
	case key == "metrics" || key == "weighted_metrics":
		return "keras.metrics"
	}
	return "keras"
}

// configValue turns a normalized value back into Keras 3's serialized
// form.
func configValue(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		cls, _ := x["class_name"].(string)
		if inner, ok := x["config"]; ok && cls != "" {
			if key == "layer" || key == "backward_layer" {
				ic, _ := inner.(map[string]any)
				name, _ := ic["name"].(string)
				o := obj{{"module", "keras.layers"}, {"class_name", cls}, {"config", layerConfigObject(cls, name, ic)}, {"registered_name", nil}}
				if bc, ok := x["build_config"].(map[string]any); ok {
					o = append(o, kv{"build_config", sortedObj(bc, "")})
				}
				return o
			}
			return obj{{"module", moduleFor(key)}, {"class_name", cls}, {"config", configValue(inner, "")}, {"registered_name", nil}}
		}
		return sortedObj(x, "")
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = configValue(e, key)
		}
		return out
	}
	if key == "dtype" {
		if s, ok := v.(string); ok {
			return dtypePolicy(s)
		}
	}
	return v
}

func sortedObj(m map[string]any, _ string) obj {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	o := make(obj, 0, len(keys))
	for _, k := range keys {
		o = append(o, kv{k, configValue(m[k], k)})
	}
	return o
}

// writeJSON writes v as Python's json.dumps does: ", " and ": "
// separators, non-ASCII escaped.
func writeJSON(b *bytes.Buffer, v any, path string) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		writeString(b, x)
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case int32:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case float32:
		return writeFloat(b, float64(x), 32, path)
	case float64:
		return writeFloat(b, x, 64, path)
	case obj:
		b.WriteByte('{')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeString(b, e.k)
			b.WriteString(": ")
			if err := writeJSON(b, e.v, join(path, e.k)); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case map[string]any:
		return writeJSON(b, sortedObj(x, ""), path)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := writeJSON(b, e, index(path, i)); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case []int:
		return writeJSON(b, intsJSON(x), path)
	case []string:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		return writeJSON(b, l, path)
	default:
		return badf(path, "cannot write a %T", v)
	}
	return nil
}

func writeFloat(b *bytes.Buffer, f float64, bits int, path string) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return badf(path, "non-finite number %v", f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		b.WriteString(strconv.FormatInt(int64(f), 10))
		return nil
	}
	// Python's repr: positional notation for exponents -4..15, else
	// scientific with a signed two-digit exponent (1e-07), as Go's 'e'.
	e := strconv.FormatFloat(f, 'e', -1, bits)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp >= -4 && exp < 16 {
		b.WriteString(strconv.FormatFloat(f, 'f', -1, bits))
	} else {
		b.WriteString(e)
	}
	return nil
}

// writeString escapes as json.dumps with ensure_ascii does.
func writeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || (r >= 0x80 && r < 0x10000):
			fmt.Fprintf(b, `\u%04x`, r)
		case r >= 0x10000:
			r -= 0x10000
			fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}
