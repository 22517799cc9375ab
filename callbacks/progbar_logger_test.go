package callbacks

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// fitProgress drives a ProgbarLogger as keras's fit does.
func fitProgress(t *testing.T, c Callback, epochs, steps int) {
	t.Helper()
	c.SetParams(Params{Epochs: epochs, Steps: steps, Samples: steps * 32})
	c.OnTrainBegin(nil)
	for e := range epochs {
		c.OnEpochBegin(e, nil)
		for b := range steps {
			c.OnTrainBatchBegin(b, nil)
			c.OnTrainBatchEnd(b, Logs{"loss": 0.1234, "accuracy": 0.9})
		}
		c.OnTestBegin(nil)
		c.OnTestBatchEnd(0, Logs{"loss": 0.2})
		c.OnTestEnd(Logs{"loss": 0.2345})
		c.OnEpochEnd(e, Logs{"loss": 0.1234, "accuracy": 0.9, "val_loss": 0.2345,
			"val_accuracy": 0.875, "learning_rate": 0.001})
	}
	c.OnTrainEnd(nil)
}

func TestProgbarLoggerLines(t *testing.T) {
	// Without a terminal, verbose 1 and 2 print exactly one line per
	// epoch, naming the epoch: "Epoch 2/3 - 40/40 - 0s - 5ms/step - loss: ...".
	for _, verbose := range []int{1, 2} {
		var buf bytes.Buffer
		fitProgress(t, NewProgbarLogger(&buf, verbose), 3, 40)
		out := buf.String()
		if strings.ContainsAny(out, "\r\b\x1b") {
			t.Errorf("verbose %d: control characters in non-terminal output %q", verbose, out)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("verbose %d: %d lines, want 3 (one per epoch):\n%s", verbose, len(lines), out)
		}
		for e, l := range lines {
			if want := "Epoch " + string(rune('1'+e)) + "/3 - 40/40 - "; !strings.HasPrefix(l, want) {
				t.Errorf("verbose %d: line %d = %q, want it to start with %q", verbose, e, l, want)
			}
			if !strings.Contains(l, "/step - loss: 0.1234 - accuracy: 0.9000 - val_loss: 0.2345 - val_accuracy: 0.8750 - learning_rate: 1.0000e-03") {
				t.Errorf("verbose %d: epoch line %q", verbose, l)
			}
		}
	}
}

func TestProgbarLoggerSilentAndSingleEpoch(t *testing.T) {
	var buf bytes.Buffer
	fitProgress(t, NewProgbarLogger(&buf, 0), 2, 5)
	if buf.Len() != 0 {
		t.Errorf("verbose 0 printed %q", buf.String())
	}
	// Keras prints the "Epoch i/n" header only when epochs > 1.
	fitProgress(t, NewProgbarLogger(&buf, 1), 1, 5)
	if strings.Contains(buf.String(), "Epoch") || strings.Count(buf.String(), "\n") != 1 {
		t.Errorf("one epoch: %q", buf.String())
	}
}

func TestProgbarLoggerEvaluate(t *testing.T) {
	// Outside fit, evaluate shows its own bar.
	var buf bytes.Buffer
	c := NewProgbarLogger(&buf, 1)
	c.SetParams(Params{Steps: 3})
	c.OnTestBegin(nil)
	for b := range 3 {
		c.OnTestBatchEnd(b, Logs{"loss": 0.5})
	}
	c.OnTestEnd(Logs{"loss": 0.5})
	if got := buf.String(); !strings.HasPrefix(got, "3/3 - ") || !strings.HasSuffix(got, " - loss: 0.5000\n") {
		t.Errorf("evaluate line %q", got)
	}
}

func TestProgbarTerminalFrames(t *testing.T) {
	// On a terminal Keras 3 redraws "\r 12/40 ━━━━━━━━━━━━━━━━━━━━ 3s
	// 5ms/step - loss: ..." in place, bold count and ETA, green done part.
	var buf bytes.Buffer
	t0 := time.Unix(0, 0)
	clock := t0
	b := &progbar{w: &buf, target: 40, width: 20, verbose: 1, dynamic: true,
		interval: 50 * time.Millisecond, now: func() time.Time { return clock }, start: t0}
	clock = t0.Add(10 * time.Millisecond)
	b.update(1, Logs{"loss": 0.5}, false)
	clock = t0.Add(10*time.Millisecond + 11*100*time.Millisecond)
	buf.Reset()
	b.update(12, Logs{"loss": 0.1234, "accuracy": 0.9}, false)
	want := "\r\x1b[1m12/40\x1b[0m \x1b[32m━━━━━━\x1b[0m\x1b[37m━━━━━━━━━━━━━━\x1b[0m \x1b[1m2s\x1b[0m 100ms/step - loss: 0.1234 - accuracy: 0.9000"
	if got := buf.String(); got != want {
		t.Errorf("frame\n%q\nwant\n%q", got, want)
	}
	// Updates closer together than 50ms are skipped, as Keras's interval.
	buf.Reset()
	clock = clock.Add(time.Millisecond)
	b.update(13, Logs{"loss": 0.1}, false)
	if buf.Len() != 0 {
		t.Errorf("update within the interval drew %q", buf.String())
	}
	clock = clock.Add(time.Second)
	b.update(40, Logs{"loss": 0.1}, true)
	if got := buf.String(); !strings.HasPrefix(got, "\r\x1b[1m40/40\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m \x1b[1m2s\x1b[0m") ||
		!strings.HasSuffix(got, " - loss: 0.1000"+strings.Repeat(" ", len(" - accuracy: 0.9000")+1)+"\n") {
		t.Errorf("final frame %q", got)
	}
}

func TestFormatTimes(t *testing.T) {
	// keras/src/utils/progbar.py _format_time and the ETA format.
	for _, tc := range []struct {
		d    float64
		want string
	}{{0, " 0s/step"}, {2.4, " 2s/step"}, {0.005, " 5ms/step"}, {0.0000456, " 46us/step"}} {
		if got := formatStepTime(tc.d, "step"); got != tc.want {
			t.Errorf("formatStepTime(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	for _, tc := range []struct {
		eta  float64
		want string
	}{{3.9, "3s"}, {60, "60s"}, {125.5, "2:05"}, {3725, "1:02:05"}} {
		if got := formatETA(tc.eta); got != tc.want {
			t.Errorf("formatETA(%v) = %q, want %q", tc.eta, got, tc.want)
		}
	}
}
