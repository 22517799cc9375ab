package layers

import (
	"fmt"
	"slices"
	"strings"
)

// classes maps Keras layer class names to functions that rebuild a layer
// from its Keras config, as Config returns it (or as decoded from JSON).
// A new layer is one file plus one line here. It is filled once, here,
// and never written afterwards.
var classes = map[string]func(cfg map[string]any) (Layer, error){
	"InputLayer": inputFromConfig,
	"Dense":      denseFromConfig,
	"Activation": activationFromConfig,
	"Dropout":    dropoutFromConfig,
	"Flatten":    flattenFromConfig,
	"Reshape":    reshapeFromConfig,
}

// FromConfig rebuilds a layer from its Keras class name and config, as
// keras.layers.deserialize({"class_name": ..., "config": ...}). Values
// out of range are errors naming the layer, never panics; an unknown class
// name is an error listing the known ones.
func FromConfig(className string, cfg map[string]any) (l Layer, err error) {
	f, ok := classes[className]
	if !ok {
		return nil, fmt.Errorf("unknown layer class %q (known: %s)", className, strings.Join(ClassNames(), ", "))
	}
	defer func() {
		// Constructors panic on literal mistakes; a file is data, so
		// anything they miss is still reported as an error.
		if r := recover(); r != nil {
			l, err = nil, fmt.Errorf("%s: invalid config: %v", className, r)
		}
	}()
	if cfg == nil {
		cfg = map[string]any{}
	}
	l, err = f(cfg)
	if err != nil {
		name, _ := cfg["name"].(string)
		if name == "" {
			name = className
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return l, nil
}

// ClassNames lists the layer class names FromConfig knows, sorted.
func ClassNames() []string {
	names := make([]string, 0, len(classes))
	for n := range classes {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
