package layers

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// classes maps Keras layer class names to functions that rebuild a layer
// from its Keras config, as Config returns it (or as decoded from JSON).
// A new layer is one file plus one line here or in its group's map
// (convClasses, normClasses, rnnClasses, textClasses, in the groups'
// options files). These maps are filled once and never written
// afterwards; custom layers go through Register.
var classes = map[string]func(cfg map[string]any) (Layer, error){
	"InputLayer":  inputFromConfig,
	"Dense":       denseFromConfig,
	"Activation":  activationFromConfig,
	"Dropout":     dropoutFromConfig,
	"Flatten":     flattenFromConfig,
	"Reshape":     reshapeFromConfig,
	"Add":         mergeFromConfig("Add"),
	"Subtract":    mergeFromConfig("Subtract"),
	"Multiply":    mergeFromConfig("Multiply"),
	"Average":     mergeFromConfig("Average"),
	"Maximum":     mergeFromConfig("Maximum"),
	"Minimum":     mergeFromConfig("Minimum"),
	"Concatenate": concatenateFromConfig,
	"Dot":         dotFromConfig,
}

var groups = []map[string]func(cfg map[string]any) (Layer, error){classes, convClasses, normClasses, rnnClasses, textClasses}

// custom holds the layers registered with Register, as Keras's
// register_keras_serializable.
var custom = struct {
	sync.RWMutex
	m map[string]func(cfg map[string]any) (Layer, error)
}{m: map[string]func(cfg map[string]any) (Layer, error){}}

// Register makes a custom layer class known to FromConfig (and so to
// keras.LoadModel), as Keras's register_keras_serializable: fromConfig
// rebuilds the layer from the map its Config returns. The name must be
// new: registering a built-in or an already registered class name is an
// error. Register is safe for concurrent use.
func Register(className string, fromConfig func(cfg map[string]any) (Layer, error)) error {
	if className == "" || fromConfig == nil {
		return errors.New("layers.Register: the class name and the function must be given")
	}
	custom.Lock()
	defer custom.Unlock()
	if lookupBuiltin(className) != nil {
		return fmt.Errorf("layers.Register: %q is a built-in layer class", className)
	}
	if custom.m[className] != nil {
		return fmt.Errorf("layers.Register: %q is already registered", className)
	}
	custom.m[className] = fromConfig
	return nil
}

func lookupBuiltin(className string) func(cfg map[string]any) (Layer, error) {
	for _, g := range groups {
		if f := g[className]; f != nil {
			return f
		}
	}
	return nil
}

func lookup(className string) func(cfg map[string]any) (Layer, error) {
	if f := lookupBuiltin(className); f != nil {
		return f
	}
	custom.RLock()
	defer custom.RUnlock()
	return custom.m[className]
}

// FromConfig rebuilds a layer from its Keras class name and config, as
// keras.layers.deserialize({"class_name": ..., "config": ...}). Values
// out of range are errors naming the layer, never panics; an unknown class
// name is an error listing the known ones.
func FromConfig(className string, cfg map[string]any) (l Layer, err error) {
	f := lookup(className)
	if f == nil {
		return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownClass, className, strings.Join(ClassNames(), ", "))
	}
	name, _ := cfg["name"].(string)
	if name == "" {
		name = SnakeCase(className)
	}
	defer func() {
		// Constructors panic on literal mistakes; a file is data, so
		// anything they miss is still reported as an error.
		if r := recover(); r != nil {
			l, err = nil, fmt.Errorf("%s (%s): invalid config: %v", name, className, r)
		}
	}()
	if cfg == nil {
		cfg = map[string]any{}
	}
	l, err = f(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if n, _ := cfg["name"].(string); n != "" && l.Name() == "" {
		l.SetName(n)
	}
	if t, ok := cfg["trainable"].(bool); ok && !t {
		l.SetTrainable(false)
	}
	return l, nil
}

// ErrUnknownClass is wrapped by FromConfig's error for a class name it
// does not know.
var ErrUnknownClass = errors.New("unknown layer class")

// ErrUnsupportedConfig is wrapped by FromConfig's error for a config that
// is well formed but asks for something not built here.
var ErrUnsupportedConfig = errors.New("unsupported layer config")

// ClassNames lists the layer class names FromConfig knows, sorted.
func ClassNames() []string {
	var names []string
	for _, g := range groups {
		for n := range g {
			names = append(names, n)
		}
	}
	custom.RLock()
	for n := range custom.m {
		names = append(names, n)
	}
	custom.RUnlock()
	slices.Sort(names)
	return names
}
