package keras_test

import (
	"strings"
	"testing"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
)

// The MNIST MLP of seed 001 with 30 hidden units has 784*30+30 + 30*10+10
// = 23,860 parameters.
func TestSummary(t *testing.T) {
	m := keras.Sequential(
		keras.Input(28, 28),
		layers.Flatten(),
		layers.Dense(30, layers.Activation("relu")),
		layers.Dense(10, layers.Activation("softmax")),
	)
	s := m.Summary()
	for _, want := range []string{
		`Model: "sequential"`,
		"│ flatten (Flatten)               │ (None, 784)            │             0 │",
		"│ dense (Dense)                   │ (None, 30)             │        23,550 │",
		"│ dense_1 (Dense)                 │ (None, 10)             │           310 │",
		"Total params: 23,860 (93.20 KB)",
		"Trainable params: 23,860",
		"Non-trainable params: 0",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	if m.CountParams() != 23860 {
		t.Errorf("CountParams = %d", m.CountParams())
	}
	unbuilt := keras.Sequential(layers.Dense(3)).Summary()
	if !strings.Contains(unbuilt, "0 (unbuilt)") {
		t.Errorf("unbuilt summary:\n%s", unbuilt)
	}
}
