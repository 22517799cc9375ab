package keras

import (
	"strings"

	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/metrics"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// This library's earlier model file (format_version 1, read-only now) was
// a zip laid out as Keras 3's ".keras" file with the weights in
// safetensors instead of HDF5:
//
//	metadata.json              {"format": "gokeras", "format_version": 1, ...}
//	config.json                Keras-style JSON of a Sequential model
//	training_state.json        seed and state of the model's random source
//	model.weights.safetensors  the weights ("dense_1/kernel") and the
//	                           optimizer's variables ("optimizer/vars/0" is
//	                           the iteration count, then its slots)
//
// Save writes Keras 3's own format (kerasfile_save.go) and keeps
// training_state.json as an extra member, which Keras ignores.
const (
	formatName      = "gokeras"
	formatVersion   = 1
	metadataFile    = "metadata.json"
	configFile      = "config.json"
	stateFile       = "training_state.json"
	weightsFile     = "model.weights.safetensors"
	optimizerPrefix = "optimizer/vars/"
)

// metadata is the earlier format's metadata.json.
type metadata struct {
	Format        string `json:"format"`
	FormatVersion int    `json:"format_version"`
	KerasVersion  string `json:"keras_version"`
}

// trainingState is training_state.json: what Fit needs, besides the
// weights and the optimizer's variables, to go on exactly where it
// stopped.
type trainingState struct {
	Seed       int64  `json:"seed"`
	RNG        []byte `json:"rng_state,omitempty"` // math/rand/v2 PCG state
	WeightsSet bool   `json:"weights_set"`
}

// Save writes the whole model to one file at path in Keras 3's ".keras"
// format, as Keras's model.save("model.keras"), so that Python's
// keras.saving.load_model opens it: config.json (the architecture and
// the compile settings, in Keras 3's serialization), metadata.json and
// model.weights.h5 (the weights under layers/<snake_class>[_n]/vars and
// the optimizer's state under optimizer/vars), all stored uncompressed
// as Keras stores them. An extra member, training_state.json, holds the
// model's seed and random source, which Keras ignores, so that
// LoadModel gives a model that predicts the same numbers bit for bit and
// whose Fit (with InitialEpoch) resumes the training exactly.
//
// A model whose input shape is not known yet saves its architecture
// without weights (Keras saves an unbuilt model so), and loads back
// unbuilt; a model with no layers is an error. Layers with options
// Keras does not have (Keras 2's hard_sigmoid, named
// "hard_sigmoid_keras2" here) are written as they are, and Python Keras
// refuses them.
//
// The file is written to a temporary name in the same directory, synced
// and renamed into place, so a crash or a failed save never destroys the
// previous file at path; a path that is a directory is an error saying
// so.
func (m *Model) Save(path string) (err error) {
	defer recoverTo(&err, "Save")
	data, err := m.marshal()
	if err != nil {
		return err
	}
	return writeFile(path, data)
}

// compileConfig is Keras's compile_config of a compiled model: the
// optimizer and loss as serialized objects, and the metrics by name.
func (m *Model) compileConfig() map[string]any {
	return map[string]any{
		"optimizer": map[string]any{
			"module":          "keras.optimizers",
			"class_name":      optimizers.ClassName(m.opt),
			"config":          m.opt.Config(),
			"registered_name": nil,
		},
		"loss": map[string]any{
			"module":          "keras.losses",
			"class_name":      lossClassName(m.loss),
			"config":          m.loss.Config(),
			"registered_name": nil,
		},
		"metrics":             m.metricNames(),
		"loss_weights":        nil,
		"weighted_metrics":    nil,
		"run_eagerly":         false,
		"steps_per_execution": 1,
		"jit_compile":         false,
	}
}

// lossClassName is Keras's class name of a loss ("MeanSquaredError")
// when the losses registry knows it, else the loss's own name.
func lossClassName(l losses.Loss) string {
	parts := strings.Split(l.Name(), "_")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	if c := strings.Join(parts, ""); c != l.Name() {
		if _, err := losses.FromConfig(c, nil); err == nil {
			return c
		}
	}
	return l.Name()
}

func dtypeName(dt tensor.Dtype) string {
	if dt == tensor.Float64 {
		return "float64"
	}
	return "float32"
}

// metricNames lists the compiled metrics by name: as given, or the
// metric's own name for a metric value.
func (m *Model) metricNames() []string {
	names := make([]string, 0, len(m.metricSet))
	for _, v := range m.metricSet {
		switch x := v.(type) {
		case string:
			names = append(names, x)
		case metrics.Metric:
			names = append(names, x.Name())
		}
	}
	return names
}
