package callbacks

import (
	"fmt"
	"math"
	"strings"
)

// reduceLROnPlateau is Keras 3's keras.callbacks.ReduceLROnPlateau.
type reduceLROnPlateau struct {
	Base
	cfg config

	max           bool
	best          float64
	wait          int
	cooldownCount int
	warned        bool
}

// ReduceLROnPlateau multiplies the learning rate by factor when the
// monitored quantity has not improved for patience epochs, as
// keras.callbacks.ReduceLROnPlateau. A value improves when it beats the
// best by more than min_delta; after a reduction the callback rests for
// cooldown epochs (wait held at 0); the rate never goes below min_lr. At
// each epoch end it also sets logs["learning_rate"] to the rate used in
// that epoch.
//
// Options and their Keras defaults: Monitor("val_loss"), Factor(0.1),
// Patience(10), Verbose(0), Mode("auto"), MinDelta(1e-4), Cooldown(0),
// MinLR(0), Output(os.Stdout). Keras's "auto" mode here maximises only
// names containing "acc" (unlike EarlyStopping's wider rule); this follows
// it. A factor >= 1 is an error (wrapping ErrInvalidOption) returned by
// OnTrainBegin, as Keras raises ValueError.
func ReduceLROnPlateau(opts ...Option) Callback {
	cfg := newConfig(config{
		monitor: "val_loss", factor: 0.1, patience: 10, mode: "auto", minDelta: 1e-4,
	}, opts)
	return &reduceLROnPlateau{cfg: cfg}
}

func (r *reduceLROnPlateau) reset() {
	mode := resolveMode("Learning rate reduction", r.cfg.mode, r.cfg.monitor, r.cfg.output,
		func(m string) bool { return strings.Contains(m, "acc") })
	r.cfg.mode = mode // warn about an unknown mode once
	r.max = mode == "max"
	r.best = math.Inf(1)
	if r.max {
		r.best = math.Inf(-1)
	}
	r.cooldownCount, r.wait = 0, 0
	r.warned = false
}

// OnTrainBegin checks the factor and resets the counters.
func (r *reduceLROnPlateau) OnTrainBegin(Logs) error {
	if r.cfg.factor >= 1 {
		return fmt.Errorf("%w: ReduceLROnPlateau does not support a factor >= 1.0, got factor=%g", ErrInvalidOption, r.cfg.factor)
	}
	r.reset()
	return nil
}

func (r *reduceLROnPlateau) improves(v float64) bool {
	if r.max {
		return v > r.best+r.cfg.minDelta
	}
	return v < r.best-r.cfg.minDelta
}

// OnEpochEnd records the learning rate in logs and lowers it on a plateau.
func (r *reduceLROnPlateau) OnEpochEnd(epoch int, logs Logs) error {
	if r.Model == nil {
		return nil
	}
	if logs != nil {
		logs["learning_rate"] = r.Model.LearningRate()
	}
	current, ok := logs[r.cfg.monitor]
	if !ok {
		if !r.warned {
			fmt.Fprintf(r.cfg.output, "WARNING: Learning rate reduction is conditioned on metric `%s` which is not available. Available metrics are: %s.\n",
				r.cfg.monitor, availableKeys(logs))
			r.warned = true
		}
		return nil
	}
	if r.cooldownCount > 0 {
		r.cooldownCount--
		r.wait = 0
	}
	if r.improves(current) {
		r.best = current
		r.wait = 0
		return nil
	}
	if r.cooldownCount > 0 {
		return nil
	}
	r.wait++
	if r.wait < r.cfg.patience {
		return nil
	}
	old := r.Model.LearningRate()
	// Keras compares with min_lr rounded to float32, the optimizer's dtype.
	if old <= float64(float32(r.cfg.minLR)) {
		return nil
	}
	lr := math.Max(old*r.cfg.factor, r.cfg.minLR)
	if err := r.Model.SetLearningRate(lr); err != nil {
		return fmt.Errorf("callbacks: ReduceLROnPlateau: setting the learning rate to %g: %w", lr, err)
	}
	if r.cfg.verbose > 0 {
		fmt.Fprintf(r.cfg.output, "\nEpoch %d: ReduceLROnPlateau reducing learning rate to %s.\n", epoch+1, pyRepr(lr))
	}
	r.cooldownCount = r.cfg.cooldown
	r.wait = 0
	return nil
}
