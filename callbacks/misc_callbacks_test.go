package callbacks

import (
	"bytes"
	"errors"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestLearningRateScheduler(t *testing.T) {
	// Keras docstring: keep the rate for the first epochs, then multiply by
	// exp(-0.1) per epoch; schedule gets (epoch from 0, current lr).
	schedule := func(epoch int, lr float64) float64 {
		if epoch < 2 {
			return lr
		}
		return lr * math.Exp(-0.1)
	}
	m := &fakeModel{lr: 0.01}
	c := LearningRateScheduler(schedule)
	c.SetModel(m)
	var logged []float64
	for e := range 5 {
		if err := c.OnEpochBegin(e, nil); err != nil {
			t.Fatal(err)
		}
		logs := Logs{"loss": 1}
		c.OnEpochEnd(e, logs)
		logged = append(logged, logs["learning_rate"])
	}
	d := math.Exp(-0.1)
	want := []float64{0.01, 0.01, 0.01 * d, 0.01 * d * d, 0.01 * d * d * d}
	if !equalFloats(logged, want) {
		t.Errorf("learning rates %v, want %v", logged, want)
	}
	bad := LearningRateScheduler(func(int, float64) float64 { return math.NaN() })
	bad.SetModel(m)
	if err := bad.OnEpochBegin(0, nil); err == nil {
		t.Error("a NaN learning rate was accepted")
	}
	neg := LearningRateScheduler(func(int, float64) float64 { return -1 })
	neg.SetModel(m)
	if err := neg.OnEpochBegin(0, nil); err == nil {
		t.Error("the model's SetLearningRate error was dropped")
	}
}

func TestTerminateOnNaN(t *testing.T) {
	// Keras: a NaN or Inf "loss" at a batch end stops training and prints
	// "Batch N: Invalid loss, terminating training".
	tests := []struct {
		loss     float64
		wantStop bool
	}{{0.5, false}, {math.NaN(), true}, {math.Inf(1), true}, {math.Inf(-1), true}}
	for _, tc := range tests {
		var out bytes.Buffer
		m := &fakeModel{}
		c := TerminateOnNaN()
		c.(*terminateOnNaN).w = &out
		c.SetModel(m)
		c.OnTrainBatchEnd(3, Logs{"loss": 0.1})
		c.OnTrainBatchEnd(4, Logs{"loss": tc.loss})
		if m.stopped != tc.wantStop {
			t.Errorf("loss %v: stopped %v, want %v", tc.loss, m.stopped, tc.wantStop)
		}
		want := ""
		if tc.wantStop {
			want = "Batch 4: Invalid loss, terminating training\n"
		}
		if out.String() != want {
			t.Errorf("loss %v: printed %q, want %q", tc.loss, out.String(), want)
		}
	}
}

func TestLambdaCallback(t *testing.T) {
	var events []string
	stop := errors.New("stop")
	c := LambdaCallback(Lambda{
		OnTrainBegin: func(Logs) error { events = append(events, "train_begin"); return nil },
		OnEpochEnd: func(epoch int, logs Logs) error {
			events = append(events, "epoch_end")
			if epoch == 1 {
				return stop
			}
			return nil
		},
		OnPredictBatchEnd: func(int, Logs) error { events = append(events, "predict_batch_end"); return nil },
	})
	c.SetModel(&fakeModel{})
	c.OnTrainBegin(nil)
	c.OnEpochBegin(0, nil) // no function: no-op
	if err := c.OnEpochEnd(0, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.OnEpochEnd(1, nil); !errors.Is(err, stop) {
		t.Errorf("got %v, want the function's error", err)
	}
	c.OnPredictBatchEnd(0, nil)
	c.OnTestEnd(nil)
	if want := []string{"train_begin", "epoch_end", "epoch_end", "predict_batch_end"}; len(events) != 4 || events[3] != want[3] {
		t.Errorf("events %v, want %v", events, want)
	}
}

func TestLossPlot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loss.png")
	c := LossPlot(path)
	c.SetModel(&fakeModel{})
	c.OnTrainBegin(nil)
	for e := range 6 {
		logs := Logs{"loss": 1 / float64(e+1), "val_loss": 1.2 / float64(e+1)}
		if e == 2 {
			delete(logs, "val_loss")
		}
		c.OnEpochEnd(e, logs)
	}
	if err := c.OnTrainEnd(nil); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 200 || b.Dy() < 150 {
		t.Errorf("picture is %v", b)
	}

	none := LossPlot(filepath.Join(t.TempDir(), "x.png"), Keys("accuracy"))
	none.OnTrainBegin(nil)
	none.OnEpochEnd(0, Logs{"loss": 1})
	if err := none.OnTrainEnd(nil); err == nil {
		t.Error("LossPlot with a key never logged returned no error")
	}
}
