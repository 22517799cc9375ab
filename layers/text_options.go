package layers

// textOptions holds the options of the TextVectorization.
type textOptions struct{}

// defaults sets Keras's defaults.
func (o *textOptions) defaults() {}

// textClasses maps the Keras class names of the TextVectorization to the
// functions that rebuild them from their configs.
var textClasses = map[string]func(cfg map[string]any) (Layer, error){}
