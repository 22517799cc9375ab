package rnn

import (
	"fmt"
	"math"
)

// Float is the element type of the kernels: float32 or float64.
type Float interface{ ~float32 | ~float64 }

// Activation is an activation the fused ops apply inside the recurrence.
// Each one's derivative is a function of its output, which is what the
// backward pass keeps; that is why the set is closed.
type Activation int

// The activations, under Keras 3's names (see ParseActivation).
const (
	Tanh              Activation = iota // tanh
	Sigmoid                             // sigmoid: 1/(1+exp(-x))
	HardSigmoid                         // hard_sigmoid: relu6(x+3)/6, Keras 3's definition
	Relu                                // relu: max(x, 0)
	Linear                              // linear: x
	Softsign                            // softsign: x/(1+|x|)
	Elu                                 // elu with alpha 1: x if x > 0, exp(x)-1 otherwise
	HardSigmoidKeras2                   // hard_sigmoid_keras2: clip(0.2x+0.5, 0, 1), Keras 2's hard_sigmoid
)

var activationNames = [...]string{
	Tanh:        "tanh",
	Sigmoid:     "sigmoid",
	HardSigmoid: "hard_sigmoid",
	Relu:        "relu",
	Linear:      "linear",
	Softsign:    "softsign",
	Elu:         "elu",

	HardSigmoidKeras2: "hard_sigmoid_keras2",
}

// String is the activation's Keras name.
func (a Activation) String() string {
	if a >= 0 && int(a) < len(activationNames) {
		return activationNames[a]
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

// ParseActivation returns the activation with Keras name s ("tanh",
// "sigmoid", "hard_sigmoid", "relu", "linear", "softsign", "elu"; "" and
// "None" mean "linear", as Keras's activations.get(None)).
func ParseActivation(s string) (Activation, error) {
	if s == "" || s == "None" {
		return Linear, nil
	}
	for i, n := range activationNames {
		if n == s {
			return Activation(i), nil
		}
	}
	return 0, fmt.Errorf("activation %q is not supported inside a recurrent layer (supported: %v)", s, activationNames)
}

func (a Activation) valid() bool { return a >= 0 && int(a) < len(activationNames) }

func sigmoid64(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// apply writes a(src[i]) to dst[i]; dst and src may be the same slice.
func apply[T Float](a Activation, dst, src []T) {
	dst = dst[:len(src)]
	switch a {
	case Tanh:
		for i, v := range src {
			dst[i] = T(math.Tanh(float64(v)))
		}
	case Sigmoid:
		for i, v := range src {
			dst[i] = T(sigmoid64(float64(v)))
		}
	case HardSigmoid:
		for i, v := range src {
			y := v/6 + 0.5
			if y < 0 {
				y = 0
			} else if y > 1 {
				y = 1
			}
			dst[i] = y
		}
	case HardSigmoidKeras2:
		for i, v := range src {
			dst[i] = min(max(0.2*v+0.5, 0), 1)
		}
	case Relu:
		for i, v := range src {
			if v < 0 {
				v = 0
			}
			dst[i] = v
		}
	case Linear:
		copy(dst, src)
	case Softsign:
		for i, v := range src {
			dst[i] = v / (1 + T(math.Abs(float64(v))))
		}
	case Elu:
		for i, v := range src {
			if v <= 0 {
				v = T(math.Expm1(float64(v)))
			}
			dst[i] = v
		}
	}
}

// deriv is a'(x) written with y = a(x). At a kink (relu at 0, the ends
// of hard_sigmoid) it is the one-sided value Keras's backends use.
func deriv[T Float](a Activation, y T) T {
	switch a {
	case Tanh:
		return 1 - y*y
	case Sigmoid:
		return y * (1 - y)
	case HardSigmoid:
		if y > 0 && y < 1 {
			return 1.0 / 6
		}
		return 0
	case HardSigmoidKeras2:
		if y > 0 && y < 1 {
			return 0.2
		}
		return 0
	case Relu:
		if y > 0 {
			return 1
		}
		return 0
	case Softsign:
		d := 1 - T(math.Abs(float64(y)))
		return d * d
	case Elu:
		if y > 0 {
			return 1
		}
		return y + 1
	}
	return 1 // Linear
}

// mulDeriv writes g[i]*a'(x_i) to dst[i], where y[i] = a(x_i).
func mulDeriv[T Float](a Activation, dst, g, y []T) {
	dst = dst[:len(g)]
	y = y[:len(g)]
	switch a {
	case Tanh:
		for i, v := range y {
			dst[i] = g[i] * (1 - v*v)
		}
	case Sigmoid:
		for i, v := range y {
			dst[i] = g[i] * v * (1 - v)
		}
	case Linear:
		copy(dst, g)
	default:
		for i, v := range y {
			dst[i] = g[i] * deriv(a, v)
		}
	}
}
