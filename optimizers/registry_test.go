package optimizers

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestGet(t *testing.T) {
	for _, name := range []string{"sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam"} {
		opt, err := Get(name)
		if err != nil || opt.Name() != name {
			t.Errorf("Get(%q) = %v, %v", name, opt, err)
		}
	}
	// Keras lower-cases the identifier: "Adam", "RMSprop", "SGD" work.
	for _, name := range []string{"Adam", "RMSprop", "SGD"} {
		if opt, err := Get(name); err != nil || opt.Name() != strings.ToLower(name) {
			t.Errorf("Get(%q) = %v, %v", name, opt, err)
		}
	}
	// Each call makes a new optimizer.
	a, _ := Get("adam")
	b, _ := Get("adam")
	if a == b {
		t.Error("Get returned the same optimizer twice")
	}
}

func TestGetUnknown(t *testing.T) {
	_, err := Get("adamm")
	if !errors.Is(err, ErrUnknownOptimizer) {
		t.Fatalf("Get(adamm) error = %v, want ErrUnknownOptimizer", err)
	}
	want := `optimizers: unknown optimizer "adamm"; known names: adadelta, adagrad, adam, adamax, adamw, nadam, rmsprop, sgd`
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

func TestNames(t *testing.T) {
	want := []string{"adadelta", "adagrad", "adam", "adamax", "adamw", "nadam", "rmsprop", "sgd"}
	if got := Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
}
