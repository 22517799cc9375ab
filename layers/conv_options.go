package layers

// convOptions holds the options of the convolution and pooling layers.
type convOptions struct{}

// defaults sets Keras's defaults.
func (o *convOptions) defaults() {}

// convClasses maps the Keras class names of the convolution and pooling layers to the
// functions that rebuild them from their configs.
var convClasses = map[string]func(cfg map[string]any) (Layer, error){}
