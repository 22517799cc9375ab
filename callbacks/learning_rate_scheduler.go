package callbacks

import (
	"fmt"
	"math"
)

// learningRateScheduler is Keras 3's keras.callbacks.LearningRateScheduler.
type learningRateScheduler struct {
	Base
	schedule func(epoch int, lr float64) float64
}

// LearningRateScheduler sets the learning rate at the beginning of every
// epoch to schedule(epoch, current rate), with epoch counted from 0, as
// keras.callbacks.LearningRateScheduler; at each epoch end it records the
// rate in logs["learning_rate"]. A schedule that returns NaN or an
// infinity is an error. Keras's verbose is 0 here: it prints nothing.
func LearningRateScheduler(schedule func(epoch int, lr float64) float64) Callback {
	return &learningRateScheduler{schedule: schedule}
}

// OnEpochBegin applies the schedule.
func (s *learningRateScheduler) OnEpochBegin(epoch int, _ Logs) error {
	if s.Model == nil || s.schedule == nil {
		return nil
	}
	lr := s.schedule(epoch, s.Model.LearningRate())
	if math.IsNaN(lr) || math.IsInf(lr, 0) {
		return fmt.Errorf("callbacks: LearningRateScheduler: the schedule returned %v for epoch %d; want a finite learning rate", lr, epoch)
	}
	if err := s.Model.SetLearningRate(lr); err != nil {
		return fmt.Errorf("callbacks: LearningRateScheduler: setting the learning rate to %g at epoch %d: %w", lr, epoch, err)
	}
	return nil
}

// OnEpochEnd records the learning rate in logs.
func (s *learningRateScheduler) OnEpochEnd(_ int, logs Logs) error {
	if s.Model != nil && logs != nil {
		logs["learning_rate"] = s.Model.LearningRate()
	}
	return nil
}
