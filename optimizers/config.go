package optimizers

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gokeras/keras/internal/configval"
)

// kerasClasses maps the registry's names to Keras's class names, used in
// saved configs ({"class_name": "Adam", "config": {...}}).
var kerasClasses = map[string]string{
	"adadelta": "Adadelta",
	"adagrad":  "Adagrad",
	"adam":     "Adam",
	"adamax":   "Adamax",
	"adamw":    "AdamW",
	"nadam":    "Nadam",
	"rmsprop":  "RMSprop",
	"sgd":      "SGD",
}

// ClassName returns Keras's class name of an optimizer ("Adam", "SGD",
// "RMSprop"), as saved in a model file; for an optimizer this package
// does not know it returns its Name.
func ClassName(o Optimizer) string {
	if c, ok := kerasClasses[o.Name()]; ok {
		return c
	}
	return o.Name()
}

// FromConfig returns a new optimizer from its Keras class name (or any
// name Get accepts) and config, as Config returns it or as decoded from
// JSON: learning_rate (a number or a serialized schedule), the clipping
// options, weight_decay and the optimizer's own hyper-parameters. Keys
// with a null value keep Keras's default; keys the optimizer does not take
// ("name", "use_ema", ...) are ignored. Values out of range make Build
// and Apply return an error wrapping ErrInvalidOption, as the
// constructors do.
func FromConfig(className string, cfg map[string]any) (Optimizer, error) {
	f, ok := registry[strings.ToLower(strings.TrimSpace(className))]
	if !ok {
		return nil, fmt.Errorf("optimizers: %w %q; known names: %s", ErrUnknownOptimizer, className, strings.Join(Names(), ", "))
	}
	takes := f().Config()
	var opts []Option
	for _, key := range sortedKeys(cfg) {
		v := cfg[key]
		if _, ok := takes[key]; !ok || v == nil || key == "name" {
			continue
		}
		o, err := option(key, v)
		if err != nil {
			return nil, fmt.Errorf("optimizers: %s config %s: %w", className, key, err)
		}
		if o != nil {
			opts = append(opts, o)
		}
	}
	return f(opts...), nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// option turns one config key into the Option that sets it.
func option(key string, v any) (Option, error) {
	switch key {
	case "nesterov", "amsgrad", "centered":
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("expected a bool, got %T", v)
		}
		switch key {
		case "nesterov":
			return Nesterov(b), nil
		case "amsgrad":
			return Amsgrad(b), nil
		default:
			return Centered(b), nil
		}
	case "learning_rate":
		if m, ok := v.(map[string]any); ok {
			s, err := ScheduleFromConfig(m)
			if err != nil {
				return nil, err
			}
			return Schedule(s), nil
		}
	}
	x, err := configval.Number(v)
	if err != nil {
		return nil, err
	}
	switch key {
	case "learning_rate":
		return LearningRate(x), nil
	case "momentum":
		return Momentum(x), nil
	case "beta_1":
		return Beta1(x), nil
	case "beta_2":
		return Beta2(x), nil
	case "epsilon":
		return Epsilon(x), nil
	case "rho":
		return Rho(x), nil
	case "initial_accumulator_value":
		return InitialAccumulatorValue(x), nil
	case "clipnorm":
		return ClipNorm(x), nil
	case "clipvalue":
		return ClipValue(x), nil
	case "global_clipnorm":
		return GlobalClipNorm(x), nil
	case "weight_decay":
		return WeightDecay(x), nil
	}
	return nil, nil
}

// ScheduleFromConfig rebuilds a learning-rate schedule from its Keras
// form {"class_name": "ExponentialDecay", "config": {...}}:
// ExponentialDecay, PiecewiseConstantDecay, InverseTimeDecay and
// CosineDecay (with or without warmup). Invalid values are errors, not
// panics.
func ScheduleFromConfig(m map[string]any) (LearningRateSchedule, error) {
	class, _ := m["class_name"].(string)
	cfg, ok := m["config"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schedule %q: config must be an object", class)
	}
	num := func(key string, def *float64) (float64, error) {
		v, ok := cfg[key]
		if !ok || v == nil {
			if def != nil {
				return *def, nil
			}
			return 0, fmt.Errorf("schedule %s: config needs %s", class, key)
		}
		x, err := configval.Number(v)
		if err != nil {
			return 0, fmt.Errorf("schedule %s: config %s: %w", class, key, err)
		}
		return x, nil
	}
	steps := func(key string, def *float64, min int64) (int64, error) {
		x, err := num(key, def)
		if err != nil {
			return 0, err
		}
		if x != math.Trunc(x) || x < float64(min) || x > 1<<53 {
			return 0, fmt.Errorf("schedule %s: config %s must be a whole number >= %d, got %v", class, key, min, x)
		}
		return int64(x), nil
	}
	flag := func(key string) (bool, error) {
		v, ok := cfg[key]
		if !ok || v == nil {
			return false, nil
		}
		b, ok := v.(bool)
		if !ok {
			return false, fmt.Errorf("schedule %s: config %s: expected a bool, got %T", class, key, v)
		}
		return b, nil
	}
	zero := 0.0
	switch class {
	case "ExponentialDecay", "InverseTimeDecay":
		lr, err := num("initial_learning_rate", nil)
		if err != nil {
			return nil, err
		}
		ds, err := steps("decay_steps", nil, 1)
		if err != nil {
			return nil, err
		}
		rate, err := num("decay_rate", nil)
		if err != nil {
			return nil, err
		}
		stair, err := flag("staircase")
		if err != nil {
			return nil, err
		}
		if class == "ExponentialDecay" {
			return ExponentialDecay(lr, ds, rate, stair), nil
		}
		return InverseTimeDecay(lr, ds, rate, stair), nil
	case "CosineDecay":
		lr, err := num("initial_learning_rate", nil)
		if err != nil {
			return nil, err
		}
		ds, err := steps("decay_steps", nil, 1)
		if err != nil {
			return nil, err
		}
		alpha, err := num("alpha", &zero)
		if err != nil {
			return nil, err
		}
		if t, ok := cfg["warmup_target"]; ok && t != nil {
			target, err := num("warmup_target", nil)
			if err != nil {
				return nil, err
			}
			ws, err := steps("warmup_steps", &zero, 0)
			if err != nil {
				return nil, err
			}
			return CosineDecayWithWarmup(lr, ds, alpha, target, ws), nil
		}
		return CosineDecay(lr, ds, alpha), nil
	case "PiecewiseConstantDecay":
		bs, _ := cfg["boundaries"].([]any)
		vs, _ := cfg["values"].([]any)
		if len(vs) == 0 || len(bs) != len(vs)-1 {
			return nil, fmt.Errorf("schedule %s: want one more value than boundaries, got %d and %d", class, len(bs), len(vs))
		}
		bounds := make([]int64, len(bs))
		for i, b := range bs {
			x, err := configval.Number(b)
			if err != nil || x != math.Trunc(x) || math.Abs(x) > 1<<53 {
				return nil, fmt.Errorf("schedule %s: boundary %d must be a whole number, got %v", class, i, b)
			}
			bounds[i] = int64(x)
			if i > 0 && bounds[i] <= bounds[i-1] {
				return nil, fmt.Errorf("schedule %s: boundaries must increase strictly, got %v", class, bs)
			}
		}
		values := make([]float64, len(vs))
		for i, v := range vs {
			x, err := configval.Number(v)
			if err != nil {
				return nil, fmt.Errorf("schedule %s: value %d: %w", class, i, err)
			}
			values[i] = x
		}
		return PiecewiseConstantDecay(bounds, values), nil
	}
	return nil, fmt.Errorf("unknown learning rate schedule %q (known: CosineDecay, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay)", class)
}
