package optimizers

import "testing"

func TestAdamWTrajectory(t *testing.T) {
	runTrajectories(t, []trajCase{
		// AdamW's default weight_decay is 0.004.
		{"defaults", func() Optimizer { return AdamW() },
			func() *refOpt { return &refOpt{lr: 0.001, wd: 0.004, rule: &refAdam{b1: 0.9, b2: 0.999, eps: 1e-7}} }},
		{"options", func() Optimizer { return AdamW(LearningRate(0.05), WeightDecay(0.1), Amsgrad(true)) },
			func() *refOpt {
				return &refOpt{lr: 0.05, wd: 0.1, rule: &refAdam{b1: 0.9, b2: 0.999, eps: 1e-7, amsgrad: true}}
			}},
	})
}

// TestAdamWKeras checks the values of keras/src/optimizers/adamw_test.py.
func TestAdamWKeras(t *testing.T) {
	// test_single_step: AdamW(learning_rate=0.5)
	runSingleStep(t, AdamW(LearningRate(0.5)), []float64{0.4980, 1.4960, 2.494, 3.492})
	// test_correctness_with_golden: AdamW(learning_rate=1.0, weight_decay=0.5, epsilon=2)
	runGolden(t, func() Optimizer { return AdamW(LearningRate(1), WeightDecay(0.5), Epsilon(2)) }, [][]float64{
		{0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998},
		{0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382},
		{0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003},
		{0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258},
		{0.0263, 0.0215, 0.0167, 0.012, 0.0073, 0.0026, -0.0021, -0.0067, -0.0113, -0.0159},
	})
}

func TestAdamWConfig(t *testing.T) {
	cfg := AdamW().Config()
	if cfg["weight_decay"] != 0.004 || cfg["name"] != "adamw" {
		t.Errorf("AdamW config = %v, want weight_decay 0.004 (Keras default), name adamw", cfg)
	}
	if got := AdamW(WeightDecay(0.01)).Config()["weight_decay"]; got != 0.01 {
		t.Errorf("weight_decay = %v, want 0.01", got)
	}
}
