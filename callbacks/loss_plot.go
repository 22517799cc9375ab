package callbacks

import (
	"fmt"
	"math"

	"github.com/gokeras/keras/plots"
)

// lossPlot records the loss per epoch and draws it at the end of training.
type lossPlot struct {
	Base
	path    string
	cfg     config
	history map[string][]float64
	epochs  int
}

// LossPlot records "loss" and "val_loss" (or the keys given with Keys) at
// every epoch end and, at the end of training, writes their curves against
// the epoch to path with plots.LossCurve (PNG, SVG, ... by the extension;
// written atomically). Keras has no such callback; it replaces the
// matplotlib lines tutorials write after fit. An epoch missing a key has no
// point on its curve; a key given with Keys that was never logged is an
// error at train end.
func LossPlot(path string, opts ...Option) Callback {
	cfg := newConfig(config{}, opts)
	return &lossPlot{path: path, cfg: cfg}
}

// OnTrainBegin starts a new record.
func (l *lossPlot) OnTrainBegin(Logs) error {
	l.history, l.epochs = map[string][]float64{}, 0
	return nil
}

func (l *lossPlot) keys() []string {
	if len(l.cfg.keys) > 0 {
		return l.cfg.keys
	}
	return []string{"loss", "val_loss"}
}

// OnEpochEnd records the epoch's values; a key missing in some epochs
// gets NaN there, which LossCurve leaves out.
func (l *lossPlot) OnEpochEnd(_ int, logs Logs) error {
	if l.history == nil {
		l.history = map[string][]float64{}
	}
	for _, k := range l.keys() {
		if v, ok := logs[k]; ok {
			l.history[k] = append(padNaN(l.history[k], l.epochs), v)
		}
	}
	l.epochs++
	return nil
}

func padNaN(v []float64, n int) []float64 {
	for len(v) < n {
		v = append(v, math.NaN())
	}
	return v
}

// OnTrainEnd writes the picture.
func (l *lossPlot) OnTrainEnd(Logs) error {
	if len(l.history) == 0 {
		return fmt.Errorf("callbacks: LossPlot: none of %v was logged; nothing to draw in %s", l.keys(), l.path)
	}
	var keys []string
	for _, k := range l.keys() {
		if v, ok := l.history[k]; ok {
			l.history[k] = padNaN(v, l.epochs)
			keys = append(keys, k)
		} else if len(l.cfg.keys) > 0 {
			return fmt.Errorf("callbacks: LossPlot: %q was never logged", k)
		}
	}
	if err := plots.LossCurve(l.path, l.history, keys...); err != nil {
		return fmt.Errorf("callbacks: LossPlot: %w", err)
	}
	return nil
}
