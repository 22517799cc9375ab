package keras_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/keras"
)

// A callback returning callbacks.ErrStopTraining ends Fit after that
// epoch, without an error, as Keras's model.stop_training = True.
func TestErrStopTraining(t *testing.T) {
	m := newModel(t, 1)
	stop := callbacks.LambdaCallback(callbacks.Lambda{OnEpochEnd: func(epoch int, _ callbacks.Logs) error {
		if epoch == 2 {
			return callbacks.ErrStopTraining
		}
		return nil
	}})
	x, y := xorData()
	h, err := m.Fit(x, y, keras.Epochs(10), keras.Verbose(0), keras.Callbacks(stop))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(h.History["loss"]); n != 3 {
		t.Errorf("%d epochs, want 3", n)
	}
}

// Verbose 1 into a pipe or file (not a terminal), and verbose 2, print one
// line per epoch, each with the epoch, the loss and the metrics, and no
// carriage-return frames.
func TestVerboseNotTerminal(t *testing.T) {
	for _, v := range []int{1, 2} {
		m := newModel(t, 1)
		var out bytes.Buffer
		x, y := xorData()
		if _, err := m.Fit(x, y, keras.Epochs(5), keras.BatchSize(1), keras.Verbose(v), keras.Output(&out), keras.ValidationData(x, y)); err != nil {
			t.Fatal(err)
		}
		s := out.String()
		if strings.Contains(s, "\r") {
			t.Errorf("verbose %d: carriage returns in non-terminal output:\n%q", v, s)
		}
		lines := strings.Split(strings.TrimSpace(s), "\n")
		if len(lines) != 5 {
			t.Errorf("verbose %d: %d lines for 5 epochs, want 5:\n%s", v, len(lines), s)
		}
		for i, l := range lines {
			for _, want := range []string{fmt.Sprintf("Epoch %d/5", i+1), "loss: ", "accuracy: ", "val_loss: "} {
				if !strings.Contains(l, want) {
					t.Errorf("verbose %d: line %q lacks %q", v, l, want)
				}
			}
		}
	}
}

// Evaluate with Verbose(1) prints Keras's closing progress line, with the
// loss and metrics.
func TestEvaluateVerbose(t *testing.T) {
	m := newModel(t, 1)
	x, y := xorData()
	var out bytes.Buffer
	res, err := m.Evaluate(x, y, keras.BatchSize(3), keras.Verbose(1), keras.Output(&out))
	if err != nil {
		t.Fatal(err)
	}
	want := "2/2 - "
	s := out.String()
	if !strings.HasPrefix(s, want) || !strings.Contains(s, fmt.Sprintf("loss: %.4f", res["loss"])) || !strings.Contains(s, "accuracy: ") || strings.Count(s, "\n") != 1 {
		t.Errorf("Evaluate printed %q", s)
	}
}
