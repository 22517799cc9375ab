package callbacks

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

// stopCounter counts StopTraining calls.
type stopCounter struct {
	fakeModel
	stops int
}

func (m *stopCounter) StopTraining() { m.stops++ }

func TestTerminateOnNaNStopsAtTheBatchOnce(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	// Each run is one training run: the losses of its batches in order
	// (a Fit that does not stop at once may send more); want is the batch
	// whose end asks to stop, -1 for none.
	tests := []struct {
		name   string
		losses []float64
		want   int
	}{
		{"finite", []float64{0.9, 0.5, 0.4}, -1},
		{"nan at batch 2", []float64{0.9, 0.5, nan}, 2},
		{"nan then more", []float64{0.9, nan, nan, inf, 0.3}, 1},
		{"inf first", []float64{inf, 0.1}, 0},
		{"-inf", []float64{0.2, math.Inf(-1)}, 1},
	}
	for _, tc := range tests {
		var out bytes.Buffer
		m := &stopCounter{}
		c := TerminateOnNaN()
		c.(*terminateOnNaN).w = &out
		c.SetModel(m)
		c.OnTrainBegin(Logs{})
		stoppedAt := -1
		for b, l := range tc.losses {
			before := m.stops
			if err := c.OnTrainBatchEnd(b, Logs{"loss": l, "accuracy": 0.5}); err != nil {
				t.Fatal(err)
			}
			if m.stops > before && stoppedAt < 0 {
				stoppedAt = b
			}
		}
		wantStops, wantOut := 0, ""
		if tc.want >= 0 {
			wantStops = 1
			wantOut = fmt.Sprintf("Batch %d: Invalid loss, terminating training\n", tc.want)
		}
		if stoppedAt != tc.want || m.stops != wantStops {
			t.Errorf("%s: stop asked at batch %d (%d times), want batch %d (%d times)", tc.name, stoppedAt, m.stops, tc.want, wantStops)
		}
		if out.String() != wantOut {
			t.Errorf("%s: printed %q, want %q", tc.name, out.String(), wantOut)
		}
	}
}

func TestTerminateOnNaNNewRun(t *testing.T) {
	// A second Fit with the same callback watches afresh; test batches
	// and logs without a loss are not looked at.
	var out bytes.Buffer
	m := &stopCounter{}
	c := TerminateOnNaN()
	c.(*terminateOnNaN).w = &out
	c.SetModel(m)
	for range 2 {
		c.OnTrainBegin(Logs{})
		c.OnTestBatchEnd(0, Logs{"loss": math.NaN()})
		c.OnTrainBatchEnd(0, Logs{"accuracy": math.NaN()})
		c.OnTrainBatchEnd(1, Logs{"loss": math.NaN()})
		c.OnTrainBatchEnd(2, Logs{"loss": math.NaN()})
	}
	if m.stops != 2 || strings.Count(out.String(), "Batch 1: Invalid loss") != 2 || strings.Count(out.String(), "\n") != 2 {
		t.Errorf("two runs: %d stops, printed %q; want one per run at batch 1", m.stops, out.String())
	}
}
