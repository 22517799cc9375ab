// Package configval reads values out of Keras-style configs decoded from
// JSON (map[string]any), for the packages that rebuild layers, losses and
// optimizers from a saved model.
package configval

import (
	"fmt"
	"math"
)

// Number reads a finite number. JSON numbers decode as float64; configs
// built in Go may hold float32, int or int64.
func Number(v any) (float64, error) {
	var x float64
	switch n := v.(type) {
	case float64:
		x = n
	case float32:
		x = float64(n)
	case int:
		x = float64(n)
	case int64:
		x = float64(n)
	default:
		return 0, fmt.Errorf("expected a number, got %T", v)
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("expected a finite number, got %v", x)
	}
	return x, nil
}
