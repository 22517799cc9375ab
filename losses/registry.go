package losses

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/gokeras/keras/internal/configval"
)

// builtin maps Keras names (and their aliases) to constructors with
// Keras's defaults. It is filled once, here, and never written
// afterwards. Keras accepts both the function names (snake case) and
// the class names.
var builtin = map[string]func(...Option) Loss{
	"mean_squared_error":              MeanSquaredError,
	"mse":                             MeanSquaredError,
	"MSE":                             MeanSquaredError,
	"MeanSquaredError":                MeanSquaredError,
	"mean_absolute_error":             MeanAbsoluteError,
	"mae":                             MeanAbsoluteError,
	"MAE":                             MeanAbsoluteError,
	"MeanAbsoluteError":               MeanAbsoluteError,
	"mean_absolute_percentage_error":  MeanAbsolutePercentageError,
	"mape":                            MeanAbsolutePercentageError,
	"MAPE":                            MeanAbsolutePercentageError,
	"MeanAbsolutePercentageError":     MeanAbsolutePercentageError,
	"mean_squared_logarithmic_error":  MeanSquaredLogarithmicError,
	"msle":                            MeanSquaredLogarithmicError,
	"MSLE":                            MeanSquaredLogarithmicError,
	"MeanSquaredLogarithmicError":     MeanSquaredLogarithmicError,
	"huber":                           Huber,
	"Huber":                           Huber,
	"log_cosh":                        LogCosh,
	"LogCosh":                         LogCosh,
	"binary_crossentropy":             BinaryCrossentropy,
	"bce":                             BinaryCrossentropy,
	"BCE":                             BinaryCrossentropy,
	"BinaryCrossentropy":              BinaryCrossentropy,
	"binary_focal_crossentropy":       BinaryFocalCrossentropy,
	"BinaryFocalCrossentropy":         BinaryFocalCrossentropy,
	"categorical_crossentropy":        CategoricalCrossentropy,
	"CategoricalCrossentropy":         CategoricalCrossentropy,
	"categorical_focal_crossentropy":  CategoricalFocalCrossentropy,
	"CategoricalFocalCrossentropy":    CategoricalFocalCrossentropy,
	"sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
	"SparseCategoricalCrossentropy":   SparseCategoricalCrossentropy,
	"hinge":                           Hinge,
	"Hinge":                           Hinge,
	"squared_hinge":                   SquaredHinge,
	"SquaredHinge":                    SquaredHinge,
	"categorical_hinge":               CategoricalHinge,
	"CategoricalHinge":                CategoricalHinge,
	"kl_divergence":                   KLDivergence,
	"kld":                             KLDivergence,
	"KLD":                             KLDivergence,
	"KLDivergence":                    KLDivergence,
	"poisson":                         Poisson,
	"Poisson":                         Poisson,
	"cosine_similarity":               CosineSimilarity,
	"CosineSimilarity":                CosineSimilarity,
}

// custom holds the losses added by Register, as Keras's
// register_keras_serializable: the one registry a program shares, so it
// is guarded for registration from any goroutine (an init function
// usually).
var custom = struct {
	sync.RWMutex
	m map[string]func(map[string]any) (Loss, error)
}{m: map[string]func(map[string]any) (Loss, error){}}

// ErrRegistered is wrapped by Register's error for a name already
// taken, by a built-in loss or an earlier Register.
var ErrRegistered = errors.New("losses: name already registered")

// Register adds a custom loss under name, so that Get and FromConfig
// (and so a saved model that names it) find it. fromConfig rebuilds the
// loss from the Keras config it was saved with (its Config); Get calls
// it with an empty map, for the loss's defaults. The loss's Name should
// be name. An empty name, a nil fromConfig, or a name that a built-in
// or an earlier registration already has is an error. It is safe for
// concurrent use.
func Register(name string, fromConfig func(cfg map[string]any) (Loss, error)) error {
	if name == "" {
		return errors.New("losses: Register: empty name")
	}
	if fromConfig == nil {
		return fmt.Errorf("losses: Register %q: nil fromConfig", name)
	}
	if _, ok := builtin[name]; ok {
		return fmt.Errorf("%w: %q is a built-in loss", ErrRegistered, name)
	}
	custom.Lock()
	defer custom.Unlock()
	if _, ok := custom.m[name]; ok {
		return fmt.Errorf("%w: %q", ErrRegistered, name)
	}
	custom.m[name] = fromConfig
	return nil
}

func lookupCustom(name string) (func(map[string]any) (Loss, error), bool) {
	custom.RLock()
	defer custom.RUnlock()
	f, ok := custom.m[name]
	return f, ok
}

func unknown(name string) error {
	return fmt.Errorf("unknown loss %q (known: %s)", name, strings.Join(Names(), ", "))
}

// Get returns the loss with the given Keras name, with Keras's defaults,
// or the registered custom loss of that name. An unknown name is an
// error that lists the known names.
func Get(name string) (Loss, error) {
	if f, ok := builtin[name]; ok {
		return f(), nil
	}
	return FromConfig(name, map[string]any{})
}

// FromConfig returns the loss with the given Keras name configured from
// a Keras config map, as Config returns it (or as decoded from JSON).
// A built-in loss reads "from_logits", "label_smoothing", "delta",
// "gamma", "alpha", "apply_class_balancing" and "axis"; other keys
// ("name", "reduction") are accepted and ignored. A registered custom
// loss gets cfg as it is, through its fromConfig.
func FromConfig(name string, cfg map[string]any) (Loss, error) {
	f, ok := builtin[name]
	if !ok {
		fc, ok := lookupCustom(name)
		if !ok {
			return nil, unknown(name)
		}
		if cfg == nil {
			cfg = map[string]any{}
		}
		l, err := fc(cfg)
		if err != nil {
			return nil, fmt.Errorf("%s: from config: %w", name, err)
		}
		if l == nil {
			return nil, fmt.Errorf("%s: from config: nil loss", name)
		}
		return l, nil
	}
	var opts []Option
	for _, key := range []string{"from_logits", "apply_class_balancing"} {
		v, ok := cfg[key]
		if !ok {
			continue
		}
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("%s: config %s: expected a bool, got %T", name, key, v)
		}
		if key == "from_logits" {
			opts = append(opts, FromLogits(b))
		} else {
			opts = append(opts, ApplyClassBalancing(b))
		}
	}
	numbers := []struct {
		key string
		opt func(float64) Option
	}{
		{"label_smoothing", LabelSmoothing}, {"delta", Delta}, {"gamma", Gamma}, {"alpha", Alpha},
		{"axis", func(x float64) Option { return Axis(int(x)) }},
	}
	for _, n := range numbers {
		v, ok := cfg[n.key]
		if !ok {
			continue
		}
		x, err := configval.Number(v)
		if err != nil {
			return nil, fmt.Errorf("%s: config %s: %w", name, n.key, err)
		}
		if n.key == "axis" && x != float64(int(x)) {
			return nil, fmt.Errorf("%s: config axis: expected an integer, got %v", name, x)
		}
		opts = append(opts, n.opt(x))
	}
	return f(opts...), nil
}

// Names lists the known loss names, built-in and registered, sorted.
func Names() []string {
	names := make([]string, 0, len(builtin))
	for n := range builtin {
		names = append(names, n)
	}
	custom.RLock()
	for n := range custom.m {
		names = append(names, n)
	}
	custom.RUnlock()
	slices.Sort(names)
	return names
}
