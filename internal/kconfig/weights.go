package kconfig

import (
	"fmt"
	"regexp"
	"strings"
)

// VarGroup is one HDF5 group of a Keras 3 model.weights.h5 (inside a
// .keras zip, or a .weights.h5 written by save_weights): the variables of
// one layer, cell or wrapped layer are its datasets "0", "1", ... in the
// order of Vars.
//
// Keras writes every group below, including those of weightless layers
// (Dropout's "layers/dropout/vars" is an empty group), and since Keras
// 3.x (seen in 3.14 and 3.15 files) sets a "name" attribute on each vars
// group to the object's name.
type VarGroup struct {
	// Layer is the name of the layer in its model ("" for the model's own
	// group "vars"); for a layer of a nested model it is the nested model's
	// name, "/", then the layer's ("encoder/dense").
	Layer string
	// Class is the Keras class owning the variables ("Dense",
	// "LSTMCell", "Sequential").
	Class string
	// Part is "" for the layer's own variables, else the sub-object
	// holding them: "cell" of a recurrent layer; "forward_layer",
	// "forward_layer/cell", "backward_layer", "backward_layer/cell" of a
	// Bidirectional; "layer" (and "layer/cell") of a TimeDistributed.
	Part string
	// Path is the HDF5 group with the datasets: "layers/dense_1/vars".
	Path string
	// Vars are the variables' Keras names in storage order (trainable
	// first, each in creation order), e.g. ["kernel", "bias"]; empty for a
	// weightless object.
	Vars []string
	// Known is false when this package does not know the class's
	// variables; Vars is then empty and the file's datasets decide.
	Known bool
}

// WeightPaths lists where Keras 3 stores the variables of m, in the
// order Keras's saving_lib walks the model: the model's own "vars", then
// its layers (a Sequential model's InputLayer is not among them; a
// Functional model's InputLayers are, with empty groups), each under
// "layers/<snake_case(class)>" with a counter per class in list order
// ("dense", "dense_1", "gru", "gru_1": not the layers' names), a layer's
// sub-objects after its own group (attributes sorted by name, so
// Bidirectional's backward_layer before forward_layer), and a nested
// model's layers under its own "layers/<...>/layers/...". The optimizer's
// group is OptimizerPath.
func WeightPaths(m *Model) ([]VarGroup, error) {
	if m == nil {
		return nil, badf("$", "nil model")
	}
	var out []VarGroup
	err := walkModel(m, "", "", &out)
	return out, err
}

// OptimizerPath is the group of the optimizer's variables in a Keras 3
// weights file; dataset "0" is the iteration count (int64), "1" the
// learning rate, then the slots OptimizerSlots names.
const OptimizerPath = "optimizer/vars"

func walkModel(m *Model, prefix, layerPrefix string, out *[]VarGroup) error {
	*out = append(*out, VarGroup{Layer: strings.TrimSuffix(layerPrefix, "/"), Class: m.ClassName, Path: prefix + "vars", Known: true})
	if m.ClassName != Sequential && m.ClassName != Functional {
		return unsupportedf(m.Name, "the weights layout of subclassed model class %s", m.ClassName)
	}
	used := map[string]int{}
	for i := range m.Layers {
		l := &m.Layers[i]
		if m.ClassName == Sequential && l.ClassName == "InputLayer" {
			continue
		}
		class := l.ClassName
		if l.Model != nil {
			class = l.Model.ClassName
		}
		group := prefix + "layers/" + uniqueName(SnakeCase(class), used) + "/"
		if l.Model != nil {
			if err := walkModel(l.Model, group, layerPrefix+l.Name+"/", out); err != nil {
				return err
			}
			continue
		}
		if err := walkLayer(class, l.Config, group, layerPrefix+l.Name, "", out); err != nil {
			return err
		}
	}
	return nil
}

// uniqueName is saving_lib's _get_unique_name: the first use of a name is
// bare, later ones get _1, _2, ...
func uniqueName(name string, used map[string]int) string {
	n, seen := used[name]
	if !seen {
		used[name] = 0
		return name
	}
	used[name] = n + 1
	return fmt.Sprintf("%s_%d", name, n+1)
}

var recurrentCells = map[string]string{
	"LSTM":      "LSTMCell",
	"GRU":       "GRUCell",
	"SimpleRNN": "SimpleRNNCell",
}

func walkLayer(class string, cfg map[string]any, group, layer, part string, out *[]VarGroup) error {
	vars, known := LayerVars(class, cfg)
	*out = append(*out, VarGroup{Layer: layer, Class: class, Part: part, Path: group + "vars", Vars: vars, Known: known})
	sub := func(name string) string {
		if part == "" {
			return name
		}
		return part + "/" + name
	}
	if cell, ok := recurrentCells[class]; ok {
		cv, _ := LayerVars(cell, cfg)
		*out = append(*out, VarGroup{Layer: layer, Class: cell, Part: sub("cell"), Path: group + "cell/vars", Vars: cv, Known: true})
		return nil
	}
	switch class {
	case "Bidirectional":
		fwd, _ := cfg["layer"].(map[string]any)
		if fwd == nil {
			return badf(layer, "Bidirectional without its layer")
		}
		bwd, _ := cfg["backward_layer"].(map[string]any)
		if bwd == nil {
			bwd = fwd
		}
		for _, w := range []struct {
			name string
			obj  map[string]any
		}{{"backward_layer", bwd}, {"forward_layer", fwd}} {
			c, _ := w.obj["class_name"].(string)
			ic, _ := w.obj["config"].(map[string]any)
			if err := walkLayer(c, ic, group+w.name+"/", layer, sub(w.name), out); err != nil {
				return err
			}
		}
	case "TimeDistributed":
		inner, _ := cfg["layer"].(map[string]any)
		c, _ := inner["class_name"].(string)
		ic, _ := inner["config"].(map[string]any)
		if c == "" {
			return badf(layer, "TimeDistributed without its layer")
		}
		return walkLayer(c, ic, group+"layer/", layer, sub("layer"), out)
	}
	return nil
}

// LayerVars names a layer class's own variables in Keras 3's storage
// order (trainable first, then non-trainable, each in creation order),
// given its normalized config: use_bias, center and scale drop
// variables. Recurrent layers, Bidirectional and TimeDistributed own no
// variables themselves (their cells and wrapped layers do). known is
// false for a class this table does not cover.
func LayerVars(class string, cfg map[string]any) (vars []string, known bool) {
	flag := func(k string) bool {
		b, ok := cfg[k].(bool)
		return !ok || b // Keras's defaults are all true
	}
	withBias := func(vs ...string) []string {
		if flag("use_bias") {
			vs = append(vs, "bias")
		}
		return vs
	}
	switch class {
	case "Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose":
		return withBias("kernel"), true
	case "DepthwiseConv1D", "DepthwiseConv2D":
		return withBias("depthwise_kernel"), true
	case "SeparableConv1D", "SeparableConv2D":
		return withBias("depthwise_kernel", "pointwise_kernel"), true
	case "LSTMCell", "GRUCell", "SimpleRNNCell":
		return withBias("kernel", "recurrent_kernel"), true
	case "Embedding":
		return []string{"embeddings"}, true
	case "BatchNormalization", "LayerNormalization":
		var vs []string
		if flag("scale") {
			vs = append(vs, "gamma")
		}
		if flag("center") {
			vs = append(vs, "beta")
		}
		if class == "BatchNormalization" {
			vs = append(vs, "moving_mean", "moving_variance")
		}
		return vs, true
	case "PReLU":
		return []string{"alpha"}, true
	case "InputLayer", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
		"Flatten", "Reshape", "Permute", "RepeatVector", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "ThresholdedReLU",
		"MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
		"GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
		"ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D", "UpSampling3D",
		"Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Dot",
		"LSTM", "GRU", "SimpleRNN", "Bidirectional", "TimeDistributed", "Masking":
		return nil, true
	}
	return nil, false
}

// OptimizerSlots names the per-variable slots of a Keras 3 optimizer, in
// the order Keras stores them after the iteration count and learning
// rate. Keras 3.14-3.15 interleave the slots per model variable (Adam:
// momentum of variable 0, velocity of variable 0, momentum of variable 1,
// ...), as the files in testdata/kerasfiles show; Adam's amsgrad
// velocity_hat slots follow all of those. known is false for an
// optimizer this table does not cover.
func OptimizerSlots(class string, cfg map[string]any) (interleaved, after []string, known bool) {
	num := func(k string) float64 {
		f, _ := toFloat(cfg[k])
		return f
	}
	flag := func(k string) bool { b, _ := cfg[k].(bool); return b }
	switch class {
	case "Adam", "AdamW", "Adamax", "Nadam":
		switch class {
		case "Adamax":
			return []string{"momentum", "norm"}, nil, true
		case "Nadam":
			return []string{"momentum", "velocity"}, nil, true
		}
		if flag("amsgrad") {
			return []string{"momentum", "velocity"}, []string{"velocity_hat"}, true
		}
		return []string{"momentum", "velocity"}, nil, true
	case "SGD":
		if num("momentum") != 0 {
			return []string{"momentum"}, nil, true
		}
		return nil, nil, true
	case "RMSprop":
		s := []string{"velocity"}
		var after []string
		if num("momentum") > 0 {
			after = append(after, "momentum")
		}
		if flag("centered") {
			after = append(after, "average_gradient")
		}
		return s, after, true
	case "Adagrad":
		return []string{"accumulator"}, nil, true
	}
	return nil, nil, false
}

var (
	snakeNonWord = regexp.MustCompile(`\W+`)
	snakeUpper1  = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	snakeUpper2  = regexp.MustCompile(`([a-z])([A-Z])`)
)

// SnakeCase is Keras's naming.to_snake_case: "Conv2D" -> "conv2d",
// "BatchNormalization" -> "batch_normalization", "LSTM" -> "lstm",
// "GlobalAveragePooling2D" -> "global_average_pooling2d".
func SnakeCase(name string) string {
	name = snakeNonWord.ReplaceAllString(name, "")
	name = snakeUpper1.ReplaceAllString(name, "${1}_${2}")
	name = snakeUpper2.ReplaceAllString(name, "${1}_${2}")
	return strings.ToLower(name)
}

// Legacy HDF5 layout (Keras 2 / tf.keras model.save("m.h5") and
// save_weights("w.h5")): a full-model file keeps the weights under
// "model_weights"; a weights-only file at the root. That group's
// "layer_names" attribute lists the layers in order; each layer's group
// has a "weight_names" attribute listing its datasets, relative to the
// layer's group ("dense_1/kernel:0", tf.keras 2.x's
// "lstm/lstm_cell/kernel:0"). Readers should follow those attributes;
// LegacyWeightNames gives the names a writer uses.
const LegacyModelWeights = "model_weights"

// LegacyWeightNames are the weight_names tf.keras 2.x writes for a layer
// of the given class, name and config: "<layer>/<var>:0" for plain
// layers, "<layer>/<snake cell>/<var>:0" for LSTM, GRU and SimpleRNN
// (Keras 2.0-2.2 wrote "<layer>/<var>:0" for those too), and
// "<layer>/forward_<inner>/<cell>/<var>:0" then the backward ones for
// Bidirectional. known is false for a class LayerVars does not cover.
func LegacyWeightNames(class, layer string, cfg map[string]any) (names []string, known bool) {
	vs, known := LayerVars(class, cfg)
	if !known {
		return nil, false
	}
	if cell, ok := recurrentCells[class]; ok {
		cv, _ := LayerVars(cell, cfg)
		for _, v := range cv {
			names = append(names, layer+"/"+SnakeCase(cell)+"/"+v+":0")
		}
		return names, true
	}
	if class == "Bidirectional" {
		for _, dir := range []string{"forward", "backward"} {
			key := "layer"
			if dir == "backward" {
				if _, ok := cfg["backward_layer"].(map[string]any); ok {
					key = "backward_layer"
				}
			}
			inner, _ := cfg[key].(map[string]any)
			c, _ := inner["class_name"].(string)
			ic, _ := inner["config"].(map[string]any)
			n, _ := ic["name"].(string)
			sub, ok := LegacyWeightNames(c, dir+"_"+n, ic)
			if !ok {
				return nil, false
			}
			for _, s := range sub {
				names = append(names, layer+"/"+s)
			}
		}
		return names, true
	}
	for _, v := range vs {
		names = append(names, layer+"/"+v+":0")
	}
	return names, true
}
