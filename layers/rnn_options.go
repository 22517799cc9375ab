package layers

// rnnOptions holds the options of the Embedding, the recurrent layers and Masking.
type rnnOptions struct{}

// defaults sets Keras's defaults.
func (o *rnnOptions) defaults() {}

// rnnClasses maps the Keras class names of the Embedding, the recurrent layers and Masking to the
// functions that rebuild them from their configs.
var rnnClasses = map[string]func(cfg map[string]any) (Layer, error){}
