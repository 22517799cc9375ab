package optimizers

import (
	"fmt"
	"slices"
	"strings"
)

// registry maps Keras's optimizer names to constructors. A new optimizer
// is one file plus one line here. It is filled at initialisation and
// never written to afterwards.
var registry = map[string]func(...Option) Optimizer{
	"adadelta": Adadelta,
	"adagrad":  Adagrad,
	"adam":     Adam,
	"adamax":   Adamax,
	"adamw":    AdamW,
	"nadam":    Nadam,
	"rmsprop":  RMSprop,
	"sgd":      SGD,
}

// Get returns a new optimizer with Keras's defaults by its Keras name
// ("sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax",
// "nadam"). As in Keras, case does not matter ("Adam", "RMSprop"). An
// unknown name gives an error wrapping ErrUnknownOptimizer that lists the
// known names.
func Get(name string) (Optimizer, error) {
	f, ok := registry[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return nil, fmt.Errorf("optimizers: %w %q; known names: %s", ErrUnknownOptimizer, name, strings.Join(Names(), ", "))
	}
	return f(), nil
}

// Names returns the names Get knows, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
