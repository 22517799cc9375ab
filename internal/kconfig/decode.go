package kconfig

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Decode reads a model configuration: Keras 3's config.json, or the
// model_config of a Keras 2 / tf.keras file (both the {"config": {"layers":
// [...]}} form and Keras 2.0's {"config": [...]} list form of Sequential).
// Malformed input is an error wrapping ErrBadConfig that names the JSON
// path; well-formed constructs it cannot represent wrap ErrUnsupported.
func Decode(data []byte) (*Model, error) {
	var top any
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("%w: not JSON: %v", ErrBadConfig, err)
	}
	obj, ok := top.(map[string]any)
	if !ok {
		return nil, badf("$", "want an object with class_name and config, got %s", describe(top))
	}
	return decodeModel(obj, "$")
}

// join builds a JSON path; the root is "$" and is left out of children.
func join(path, key string) string {
	if path == "$" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

func optString(obj map[string]any, key, path string) (string, error) {
	v, ok := obj[key]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", badf(join(path, key), "want a string, got %s", describe(v))
	}
	return s, nil
}

func reqString(obj map[string]any, key, path string) (string, error) {
	v, ok := obj[key]
	if !ok || v == nil {
		return "", badf(join(path, key), "missing")
	}
	s, ok := v.(string)
	if !ok || s == "" {
		return "", badf(join(path, key), "want a non-empty string, got %s", describe(v))
	}
	return s, nil
}

func optMap(obj map[string]any, key, path string) (map[string]any, error) {
	v, ok := obj[key]
	if !ok || v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, badf(join(path, key), "want an object, got %s", describe(v))
	}
	return m, nil
}

// isModelClass reports whether a class name is one of Keras's model
// containers (Keras 2 calls Functional "Model").
func isModelClass(c string) bool { return c == Sequential || c == Functional || c == "Model" }

func decodeModel(obj map[string]any, path string) (*Model, error) {
	cls, err := reqString(obj, "class_name", path)
	if err != nil {
		return nil, err
	}
	m := &Model{ClassName: cls, Trainable: true}
	if cls == "Model" {
		m.ClassName = Functional
	}
	if m.Module, err = optString(obj, "module", path); err != nil {
		return nil, err
	}
	if m.RegisteredName, err = optString(obj, "registered_name", path); err != nil {
		return nil, err
	}
	cpath := join(path, "config")
	var cfg map[string]any
	switch c := obj["config"].(type) {
	case map[string]any:
		cfg = c
	case []any:
		// Keras 2.0-2.1 wrote a Sequential config as the bare layer list.
		cfg = map[string]any{"layers": c}
	case nil:
		return nil, badf(cpath, "missing")
	default:
		return nil, badf(cpath, "want an object, got %s", describe(c))
	}
	if m.BuildConfig, err = optMap(obj, "build_config", path); err != nil {
		return nil, err
	}
	if cc, err := optMap(obj, "compile_config", path); err != nil {
		return nil, err
	} else if cc != nil {
		m.CompileConfig = normalizeValue(cc, "").(map[string]any)
	}
	if m.Name, err = optString(cfg, "name", cpath); err != nil {
		return nil, err
	}
	if t, ok := cfg["trainable"]; ok && t != nil {
		b, ok := t.(bool)
		if !ok {
			return nil, badf(join(cpath, "trainable"), "want true or false, got %s", describe(t))
		}
		m.Trainable = b
	}
	if d, ok := cfg["dtype"]; ok && d != nil {
		s, ok := normalizeValue(d, "dtype").(string)
		if !ok {
			return nil, badf(join(cpath, "dtype"), "want a dtype name or policy, got %s", describe(d))
		}
		m.DType = s
	}
	if m.Name == "" && m.ClassName == Sequential {
		// Keras 2.0's list form has no name; Keras names it so.
		m.Name = "sequential"
	}
	if m.ClassName != Sequential && m.ClassName != Functional {
		// A subclassed model: keep its own arguments, decode nothing more.
		m.Config = otherKeys(cfg, "name", "trainable", "dtype")
		return m, nil
	}
	lv, ok := cfg["layers"]
	if !ok {
		return nil, badf(join(cpath, "layers"), "missing")
	}
	list, ok := lv.([]any)
	if !ok {
		return nil, badf(join(cpath, "layers"), "want a list, got %s", describe(lv))
	}
	seen := map[string]bool{}
	for i, e := range list {
		lp := index(join(cpath, "layers"), i)
		lobj, ok := e.(map[string]any)
		if !ok {
			return nil, badf(lp, "want a layer object, got %s", describe(e))
		}
		l, err := decodeLayer(lobj, lp, m.ClassName == Functional)
		if err != nil {
			return nil, err
		}
		if seen[l.Name] {
			return nil, badf(join(lp, "name"), "layer name %q used twice", l.Name)
		}
		seen[l.Name] = true
		m.Layers = append(m.Layers, *l)
	}
	if m.ClassName == Functional {
		if m.Inputs, err = decodeEnds(cfg, "input_layers", cpath, seen); err != nil {
			return nil, err
		}
		if m.Outputs, err = decodeEnds(cfg, "output_layers", cpath, seen); err != nil {
			return nil, err
		}
		for i, l := range m.Layers {
			for j, c := range l.Inbound {
				for k, r := range c.Args {
					if !seen[r.Layer] {
						return nil, badf(fmt.Sprintf("%s.inbound_nodes[%d].args[%d]", l.Path, j, k), "layer %q of %q is not in the model", r.Layer, m.Layers[i].Name)
					}
				}
			}
		}
	}
	if err := m.findBuildShape(cfg, cpath); err != nil {
		return nil, err
	}
	m.Config = otherKeys(cfg, "name", "trainable", "dtype", "layers", "input_layers", "output_layers", "build_input_shape")
	return m, nil
}

func (m *Model) findBuildShape(cfg map[string]any, cpath string) error {
	if v, ok := cfg["build_input_shape"]; ok && v != nil {
		s, err := shape(v, join(cpath, "build_input_shape"))
		if err != nil {
			return err
		}
		m.BuildInputShape = s
		return nil
	}
	if m.ClassName != Sequential {
		return nil
	}
	if v, ok := m.BuildConfig["input_shape"]; ok && v != nil {
		if s, err := shape(v, "build_config.input_shape"); err == nil {
			m.BuildInputShape = s
			return nil
		}
	}
	if len(m.Layers) == 0 {
		return nil
	}
	first := &m.Layers[0]
	key := "batch_input_shape"
	if first.ClassName == "InputLayer" {
		key = "batch_shape"
	}
	if v, ok := first.Config[key]; ok && v != nil {
		s, err := shape(v, first.Path+".config."+key)
		if err != nil {
			return err
		}
		m.BuildInputShape = s
	}
	return nil
}

func otherKeys(cfg map[string]any, skip ...string) map[string]any {
	out := map[string]any{}
	for k, v := range cfg {
		if !contains(skip, k) {
			out[k] = normalizeValue(v, k)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// shapeKeys are config keys whose values must be shapes or lists of
// sizes; intKeys must be integers. Decode checks them so that a
// malformed file fails with its path rather than deep in the mapping.
var (
	shapeKeys = []string{"batch_shape", "batch_input_shape", "target_shape"}
	sizeKeys  = []string{"kernel_size", "strides", "pool_size", "dilation_rate", "size", "cropping", "padding_size"}
	intKeys   = []string{"units", "filters", "input_dim", "output_dim"}
)

func decodeLayer(obj map[string]any, path string, functional bool) (*Layer, error) {
	cls, err := reqString(obj, "class_name", path)
	if err != nil {
		return nil, err
	}
	l := &Layer{ClassName: cls, Path: path}
	if l.Module, err = optString(obj, "module", path); err != nil {
		return nil, err
	}
	if l.RegisteredName, err = optString(obj, "registered_name", path); err != nil {
		return nil, err
	}
	cpath := join(path, "config")
	cfg, err := optMap(obj, "config", path)
	if err != nil {
		return nil, err
	}
	if cfg == nil {
		return nil, badf(cpath, "missing")
	}
	if l.BuildConfig, err = optMap(obj, "build_config", path); err != nil {
		return nil, err
	}
	if isModelClass(cls) {
		if _, hasLayers := cfg["layers"]; hasLayers || cls == Sequential {
			sub, err := decodeModel(obj, path)
			if err != nil {
				return nil, err
			}
			l.Model = sub
			l.Name = sub.Name
		}
	}
	if l.Model == nil {
		l.Config = normalizeValue(cfg, "").(map[string]any)
		if err := l.normalizeLayerKeys(); err != nil {
			return nil, err
		}
		if l.Name, err = optString(cfg, "name", cpath); err != nil {
			return nil, err
		}
	}
	if n, err := optString(obj, "name", path); err != nil {
		return nil, err
	} else if n != "" {
		l.Name = n
	}
	if l.Name == "" {
		return nil, badf(join(cpath, "name"), "missing")
	}
	if functional {
		nodes, ok := obj["inbound_nodes"]
		if !ok {
			return nil, badf(join(path, "inbound_nodes"), "missing in a Functional model's layer")
		}
		if l.Inbound, err = decodeNodes(nodes, join(path, "inbound_nodes")); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// normalizeLayerKeys applies the per-layer Keras 2 aliases and checks the
// shape-valued keys.
func (l *Layer) normalizeLayerKeys() error {
	c := l.Config
	cpath := l.Path + ".config"
	if l.ClassName == "InputLayer" {
		if v, ok := c["batch_input_shape"]; ok {
			if _, has := c["batch_shape"]; !has {
				c["batch_shape"] = v
			}
			delete(c, "batch_input_shape")
		}
	}
	if v, ok := c["input_dim"]; ok && v != nil {
		n, ok := toInt(v)
		if !ok || n < 0 {
			return badf(cpath+".input_dim", "want a non-negative integer, got %s", describe(v))
		}
		// Embedding's input_dim is its vocabulary size, not a shape.
		if l.ClassName != "Embedding" {
			if _, has := c["batch_input_shape"]; !has {
				c["batch_input_shape"] = []any{nil, float64(n)}
			}
			delete(c, "input_dim")
		}
	}
	for _, k := range shapeKeys {
		if v, ok := c[k]; ok && v != nil {
			if _, err := shape(v, cpath+"."+k); err != nil {
				return err
			}
		}
	}
	for _, k := range sizeKeys {
		if v, ok := c[k]; ok && v != nil {
			if _, ok := toInt(v); ok {
				continue
			}
			if _, err := sizes(v, cpath+"."+k); err != nil {
				return err
			}
		}
	}
	for _, k := range intKeys {
		if v, ok := c[k]; ok && v != nil {
			if n, ok := toInt(v); !ok || n < 0 {
				return badf(cpath+"."+k, "want a non-negative integer, got %s", describe(v))
			}
		}
	}
	return nil
}

// sizes reads a list of integers or nested pairs of integers (Cropping2D's
// ((1, 1), (2, 2))).
func sizes(v any, path string) ([]any, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, badf(path, "want an integer or a list of integers, got %s", describe(v))
	}
	for i, e := range list {
		if _, ok := toInt(e); ok {
			continue
		}
		if _, err := sizes(e, index(path, i)); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// normalizeValue rewrites a config value into the package's vocabulary
// (see the package doc). key is the map key the value sits under.
func normalizeValue(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		cls, _ := x["class_name"].(string)
		inner, hasConfig := x["config"]
		if cls != "" && hasConfig {
			if key == "dtype" || isPolicyClass(cls) {
				if ic, ok := inner.(map[string]any); ok {
					if n, ok := ic["name"].(string); ok {
						return n
					}
				}
			}
			out := map[string]any{"class_name": cls}
			for k, e := range x {
				switch k {
				case "module", "registered_name", "shared_object_id", "class_name":
				default:
					out[k] = normalizeValue(e, k)
				}
			}
			if key == "optimizer" || key == "optimizer_config" {
				if ic, ok := out["config"].(map[string]any); ok {
					renameLR(ic)
				}
			}
			return out
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalizeValue(e, k)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeValue(e, key)
		}
		return out
	}
	return v
}

func isPolicyClass(c string) bool {
	return c == "DTypePolicy" || c == "Policy" || c == "FloatDTypePolicy" || strings.HasSuffix(c, "DTypePolicy")
}

func renameLR(cfg map[string]any) {
	if v, ok := cfg["lr"]; ok {
		if _, has := cfg["learning_rate"]; !has {
			cfg["learning_rate"] = v
		}
		delete(cfg, "lr")
	}
}

// decodeEnds reads input_layers or output_layers: [name, node, tensor] for
// one tensor, or a list of those.
func decodeEnds(cfg map[string]any, key, cpath string, known map[string]bool) ([]Ref, error) {
	path := join(cpath, key)
	v, ok := cfg[key]
	if !ok || v == nil {
		return nil, badf(path, "missing")
	}
	if _, isMap := v.(map[string]any); isMap {
		return nil, unsupportedf(path, "dict-structured model inputs or outputs")
	}
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return nil, badf(path, "want a list of [layer, node, tensor], got %s", describe(v))
	}
	if _, flat := list[0].(string); flat {
		list = []any{list}
	}
	refs := make([]Ref, len(list))
	for i, e := range list {
		r, err := decodeTriple(e, index(path, i))
		if err != nil {
			return nil, err
		}
		if !known[r.Layer] {
			return nil, badf(index(path, i), "layer %q is not in the model", r.Layer)
		}
		refs[i] = r
	}
	return refs, nil
}

// decodeTriple reads [layer, node, tensor] (Keras 2's node entries add a
// fourth element, the kwargs, which the caller reads).
func decodeTriple(v any, path string) (Ref, error) {
	t, ok := v.([]any)
	if !ok || len(t) < 3 {
		return Ref{}, badf(path, "want [layer, node, tensor], got %s", describe(v))
	}
	name, ok := t[0].(string)
	if !ok || name == "" {
		return Ref{}, badf(index(path, 0), "want a layer name, got %s", describe(t[0]))
	}
	node, ok1 := toInt(t[1])
	tensor, ok2 := toInt(t[2])
	if !ok1 || !ok2 || node < 0 || tensor < 0 {
		return Ref{}, badf(path, "want non-negative node and tensor indices, got %s and %s", describe(t[1]), describe(t[2]))
	}
	return Ref{Layer: name, Node: node, Tensor: tensor}, nil
}

func decodeNodes(v any, path string) ([]Call, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, badf(path, "want a list, got %s", describe(v))
	}
	calls := make([]Call, 0, len(list))
	for i, n := range list {
		np := index(path, i)
		var (
			c   Call
			err error
		)
		switch x := n.(type) {
		case map[string]any:
			c, err = decodeKeras3Node(x, np)
		case []any:
			c, err = decodeKeras2Node(x, np)
		default:
			err = badf(np, "want a node object or list, got %s", describe(n))
		}
		if err != nil {
			return nil, err
		}
		calls = append(calls, c)
	}
	return calls, nil
}

func decodeKeras2Node(entries []any, path string) (Call, error) {
	if len(entries) == 0 {
		return Call{}, badf(path, "empty node")
	}
	c := Call{List: len(entries) > 1}
	for i, e := range entries {
		ep := index(path, i)
		r, err := decodeTriple(e, ep)
		if err != nil {
			return Call{}, err
		}
		c.Args = append(c.Args, r)
		t := e.([]any)
		if len(t) > 3 && t[3] != nil {
			kw, ok := t[3].(map[string]any)
			if !ok {
				return Call{}, badf(index(ep, 3), "want the call's kwargs object, got %s", describe(t[3]))
			}
			if len(kw) > 0 && c.Kwargs == nil {
				c.Kwargs = normalizeValue(kw, "").(map[string]any)
			}
		}
	}
	return c, nil
}

func decodeKeras3Node(node map[string]any, path string) (Call, error) {
	var c Call
	av, ok := node["args"]
	if !ok {
		return c, badf(join(path, "args"), "missing")
	}
	args, ok := av.([]any)
	if !ok {
		return c, badf(join(path, "args"), "want a list, got %s", describe(av))
	}
	apath := join(path, "args")
	if len(args) == 1 {
		if inner, isList := args[0].([]any); isList {
			c.List = true
			args = inner
			apath = index(apath, 0)
		}
	}
	for i, a := range args {
		r, isTensor, err := decodeKerasTensor(a, index(apath, i))
		if err != nil {
			return c, err
		}
		if !isTensor {
			return c, unsupportedf(index(apath, i), "a layer call with a non-tensor positional argument (%s)", describe(a))
		}
		c.Args = append(c.Args, r)
	}
	if len(c.Args) == 0 {
		return c, badf(apath, "a call with no input tensors")
	}
	if kv, ok := node["kwargs"]; ok && kv != nil {
		kw, ok := kv.(map[string]any)
		if !ok {
			return c, badf(join(path, "kwargs"), "want an object, got %s", describe(kv))
		}
		for k, v := range kw {
			if _, isTensor, _ := decodeKerasTensor(v, ""); isTensor {
				return c, unsupportedf(join(join(path, "kwargs"), k), "a tensor passed as a keyword argument")
			}
		}
		if len(kw) > 0 {
			c.Kwargs = normalizeValue(kw, "").(map[string]any)
		}
	}
	return c, nil
}

// decodeKerasTensor reads a {"class_name": "__keras_tensor__"} argument;
// isTensor is false for any other value.
func decodeKerasTensor(v any, path string) (Ref, bool, error) {
	obj, ok := v.(map[string]any)
	if !ok || obj["class_name"] != "__keras_tensor__" {
		return Ref{}, false, nil
	}
	cfg, ok := obj["config"].(map[string]any)
	if !ok {
		return Ref{}, true, badf(join(path, "config"), "missing")
	}
	r, err := decodeTriple(cfg["keras_history"], join(join(path, "config"), "keras_history"))
	if err != nil {
		return Ref{}, true, err
	}
	if s, ok := cfg["shape"]; ok && s != nil {
		if r.Shape, err = shape(s, join(join(path, "config"), "shape")); err != nil {
			return Ref{}, true, err
		}
	}
	if d, ok := cfg["dtype"].(string); ok {
		r.DType = d
	}
	return r, true, nil
}

// DecodeTrainingConfig reads the training_config attribute of a legacy
// .h5 file ({"optimizer_config": {...}, "loss": ..., "metrics": ...}) and
// returns it in Keras 3's compile_config vocabulary: "optimizer_config"
// becomes "optimizer" (its "lr" "learning_rate"), the other keys stay.
func DecodeTrainingConfig(data []byte) (map[string]any, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("%w: training_config is not JSON: %v", ErrBadConfig, err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, badf("training_config", "want an object, got %s", describe(v))
	}
	out := normalizeValue(m, "").(map[string]any)
	if oc, ok := out["optimizer_config"]; ok {
		out["optimizer"] = normalizeValue(oc, "optimizer")
		delete(out, "optimizer_config")
	}
	return out, nil
}
