package layers

// rnnOptions holds the options of the Embedding, the recurrent layers and Masking.
type rnnOptions struct {
	returnSequences     bool
	goBackwards         bool
	recurrentActivation string
	recurrentInit       any
	recurrentReg        any
	unitForgetBias      bool
	resetAfter          bool
	mergeMode           string
	maskZero            bool
	embeddingsInit      any
	embeddingsReg       any
	zeroOutputForMask   bool
}

// defaults sets Keras's defaults.
func (o *rnnOptions) defaults() {
	o.recurrentActivation = "sigmoid"
	o.recurrentInit = "orthogonal"
	o.unitForgetBias = true
	o.resetAfter = true
	o.mergeMode = "concat"
	o.embeddingsInit = "uniform"
}

// rnnClasses maps the Keras class names of the Embedding, the recurrent layers and Masking to the
// functions that rebuild them from their configs.
var rnnClasses = map[string]func(cfg map[string]any) (Layer, error){
	"Embedding": embeddingFromConfig,
	"SimpleRNN": recurrentFromConfig(simpleRNNCell),
	"LSTM":      recurrentFromConfig(lstmCell),
	"GRU":       recurrentFromConfig(gruCell),
	"Masking":   maskingFromConfig,
}

// The wrappers rebuild their inner layer with FromConfig, which reads
// these maps: listing them above would be an initialization cycle, so
// they are added once here, before any lookup.
func init() {
	rnnClasses["Bidirectional"] = bidirectionalFromConfig
	rnnClasses["TimeDistributed"] = timeDistributedFromConfig
}

// ReturnSequences makes a recurrent layer output every step (steps,
// units) instead of the last step's output (units,). Keras default:
// false.
func ReturnSequences(b bool) Option {
	return optionFunc(func(c *config) { c.rnn.returnSequences = b })
}

// GoBackwards makes a recurrent layer process the steps from the last to
// the first; with ReturnSequences its outputs are in that reversed order,
// as Keras's. Keras default: false.
func GoBackwards(b bool) Option { return optionFunc(func(c *config) { c.rnn.goBackwards = b }) }

// ZeroOutputForMask makes a recurrent layer output zeros at masked steps
// instead of repeating the previous output (Keras's zero_output_for_mask;
// Bidirectional sets it on the layers it wraps when they return
// sequences). Keras default: false.
func ZeroOutputForMask(b bool) Option {
	return optionFunc(func(c *config) { c.rnn.zeroOutputForMask = b })
}

// RecurrentActivation sets the gates' activation of LSTM and GRU:
// "sigmoid" (Keras default), "hard_sigmoid" (Keras 3's relu6(x+3)/6),
// "tanh", "relu", "linear", "softsign" or "elu".
func RecurrentActivation(name string) Option {
	return optionFunc(func(c *config) { c.rnn.recurrentActivation = name })
}

// RecurrentInitializer sets how the recurrent kernel starts: a Keras name
// or an Initializer. Keras default: "orthogonal".
func RecurrentInitializer(init any) Option {
	return optionFunc(func(c *config) { c.rnn.recurrentInit = init })
}

// RecurrentRegularizer adds a penalty on the recurrent kernel to the
// loss. Keras default: none.
func RecurrentRegularizer(reg any) Option {
	return optionFunc(func(c *config) { c.rnn.recurrentReg = reg })
}

// UnitForgetBias starts the LSTM's forget-gate bias at 1 (the other
// gates' from BiasInitializer), as Keras's unit_forget_bias. Keras
// default: true.
func UnitForgetBias(b bool) Option { return optionFunc(func(c *config) { c.rnn.unitForgetBias = b }) }

// ResetAfter chooses the GRU variant that applies the reset gate after
// the recurrent product, with separate input and recurrent biases (bias
// shape (2, 3*units)). Keras 3 default: true.
func ResetAfter(b bool) Option { return optionFunc(func(c *config) { c.rnn.resetAfter = b }) }

// MergeMode sets how Bidirectional combines the forward and backward
// outputs: "concat" (Keras default), "sum", "mul" or "ave".
func MergeMode(m string) Option { return optionFunc(func(c *config) { c.rnn.mergeMode = m }) }

// MaskZero makes Embedding treat id 0 as padding: its output carries a
// mask that later layers taking masks honour. Keras default: false.
func MaskZero(b bool) Option { return optionFunc(func(c *config) { c.rnn.maskZero = b }) }

// EmbeddingsInitializer sets how Embedding's table starts: a Keras name
// or an Initializer. Keras default: "uniform", RandomUniform(-0.05,
// 0.05).
func EmbeddingsInitializer(init any) Option {
	return optionFunc(func(c *config) { c.rnn.embeddingsInit = init })
}

// EmbeddingsRegularizer adds a penalty on Embedding's table to the loss.
// Keras default: none.
func EmbeddingsRegularizer(reg any) Option {
	return optionFunc(func(c *config) { c.rnn.embeddingsReg = reg })
}
