package callbacks

import (
	"bytes"
	"strings"
	"testing"
)

// runEpochs drives c as Keras's fit loop does over scripted epoch logs:
// the model's weights become weightsFor(epoch) before each epoch ends, and
// the loop ends after the epoch in which StopTraining was called. It
// returns the number of epochs run.
func runEpochs(t *testing.T, c Callback, m *fakeModel, monitor string, seq []float64) int {
	t.Helper()
	c.SetModel(m)
	c.SetParams(Params{Epochs: len(seq), Steps: 1})
	if err := c.OnTrainBegin(nil); err != nil {
		t.Fatal(err)
	}
	run := 0
	for e, v := range seq {
		if err := c.OnEpochBegin(e, nil); err != nil {
			t.Fatal(err)
		}
		m.weights = weightsFor(e)
		run++
		if err := c.OnEpochEnd(e, Logs{monitor: v, "other": 1}); err != nil {
			t.Fatal(err)
		}
		if m.stopped {
			break
		}
	}
	if err := c.OnTrainEnd(nil); err != nil {
		t.Fatal(err)
	}
	return run
}

func TestEarlyStopping(t *testing.T) {
	// Expected epochs follow keras/src/callbacks/early_stopping.py
	// (Keras 3): wait += 1 each watched epoch; an improvement over the best
	// (the first watched epoch always is one) resets wait only if it also
	// beats the baseline; stop when wait >= patience and epoch > 0.
	tests := []struct {
		name     string
		opts     []Option
		monitor  string
		seq      []float64
		wantRun  int // epochs run
		wantBest int // epoch whose weights are restored, -1 for none
	}{
		// Keras docstring: monitor='loss', patience=3 on a loss that does
		// not improve: "Only 4 epochs are run."
		{"keras doc example", []Option{Monitor("loss"), Patience(3)}, "loss",
			[]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 4, -1},
		// patience=0 (Keras default): the first epoch without improvement
		// stops training.
		{"default patience 0", nil, "val_loss", []float64{0.5, 0.6, 0.4}, 2, -1},
		{"patience 2 resets on improvement", []Option{Patience(2)}, "val_loss",
			[]float64{1.0, 0.9, 0.95, 0.8, 0.85, 0.86, 0.7}, 6, -1},
		{"restore best weights on stop", []Option{Patience(2), RestoreBestWeights(true)}, "val_loss",
			[]float64{1.0, 0.9, 0.95, 0.8, 0.85, 0.86, 0.7}, 6, 3},
		// Keras 3 restores at train end even when training did not stop.
		{"restore best weights without stop", []Option{Patience(5), RestoreBestWeights(true)}, "val_loss",
			[]float64{1.0, 0.5, 0.7}, 3, 1},
		// min_delta: 0.97 is not below 1.0 by more than 0.05.
		{"min_delta", []Option{MinDelta(0.05), Patience(1), RestoreBestWeights(true)}, "val_loss",
			[]float64{1.0, 0.97, 0.96, 0.90}, 2, 0},
		// A negative min_delta counts as its absolute value (Keras takes abs).
		{"negative min_delta", []Option{MinDelta(-0.05), Patience(1)}, "val_loss",
			[]float64{1.0, 0.97, 0.96, 0.90}, 2, -1},
		// baseline: improvements that stay above the baseline do not reset
		// wait, so the first non-improving epoch after patience stops.
		{"baseline never beaten", []Option{Baseline(0.5), Patience(2), RestoreBestWeights(true)}, "val_loss",
			[]float64{0.9, 0.8, 0.85, 0.86}, 3, 1},
		{"baseline beaten resets wait", []Option{Baseline(0.85), Patience(1)}, "val_loss",
			[]float64{0.9, 0.8, 0.82, 0.7}, 3, -1},
		// start_from_epoch: epochs 0 and 1 are not watched.
		{"start_from_epoch", []Option{StartFromEpoch(2), RestoreBestWeights(true)}, "val_loss",
			[]float64{5, 6, 7, 8, 9}, 4, 2},
		// auto mode maximises accuracy.
		{"auto max for accuracy", []Option{Monitor("val_accuracy"), Patience(1), RestoreBestWeights(true)}, "val_accuracy",
			[]float64{0.5, 0.6, 0.55, 0.58}, 3, 1},
		{"mode max", []Option{Monitor("score"), Mode("max"), Patience(1)}, "score",
			[]float64{1, 2, 3, 2.5, 4}, 4, -1},
		{"mode min on accuracy", []Option{Monitor("acc"), Mode("min"), Patience(1)}, "acc",
			[]float64{0.5, 0.6, 0.7}, 2, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &fakeModel{}
			c := EarlyStopping(append(tc.opts, Output(nil))...)
			got := runEpochs(t, c, m, tc.monitor, tc.seq)
			if got != tc.wantRun {
				t.Errorf("ran %d epochs, want %d", got, tc.wantRun)
			}
			if tc.wantBest < 0 {
				if len(m.restored) != 0 {
					t.Errorf("weights restored %d times, want none", len(m.restored))
				}
				return
			}
			if len(m.restored) != 1 {
				t.Fatalf("weights restored %d times, want once", len(m.restored))
			}
			if g, w := weightsText(m.weights), weightsText(weightsFor(tc.wantBest)); g != w {
				t.Errorf("restored weights\n%s\nwant those of epoch %d\n%s", g, tc.wantBest, w)
			}
		})
	}
}

func TestEarlyStoppingMissingMonitorWarnsOnce(t *testing.T) {
	var out bytes.Buffer
	c := EarlyStopping(Output(&out))
	m := &fakeModel{}
	run := runEpochs(t, c, m, "loss", []float64{3, 3, 3, 3})
	if run != 4 || m.stopped {
		t.Errorf("ran %d epochs (stopped %v), want all 4: a missing val_loss is skipped", run, m.stopped)
	}
	if n := strings.Count(out.String(), "Early stopping conditioned on metric `val_loss` which is not available"); n != 1 {
		t.Errorf("warned %d times, want once:\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "Available metrics are: loss,other") {
		t.Errorf("warning does not list the logs: %q", out.String())
	}
}

func TestEarlyStoppingVerboseAndReuse(t *testing.T) {
	var out bytes.Buffer
	c := EarlyStopping(Monitor("loss"), Patience(1), RestoreBestWeights(true), Verbose(1), Output(&out))
	m := &fakeModel{}
	if run := runEpochs(t, c, m, "loss", []float64{1, 0.5, 0.6, 0.7}); run != 3 {
		t.Fatalf("ran %d epochs, want 3", run)
	}
	want := "Epoch 3: early stopping\nRestoring model weights from the end of the best epoch: 2.\n"
	if out.String() != want {
		t.Errorf("messages %q, want %q", out.String(), want)
	}
	// OnTrainBegin resets the state, so the callback serves a second Fit.
	m2 := &fakeModel{}
	if run := runEpochs(t, c, m2, "loss", []float64{2, 1, 0.5}); run != 3 || m2.stopped {
		t.Errorf("second run: ran %d epochs, stopped %v; want 3, false", run, m2.stopped)
	}
}
