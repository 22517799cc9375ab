// Package kconfig reads and writes the model configurations of Python
// Keras: the config.json of a Keras 3 ".keras" zip, the model_config
// attribute of a legacy Keras 2 / tf.keras ".h5" file (and of the HDF5
// files some tf.keras versions named ".keras"), and the naming rules of
// the weight files that go with them.
//
// It knows nothing of this project's layer types. Decode turns either
// era's JSON into one neutral, normalized description (Model, Layer,
// Call, Ref) so that the mapping code in package keras sees a single
// vocabulary; Encode writes that description back as Keras 3.x's
// model.save() writes config.json, so that Python's
// keras.saving.load_model opens the file.
//
// The smallest use:
//
//	m, err := kconfig.Decode(configJSON) // Keras 3 config.json or Keras 2 model_config
//	if err != nil { ... }               // errors.Is(err, kconfig.ErrBadConfig)
//	for _, l := range m.Layers {
//		fmt.Println(l.ClassName, l.Name, l.Config["units"])
//	}
//	paths, err := kconfig.WeightPaths(m) // where model.weights.h5 keeps each layer's variables
//	out, err := kconfig.Encode(m)        // Keras 3 config.json
//
// Normalization done by Decode (so that both eras read the same):
//   - dtype policies ({"class_name": "DTypePolicy", "config": {"name":
//     "float32"}}, Keras 2's "Policy") become the plain string "float32";
//   - initializer, regularizer and constraint objects of both eras become
//     {"class_name": ..., "config": {...}} (Keras 3's "module",
//     "registered_name" and "shared_object_id" are dropped);
//   - Keras 2's "Model" class is "Functional"; Keras 2 inbound_nodes lists
//     become Calls like Keras 3's;
//   - InputLayer's Keras 2 "batch_input_shape" is Keras 3's "batch_shape";
//     a layer's "input_dim" (Keras 2) becomes "batch_input_shape"
//     [null, input_dim];
//   - "lr" in an optimizer's config is "learning_rate".
//
// JSON numbers are float64 in Config maps, as encoding/json gives them;
// Int and Ints read them back as ints. A dimension Keras writes as null
// is -1 in every []int of this package.
package kconfig
