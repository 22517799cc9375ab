package layers

import (
	"fmt"
	"github.com/gokeras/keras/activations"
	"math"
	"strings"

	"github.com/gokeras/keras/internal/configval"
)

// maxDim bounds every size read from a config, so that a corrupt file
// cannot ask for more memory than an int holds.
const maxDim = 1 << 31

// commonOptions reads the keys every layer's config shares: name and
// the declared input shape (Keras 2's batch_input_shape, Keras 3's
// batch_shape, or input_shape without the batch dimension).
func commonOptions(cfg map[string]any) ([]Option, error) {
	var opts []Option
	if v, ok := cfg["name"]; ok && v != nil {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("config name: expected a string, got %T", v)
		}
		opts = append(opts, Name(s))
	}
	shape, err := declaredShape(cfg)
	if err != nil {
		return nil, err
	}
	if shape != nil {
		opts = append(opts, InputShape(shape...))
	}
	return opts, nil
}

// declaredShape returns the sample shape declared in cfg, or nil.
func declaredShape(cfg map[string]any) ([]int, error) {
	for _, key := range []string{"batch_input_shape", "batch_shape"} {
		v, ok := cfg[key]
		if !ok || v == nil {
			continue
		}
		list, ok := v.([]any)
		if !ok || len(list) < 2 {
			return nil, fmt.Errorf("config %s: expected a list [null, d1, ...], got %v", key, v)
		}
		return dims(key, list[1:])
	}
	if v, ok := cfg["input_shape"]; ok && v != nil {
		list, ok := v.([]any)
		if !ok || len(list) == 0 {
			return nil, fmt.Errorf("config input_shape: expected a list [d1, ...], got %v", v)
		}
		return dims("input_shape", list)
	}
	return nil, nil
}

// dims reads a list of positive sizes.
func dims(key string, list []any) ([]int, error) {
	out := make([]int, len(list))
	total := 1
	for i, v := range list {
		d, err := intValue(key, v)
		if err != nil {
			return nil, err
		}
		if d <= 0 || d > maxDim {
			return nil, fmt.Errorf("config %s: dimension %d is %d, want 1..%d", key, i, d, maxDim)
		}
		total *= d
		if total > maxDim {
			return nil, fmt.Errorf("config %s: %v holds more than %d values", key, list, maxDim)
		}
		out[i] = d
	}
	return out, nil
}

// intValue reads a whole number (JSON numbers decode as float64).
func intValue(key string, v any) (int, error) {
	switch x := v.(type) {
	case int:
		return x, nil
	case int64:
		if x < -maxDim || x > maxDim {
			return 0, fmt.Errorf("config %s: %d is out of range", key, x)
		}
		return int(x), nil
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > maxDim {
			return 0, fmt.Errorf("config %s: expected a whole number up to %d, got %v", key, maxDim, x)
		}
		return int(x), nil
	}
	return 0, fmt.Errorf("config %s: expected a number, got %T", key, v)
}

// floatValue reads a finite number.
func floatValue(key string, v any) (float64, error) {
	f, err := configval.Number(v)
	if err != nil {
		return 0, fmt.Errorf("config %s: %w", key, err)
	}
	return f, nil
}

// stringValue reads an optional string: nil and a missing key give def.
func stringValue(cfg map[string]any, key, def string) (string, error) {
	v, ok := cfg[key]
	if !ok || v == nil {
		return def, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("config %s: expected a string, got %T", key, v)
	}
	return s, nil
}

// activationName reads an activation given by name (Keras's usual form)
// or as {"class_name": ..., "config": ...}, and checks that it is known.
func activationName(v any) (string, error) {
	name := "linear"
	switch x := v.(type) {
	case nil:
	case string:
		name = x
	case map[string]any:
		s, ok := x["class_name"].(string)
		if !ok {
			return "", fmt.Errorf("config activation: expected a name, got %v", v)
		}
		name = s
	default:
		return "", fmt.Errorf("config activation: expected a name, got %T", v)
	}
	if _, err := activations.GetActivation(name); err != nil {
		return "", err
	}
	if name == "" {
		name = "linear"
	}
	return name, nil
}

// InitializerFromConfig rebuilds an initializer from its Keras form: a
// name ("glorot_uniform") or {"class_name": ..., "config": {...}} with a
// snake-case or Keras class name ("GlorotUniform", "RandomNormal" with
// mean and stddev). Unknown names are errors listing the known ones.
func InitializerFromConfig(v any) (Initializer, error) {
	name, cfg, err := classAndConfig("initializer", v)
	if err != nil {
		return nil, err
	}
	num := func(key string, def float64) (float64, error) {
		x, ok := cfg[key]
		if !ok || x == nil {
			return def, nil
		}
		return floatValue(key, x)
	}
	switch name {
	case "variance_scaling":
		scale, err := num("scale", 1)
		if err != nil {
			return nil, err
		}
		mode, err := stringValue(cfg, "mode", "fan_in")
		if err != nil {
			return nil, err
		}
		dist, err := stringValue(cfg, "distribution", "truncated_normal")
		if err != nil {
			return nil, err
		}
		if !(scale > 0) {
			return nil, fmt.Errorf("variance_scaling: scale must be positive, got %v", scale)
		}
		switch mode {
		case "fan_in", "fan_out", "fan_avg":
		default:
			return nil, fmt.Errorf("variance_scaling: mode must be fan_in, fan_out or fan_avg, got %q", mode)
		}
		switch dist {
		case "normal", "truncated_normal", "untruncated_normal", "uniform":
		default:
			return nil, fmt.Errorf("variance_scaling: unknown distribution %q", dist)
		}
		return VarianceScaling(scale, mode, dist), nil
	case "random_normal", "truncated_normal":
		mean, err := num("mean", 0)
		if err != nil {
			return nil, err
		}
		std, err := num("stddev", 0.05)
		if err != nil {
			return nil, err
		}
		if name == "truncated_normal" {
			return TruncatedNormal(mean, std), nil
		}
		return RandomNormal(mean, std), nil
	case "random_uniform":
		lo, err := num("minval", -0.05)
		if err != nil {
			return nil, err
		}
		hi, err := num("maxval", 0.05)
		if err != nil {
			return nil, err
		}
		return RandomUniform(lo, hi), nil
	case "constant":
		c, err := num("value", 0)
		if err != nil {
			return nil, err
		}
		return Constant(c), nil
	}
	return GetInitializer(name)
}

// RegularizerFromConfig rebuilds a regularizer from its Keras form: nil
// (none), a name ("l2") or {"class_name": "L2", "config": {"l2": 0.01}}.
func RegularizerFromConfig(v any) (Regularizer, error) {
	if v == nil {
		return nil, nil
	}
	name, cfg, err := classAndConfig("regularizer", v)
	if err != nil {
		return nil, err
	}
	factor := func(key string) (float64, bool, error) {
		x, ok := cfg[key]
		if !ok || x == nil {
			return 0, false, nil
		}
		f, err := floatValue(key, x)
		if err == nil && f < 0 {
			err = fmt.Errorf("%s: factor must be >= 0, got %v", name, f)
		}
		return f, true, err
	}
	l1, has1, err := factor("l1")
	if err != nil {
		return nil, err
	}
	l2, has2, err := factor("l2")
	if err != nil {
		return nil, err
	}
	switch {
	case name == "l1" && has1:
		return L1(l1), nil
	case name == "l2" && has2:
		return L2(l2), nil
	case name == "l1_l2" && (has1 || has2):
		return L1L2(l1, l2), nil
	}
	return GetRegularizer(name)
}

// classAndConfig splits a Keras object given by name or as
// {"class_name", "config"} into its snake-case name and config.
func classAndConfig(what string, v any) (string, map[string]any, error) {
	switch x := v.(type) {
	case string:
		return x, map[string]any{}, nil
	case map[string]any:
		name, ok := x["class_name"].(string)
		if !ok {
			return "", nil, fmt.Errorf("%s: expected {\"class_name\": ..., \"config\": ...}, got %v", what, v)
		}
		cfg := map[string]any{}
		if c, ok := x["config"]; ok && c != nil {
			if cfg, ok = c.(map[string]any); !ok {
				return "", nil, fmt.Errorf("%s %s: config must be an object, got %T", what, name, c)
			}
		}
		return snakeCase(name), cfg, nil
	}
	return "", nil, fmt.Errorf("%s: expected a name or {\"class_name\": ..., \"config\": ...}, got %T", what, v)
}

// snakeCase turns a Keras class name into its function name
// ("GlorotUniform" -> "glorot_uniform", "L1L2" -> "l1_l2"); snake-case
// names pass through.
func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 && s[i-1] != '_' {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// weightOptions reads an initializer and a regularizer key pair.
func weightOptions(cfg map[string]any, initKey, regKey string, def string) (any, any, error) {
	var init any = def
	if v, ok := cfg[initKey]; ok && v != nil {
		i, err := InitializerFromConfig(v)
		if err != nil {
			return nil, nil, fmt.Errorf("config %s: %w", initKey, err)
		}
		init = i
	}
	r, err := RegularizerFromConfig(cfg[regKey])
	if err != nil {
		return nil, nil, fmt.Errorf("config %s: %w", regKey, err)
	}
	var reg any
	if r != nil {
		reg = r
	}
	return init, reg, nil
}

func inputFromConfig(cfg map[string]any) (Layer, error) {
	shape, err := declaredShape(cfg)
	if err != nil {
		return nil, err
	}
	if shape == nil {
		return nil, fmt.Errorf("InputLayer config needs batch_shape, batch_input_shape or input_shape")
	}
	l := Input(shape...)
	if name, err := stringValue(cfg, "name", ""); err != nil {
		return nil, err
	} else if name != "" {
		l.SetName(name)
	}
	return l, nil
}

func denseFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	v, ok := cfg["units"]
	if !ok {
		return nil, fmt.Errorf("Dense config needs units")
	}
	units, err := intValue("units", v)
	if err != nil {
		return nil, err
	}
	if units <= 0 || units > maxDim {
		return nil, fmt.Errorf("config units: must be in 1..%d, got %d", maxDim, units)
	}
	act, err := activationName(cfg["activation"])
	if err != nil {
		return nil, err
	}
	opts = append(opts, Activation(act))
	if v, ok := cfg["use_bias"]; ok && v != nil {
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("config use_bias: expected a bool, got %T", v)
		}
		opts = append(opts, UseBias(b))
	}
	kInit, kReg, err := weightOptions(cfg, "kernel_initializer", "kernel_regularizer", "glorot_uniform")
	if err != nil {
		return nil, err
	}
	bInit, bReg, err := weightOptions(cfg, "bias_initializer", "bias_regularizer", "zeros")
	if err != nil {
		return nil, err
	}
	opts = append(opts, KernelInitializer(kInit), BiasInitializer(bInit), KernelRegularizer(kReg), BiasRegularizer(bReg))
	return Dense(units, opts...), nil
}

func activationFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	act, err := activationName(cfg["activation"])
	if err != nil {
		return nil, err
	}
	a := Activation(act)
	c := newConfig(opts)
	a.Base = newBase(c)
	return a, nil
}

func dropoutFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	v, ok := cfg["rate"]
	if !ok {
		return nil, fmt.Errorf("Dropout config needs rate")
	}
	rate, err := floatValue("rate", v)
	if err != nil {
		return nil, err
	}
	if rate < 0 || rate >= 1 {
		return nil, fmt.Errorf("config rate: must be in [0, 1), got %v", rate)
	}
	return DropoutWith(rate, opts...), nil
}

func flattenFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	if f, err := stringValue(cfg, "data_format", "channels_last"); err != nil {
		return nil, err
	} else if f != "channels_last" {
		return nil, fmt.Errorf("config data_format: only channels_last is supported, got %q", f)
	}
	return FlattenWith(opts...), nil
}

func reshapeFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	v, ok := cfg["target_shape"].([]any)
	if !ok || len(v) == 0 {
		return nil, fmt.Errorf("Reshape config needs target_shape, a list of sizes")
	}
	target := make([]int, len(v))
	for i, x := range v {
		d, err := intValue("target_shape", x)
		if err != nil {
			return nil, err
		}
		if d == 0 || d < -1 || d > maxDim {
			return nil, fmt.Errorf("config target_shape: dimension %d is %d, want -1 or 1..%d", i, d, maxDim)
		}
		target[i] = d
	}
	return ReshapeWith(target, opts...), nil
}
