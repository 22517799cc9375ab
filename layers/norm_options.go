package layers

// normOptions holds the options of the normalization layers, activation layers and noise layers.
type normOptions struct{}

// defaults sets Keras's defaults.
func (o *normOptions) defaults() {}

// normClasses maps the Keras class names of the normalization layers, activation layers and noise layers to the
// functions that rebuild them from their configs.
var normClasses = map[string]func(cfg map[string]any) (Layer, error){}
