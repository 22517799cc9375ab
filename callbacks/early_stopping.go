package callbacks

import (
	"fmt"

	"gorgonia.org/tensor"
)

// earlyStopping is Keras 3's keras.callbacks.EarlyStopping.
type earlyStopping struct {
	Base
	cfg config

	max      bool // maximise the monitored value
	minDelta float64
	ready    bool // mode resolved (Keras delays this to the first epoch end)
	warned   bool

	wait         int
	stoppedEpoch int
	best         *float64
	bestEpoch    int
	bestWeights  []*tensor.Dense
}

// EarlyStopping stops training when a monitored quantity has stopped
// improving, as keras.callbacks.EarlyStopping. At each epoch end it reads
// logs[monitor]; an epoch improves when the value beats the best so far by
// more than min_delta (the first watched epoch always improves). The wait
// counter counts epochs since the last improvement and resets only on an
// improvement that also beats the baseline, when one is set; when it
// reaches patience (and the epoch is not the first), it calls
// Model.StopTraining.
//
// Options and their Keras defaults: Monitor("val_loss"), MinDelta(0),
// Patience(0), Verbose(0), Mode("auto"), Baseline none,
// RestoreBestWeights(false), StartFromEpoch(0), Output(os.Stdout).
// In "auto" mode "loss"/"val_loss" and error metrics are minimised and
// accuracy-like metrics ("acc", "accuracy", "auc", "precision", "recall",
// ...) maximised.
//
// With RestoreBestWeights(true) the weights of the best epoch are put back
// at the end of training. Keras 3 does this whenever a best epoch was
// recorded, whether or not training stopped early (Keras 2 restored only
// on an early stop); this follows Keras 3.
//
// A missing monitor key prints a warning to Output (once per training
// run) and the epoch is skipped, as in Keras.
func EarlyStopping(opts ...Option) Callback {
	cfg := newConfig(config{monitor: "val_loss", mode: "auto"}, opts)
	return &earlyStopping{cfg: cfg}
}

// OnTrainBegin resets the state so the callback can be reused.
func (e *earlyStopping) OnTrainBegin(Logs) error {
	e.wait, e.stoppedEpoch, e.bestEpoch = 0, 0, 0
	e.best, e.bestWeights = nil, nil
	e.warned = false
	return nil
}

func (e *earlyStopping) setup() {
	mode := resolveMode("EarlyStopping", e.cfg.mode, e.cfg.monitor, e.cfg.output, autoMax)
	e.max = mode == "max"
	e.minDelta = e.cfg.minDelta
	if e.minDelta < 0 {
		e.minDelta = -e.minDelta
	}
	if !e.max {
		e.minDelta = -e.minDelta
	}
	e.ready = true
}

// isImprovement is Keras's monitor_op(value - min_delta, reference); a nil
// reference (no best yet) is always beaten.
func (e *earlyStopping) isImprovement(v float64, ref *float64) bool {
	if ref == nil {
		return true
	}
	if e.max {
		return v-e.minDelta > *ref
	}
	return v-e.minDelta < *ref
}

// OnEpochEnd updates the best value and the wait counter and stops
// training when patience runs out.
func (e *earlyStopping) OnEpochEnd(epoch int, logs Logs) error {
	if !e.ready {
		e.setup()
	}
	current, ok := logs[e.cfg.monitor]
	if !ok {
		if !e.warned {
			fmt.Fprintf(e.cfg.output, "WARNING: Early stopping conditioned on metric `%s` which is not available. Available metrics are: %s\n",
				e.cfg.monitor, availableKeys(logs))
			e.warned = true
		}
		return nil
	}
	if epoch < e.cfg.startFromEpoch {
		return nil
	}
	if e.cfg.restoreBest && e.bestWeights == nil && e.Model != nil {
		e.bestWeights = e.Model.GetWeights()
		e.bestEpoch = epoch
	}
	e.wait++
	if e.isImprovement(current, e.best) {
		v := current
		e.best = &v
		e.bestEpoch = epoch
		if e.cfg.restoreBest && e.Model != nil {
			e.bestWeights = e.Model.GetWeights()
		}
		// Keras restarts the wait only when the value beats both the
		// previous best and the baseline.
		if e.cfg.baseline == nil || e.isImprovement(current, e.cfg.baseline) {
			e.wait = 0
		}
		return nil
	}
	if e.wait >= e.cfg.patience && epoch > 0 {
		e.stoppedEpoch = epoch
		if e.Model != nil {
			e.Model.StopTraining()
		}
	}
	return nil
}

// OnTrainEnd reports the stop and restores the best weights if asked.
func (e *earlyStopping) OnTrainEnd(Logs) error {
	if e.stoppedEpoch > 0 && e.cfg.verbose > 0 {
		fmt.Fprintf(e.cfg.output, "Epoch %d: early stopping\n", e.stoppedEpoch+1)
	}
	if e.cfg.restoreBest && e.bestWeights != nil && e.Model != nil {
		if e.cfg.verbose > 0 {
			fmt.Fprintf(e.cfg.output, "Restoring model weights from the end of the best epoch: %d.\n", e.bestEpoch+1)
		}
		if err := e.Model.SetWeights(e.bestWeights); err != nil {
			return fmt.Errorf("callbacks: EarlyStopping: restoring the weights of epoch %d: %w", e.bestEpoch+1, err)
		}
	}
	return nil
}
