package callbacks

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestReduceLROnPlateau(t *testing.T) {
	// Expected rates follow keras/src/callbacks/reduce_lr_on_plateau.py:
	// improvement is current < best - min_delta; in cooldown the counter
	// decrements and wait is held at 0; otherwise wait += 1 and at
	// wait >= patience, if lr > float32(min_lr), lr = max(lr*factor,
	// min_lr), cooldown restarts and wait = 0. logs["learning_rate"] is
	// the rate in use during the epoch.
	flat := []float64{1, 1, 1, 1, 1, 1, 1, 1, 1}
	tests := []struct {
		name    string
		opts    []Option
		monitor string
		seq     []float64
		want    []float64 // learning_rate logged at each epoch end
		final   float64
	}{
		{"patience 2", []Option{Factor(0.5), Patience(2)}, "val_loss", flat,
			[]float64{1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.125, 0.125}, 0.0625},
		{"cooldown 2", []Option{Factor(0.5), Patience(2), Cooldown(2)}, "val_loss", flat,
			[]float64{1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25}, 0.125},
		// min_lr 0.3: 0.5 -> max(0.25, 0.3) = 0.3, then 0.3 is not above
		// float32(0.3), so it stays.
		{"min_lr", []Option{Factor(0.5), Patience(2), MinLR(0.3)}, "val_loss", flat,
			[]float64{1, 1, 1, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3}, 0.3},
		// Improvements smaller than min_delta (Keras default 1e-4) do not
		// count.
		{"min_delta default", []Option{Factor(0.5), Patience(1)}, "val_loss",
			[]float64{1, 0.99995, 0.9999, 0.9}, []float64{1, 1, 0.5, 0.25}, 0.25},
		{"improvement resets wait", []Option{Factor(0.5), Patience(2)}, "val_loss",
			[]float64{1, 1, 0.5, 0.5, 0.2, 0.2, 0.2}, []float64{1, 1, 1, 1, 1, 1, 1}, 0.5},
		// auto mode maximises names containing "acc".
		{"auto max for val_acc", []Option{Monitor("val_acc"), Factor(0.5), Patience(1)}, "val_acc",
			[]float64{0.5, 0.6, 0.6, 0.7}, []float64{1, 1, 1, 0.5}, 0.5},
		// Default factor 0.1, patience 10.
		{"defaults", nil, "val_loss", []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
			[]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.1}, 0.1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &fakeModel{lr: 1}
			c := ReduceLROnPlateau(append(tc.opts, Output(nil))...)
			c.SetModel(m)
			if err := c.OnTrainBegin(nil); err != nil {
				t.Fatal(err)
			}
			var got []float64
			for e, v := range tc.seq {
				logs := Logs{tc.monitor: v}
				if err := c.OnEpochEnd(e, logs); err != nil {
					t.Fatal(err)
				}
				got = append(got, logs["learning_rate"])
			}
			if !equalFloats(got, tc.want) || !closeTo(m.lr, tc.final) {
				t.Errorf("learning rates %v then %v, want %v then %v", got, m.lr, tc.want, tc.final)
			}
		})
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !closeTo(a[i], b[i]) {
			return false
		}
	}
	return true
}

func closeTo(a, b float64) bool { return a == b || (a-b < 1e-12 && b-a < 1e-12) }

func TestReduceLROnPlateauFactorError(t *testing.T) {
	// Keras raises ValueError for factor >= 1.0.
	c := ReduceLROnPlateau(Factor(1))
	c.SetModel(&fakeModel{lr: 1})
	if err := c.OnTrainBegin(nil); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("factor 1: got %v, want ErrInvalidOption", err)
	}
}

func TestReduceLROnPlateauMessages(t *testing.T) {
	var out bytes.Buffer
	c := ReduceLROnPlateau(Patience(1), Verbose(1), Mode("sideways"), Output(&out))
	m := &fakeModel{lr: 0.01}
	c.SetModel(m)
	if err := c.OnTrainBegin(nil); err != nil {
		t.Fatal(err)
	}
	c.OnEpochEnd(0, Logs{"val_loss": 1})
	c.OnEpochEnd(1, Logs{"val_loss": 1})
	c.OnEpochEnd(2, Logs{"loss": 1})
	c.OnEpochEnd(3, Logs{"loss": 1})
	s := out.String()
	for _, want := range []string{
		`Learning rate reduction mode "sideways" is unknown, fallback to auto mode.`,
		"\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.001.\n",
		"Learning rate reduction is conditioned on metric `val_loss` which is not available. Available metrics are: learning_rate,loss.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output %q lacks %q", s, want)
		}
	}
	if n := strings.Count(s, "not available"); n != 1 {
		t.Errorf("missing-metric warning printed %d times, want once", n)
	}
}
