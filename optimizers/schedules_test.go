package optimizers

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestSchedules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		s     LearningRateSchedule
		steps []int64
		want  []float64
	}{
		// Keras ExponentialDecay: 0.1*0.5^(step/10):
		// 0 -> 0.1, 5 -> 0.1*sqrt(0.5) = 0.0707106781, 10 -> 0.05, 25 -> 0.1*0.5^2.5 = 0.0176776695
		{"exponential", ExponentialDecay(0.1, 10, 0.5, false), []int64{0, 5, 10, 25}, []float64{0.1, 0.0707106781, 0.05, 0.0176776695}},
		// staircase: 0.5^floor(step/10): 9 -> 0.1, 15 -> 0.05, 20 -> 0.025
		{"exponential staircase", ExponentialDecay(0.1, 10, 0.5, true), []int64{0, 9, 15, 20}, []float64{0.1, 0.1, 0.05, 0.025}},
		// Keras PiecewiseConstantDecay: values[0] for step <= 10, values[1] for 10 < step <= 20, values[2] after
		{"piecewise", PiecewiseConstantDecay([]int64{10, 20}, []float64{1, 0.5, 0.1}), []int64{0, 10, 11, 20, 21, 1000}, []float64{1, 1, 0.5, 0.5, 0.1, 0.1}},
		{"piecewise one boundary", PiecewiseConstantDecay([]int64{0}, []float64{1, 0.5}), []int64{0, 1}, []float64{1, 0.5}},
		// Keras InverseTimeDecay (the docstring's example, decay_steps 1, rate 0.5):
		// 0.1/(1 + 0.5*step): 0 -> 0.1, 2 -> 0.05, 3 -> 0.04
		{"inverse time", InverseTimeDecay(0.1, 1, 0.5, false), []int64{0, 2, 3}, []float64{0.1, 0.05, 0.04}},
		// staircase, decay_steps 2: 3 -> 0.1/(1 + 0.5*floor(1.5)) = 0.0666666667
		{"inverse time staircase", InverseTimeDecay(0.1, 2, 0.5, true), []int64{1, 3, 4}, []float64{0.1, 0.0666666667, 0.05}},
		// Keras CosineDecay: 0.1*0.5*(1 + cos(pi*min(step, 100)/100)):
		// 0 -> 0.1, 25 -> 0.05*(1 + 0.7071067812) = 0.0853553391, 50 -> 0.05, 100 -> 0, 200 -> 0
		{"cosine", CosineDecay(0.1, 100, 0), []int64{0, 25, 50, 100, 200}, []float64{0.1, 0.0853553391, 0.05, 0, 0}},
		// alpha 0.1: 0.1*((1 - 0.1)*cosine + 0.1): 50 -> 0.1*(0.45 + 0.1) = 0.055, 100 -> 0.01
		{"cosine alpha", CosineDecay(0.1, 100, 0.1), []int64{0, 50, 100}, []float64{0.1, 0.055, 0.01}},
		// warmup from 0 to 0.1 over 10 steps, then cosine over 100:
		// 5 -> 0.05, 10 -> 0.1, 60 -> 0.05, 110 -> 0, 500 -> 0
		{"cosine warmup", CosineDecayWithWarmup(0, 100, 0, 0.1, 10), []int64{0, 5, 10, 60, 110, 500}, []float64{0, 0.05, 0.1, 0.05, 0, 0}},
	} {
		for i, step := range tc.steps {
			if got := tc.s.Rate(step); math.Abs(got-tc.want[i]) > 1e-10 {
				t.Errorf("%s: Rate(%d) = %.10g, want %.10g", tc.name, step, got, tc.want[i])
			}
		}
	}
}

func TestScheduleConfig(t *testing.T) {
	for _, tc := range []struct {
		s    LearningRateSchedule
		name string
		cfg  map[string]any
	}{
		{ExponentialDecay(0.1, 10, 0.9, true), "ExponentialDecay", map[string]any{
			"initial_learning_rate": 0.1, "decay_steps": int64(10), "decay_rate": 0.9, "staircase": true, "name": "ExponentialDecay"}},
		{PiecewiseConstantDecay([]int64{5}, []float64{1, 0.1}), "PiecewiseConstantDecay", map[string]any{
			"boundaries": []int64{5}, "values": []float64{1, 0.1}, "name": "PiecewiseConstant"}},
		{InverseTimeDecay(0.1, 10, 0.5, false), "InverseTimeDecay", map[string]any{
			"initial_learning_rate": 0.1, "decay_steps": int64(10), "decay_rate": 0.5, "staircase": false, "name": "InverseTimeDecay"}},
		{CosineDecay(0.1, 10, 0), "CosineDecay", map[string]any{
			"initial_learning_rate": 0.1, "decay_steps": int64(10), "alpha": 0.0, "name": "CosineDecay", "warmup_target": nil, "warmup_steps": int64(0)}},
	} {
		if tc.s.Name() != tc.name || !reflect.DeepEqual(tc.s.Config(), tc.cfg) {
			t.Errorf("%s: Name %q, Config %v; want %v", tc.name, tc.s.Name(), tc.s.Config(), tc.cfg)
		}
	}
}

func TestScheduleCopiesSlices(t *testing.T) {
	b, v := []int64{10}, []float64{1, 0.5}
	s := PiecewiseConstantDecay(b, v)
	b[0], v[0] = 0, 99
	if s.Rate(5) != 1 {
		t.Errorf("schedule changed with the caller's slices: Rate(5) = %v", s.Rate(5))
	}
}

func TestScheduleInvalidArgumentsPanic(t *testing.T) {
	for name, f := range map[string]func(){
		"exponential steps 0":   func() { ExponentialDecay(0.1, 0, 0.5, false) },
		"inverse time steps -1": func() { InverseTimeDecay(0.1, -1, 0.5, false) },
		"cosine steps 0":        func() { CosineDecay(0.1, 0, 0) },
		"piecewise lengths":     func() { PiecewiseConstantDecay([]int64{1, 2}, []float64{1, 2}) },
		"piecewise order":       func() { PiecewiseConstantDecay([]int64{2, 1}, []float64{1, 2, 3}) },
		"piecewise empty":       func() { PiecewiseConstantDecay(nil, nil) },
	} {
		func() {
			defer func() {
				r := recover()
				if r == nil || !strings.HasPrefix(r.(string), "optimizers: ") {
					t.Errorf("%s: recovered %v, want a panic with a clear message", name, r)
				}
			}()
			f()
		}()
	}
}
