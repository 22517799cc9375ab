package optimizers

import (
	"fmt"
	"math"
	"slices"
)

// LearningRateSchedule gives the learning rate as a function of the
// optimizer's iteration count, as Keras's
// keras.optimizers.schedules.LearningRateSchedule does. Pass one to an
// optimizer with the Schedule option.
type LearningRateSchedule interface {
	// Rate is the learning rate of the step taken when step steps have
	// already been applied (step counts from 0).
	Rate(step int64) float64
	// Name is the Keras class name ("ExponentialDecay").
	Name() string
	// Config is the Keras config of the schedule.
	Config() map[string]any
}

// ExponentialDecay is Keras's ExponentialDecay schedule:
//
//	rate(step) = initialLR * decayRate^(step/decaySteps)
//
// with step/decaySteps floored when staircase is true. It panics if
// decaySteps <= 0 (Keras raises ValueError).
func ExponentialDecay(initialLR float64, decaySteps int64, decayRate float64, staircase bool) LearningRateSchedule {
	if decaySteps <= 0 {
		panic(fmt.Sprintf("optimizers: ExponentialDecay: decaySteps must be > 0, got %d", decaySteps))
	}
	return &exponentialDecay{initialLR, decaySteps, decayRate, staircase}
}

type exponentialDecay struct {
	initialLR  float64
	decaySteps int64
	decayRate  float64
	staircase  bool
}

func (s *exponentialDecay) Rate(step int64) float64 {
	p := float64(step) / float64(s.decaySteps)
	if s.staircase {
		p = math.Floor(p)
	}
	return s.initialLR * math.Pow(s.decayRate, p)
}

func (s *exponentialDecay) Name() string { return "ExponentialDecay" }

func (s *exponentialDecay) Config() map[string]any {
	return map[string]any{
		"initial_learning_rate": s.initialLR,
		"decay_steps":           s.decaySteps,
		"decay_rate":            s.decayRate,
		"staircase":             s.staircase,
		"name":                  "ExponentialDecay",
	}
}

// PiecewiseConstantDecay is Keras's PiecewiseConstantDecay schedule: the
// rate is values[0] while step <= boundaries[0], values[i] while
// boundaries[i-1] < step <= boundaries[i], and values[len(values)-1]
// after the last boundary. It panics unless len(boundaries) ==
// len(values)-1 (Keras raises ValueError) and the boundaries increase
// strictly. The slices are copied.
func PiecewiseConstantDecay(boundaries []int64, values []float64) LearningRateSchedule {
	if len(values) == 0 || len(boundaries) != len(values)-1 {
		panic(fmt.Sprintf("optimizers: PiecewiseConstantDecay: want one more value than boundaries, got %d boundaries and %d values",
			len(boundaries), len(values)))
	}
	for i := 1; i < len(boundaries); i++ {
		if boundaries[i] <= boundaries[i-1] {
			panic(fmt.Sprintf("optimizers: PiecewiseConstantDecay: boundaries must increase strictly, got %v", boundaries))
		}
	}
	return &piecewiseConstantDecay{slices.Clone(boundaries), slices.Clone(values)}
}

type piecewiseConstantDecay struct {
	boundaries []int64
	values     []float64
}

func (s *piecewiseConstantDecay) Rate(step int64) float64 {
	for i, b := range s.boundaries {
		if step <= b {
			return s.values[i]
		}
	}
	return s.values[len(s.values)-1]
}

func (s *piecewiseConstantDecay) Name() string { return "PiecewiseConstantDecay" }

func (s *piecewiseConstantDecay) Config() map[string]any {
	return map[string]any{
		"boundaries": slices.Clone(s.boundaries),
		"values":     slices.Clone(s.values),
		"name":       "PiecewiseConstant",
	}
}

// InverseTimeDecay is Keras's InverseTimeDecay schedule:
//
//	rate(step) = initialLR / (1 + decayRate*step/decaySteps)
//
// with step/decaySteps floored when staircase is true. It panics if
// decaySteps <= 0 (Keras raises ValueError).
func InverseTimeDecay(initialLR float64, decaySteps int64, decayRate float64, staircase bool) LearningRateSchedule {
	if decaySteps <= 0 {
		panic(fmt.Sprintf("optimizers: InverseTimeDecay: decaySteps must be > 0, got %d", decaySteps))
	}
	return &inverseTimeDecay{initialLR, decaySteps, decayRate, staircase}
}

type inverseTimeDecay struct {
	initialLR  float64
	decaySteps int64
	decayRate  float64
	staircase  bool
}

func (s *inverseTimeDecay) Rate(step int64) float64 {
	p := float64(step) / float64(s.decaySteps)
	if s.staircase {
		p = math.Floor(p)
	}
	return s.initialLR / (1 + s.decayRate*p)
}

func (s *inverseTimeDecay) Name() string { return "InverseTimeDecay" }

func (s *inverseTimeDecay) Config() map[string]any {
	return map[string]any{
		"initial_learning_rate": s.initialLR,
		"decay_steps":           s.decaySteps,
		"decay_rate":            s.decayRate,
		"staircase":             s.staircase,
		"name":                  "InverseTimeDecay",
	}
}

// CosineDecay is Keras's CosineDecay schedule without warmup (Keras
// defaults alpha 0, warmup_target None):
//
//	rate(step) = initialLR * ((1 - alpha)*0.5*(1 + cos(pi*min(step, decaySteps)/decaySteps)) + alpha)
//
// It panics if decaySteps <= 0 (Keras raises ValueError).
func CosineDecay(initialLR float64, decaySteps int64, alpha float64) LearningRateSchedule {
	if decaySteps <= 0 {
		panic(fmt.Sprintf("optimizers: CosineDecay: decaySteps must be > 0, got %d", decaySteps))
	}
	return &cosineDecay{initialLR: initialLR, decaySteps: decaySteps, alpha: alpha}
}

// CosineDecayWithWarmup is Keras's CosineDecay with warmup_target and
// warmup_steps set: the rate rises linearly from initialLR to
// warmupTarget over warmupSteps steps, then decays from warmupTarget as
// CosineDecay does over decaySteps. It panics if decaySteps <= 0 or
// warmupSteps < 0.
func CosineDecayWithWarmup(initialLR float64, decaySteps int64, alpha, warmupTarget float64, warmupSteps int64) LearningRateSchedule {
	if decaySteps <= 0 || warmupSteps < 0 {
		panic(fmt.Sprintf("optimizers: CosineDecayWithWarmup: want decaySteps > 0 and warmupSteps >= 0, got %d and %d", decaySteps, warmupSteps))
	}
	return &cosineDecay{initialLR: initialLR, decaySteps: decaySteps, alpha: alpha, warmup: true, warmupTarget: warmupTarget, warmupSteps: warmupSteps}
}

type cosineDecay struct {
	initialLR    float64
	decaySteps   int64
	alpha        float64
	warmup       bool
	warmupTarget float64
	warmupSteps  int64
}

func (s *cosineDecay) Rate(step int64) float64 {
	decaySteps := float64(s.decaySteps)
	st := float64(step)
	if !s.warmup {
		return s.decayed(math.Min(st, decaySteps), s.initialLR)
	}
	warmupSteps := float64(s.warmupSteps)
	st = math.Min(st, decaySteps+warmupSteps)
	if st < warmupSteps {
		return (s.warmupTarget-s.initialLR)*(st/warmupSteps) + s.initialLR
	}
	return s.decayed(st-warmupSteps, s.warmupTarget)
}

func (s *cosineDecay) decayed(step, from float64) float64 {
	cosine := 0.5 * (1 + math.Cos(math.Pi*step/float64(s.decaySteps)))
	return from * ((1-s.alpha)*cosine + s.alpha)
}

func (s *cosineDecay) Name() string { return "CosineDecay" }

func (s *cosineDecay) Config() map[string]any {
	var target any // Keras's None: no warmup
	if s.warmup {
		target = s.warmupTarget
	}
	return map[string]any{
		"initial_learning_rate": s.initialLR,
		"decay_steps":           s.decaySteps,
		"alpha":                 s.alpha,
		"name":                  "CosineDecay",
		"warmup_target":         target,
		"warmup_steps":          s.warmupSteps,
	}
}
