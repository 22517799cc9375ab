package main

import "testing"

// The tutorial on small settings: 20,000 rows (12,800 for training, 118
// of them positive), at most 30 epochs. Measured (go test -v, seed 42):
// the baseline finds none of the 44 test positives at threshold 0.5
// (recall 0) with AUC 0.98; the class-weighted model finds 35 (recall
// 0.80) at the price of 112 false positives, AUC 0.98. The bars: the
// weighted recall is at least 0.5 and above the baseline's, both AUCs
// above 0.9, and the confusion matrices count every test row.
func TestRun(t *testing.T) {
	c := config{Samples: 20000, Features: 12, Epochs: 30, Batch: 2048, Seed: 42}
	r, err := run(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", r)
	if r.Pos == 0 || float64(r.Pos)/float64(r.Neg+r.Pos) > 0.02 {
		t.Errorf("%d positives of %d: want about 1%%", r.Pos, r.Neg+r.Pos)
	}
	total := float64(r.Neg + r.Pos)
	if w := total / (2 * float64(r.Pos)); r.Weight1 != w {
		t.Errorf("weight for class 1 = %v, want total/(2 pos) = %v", r.Weight1, w)
	}
	for name, rep := range map[string]report{"baseline": r.Baseline, "weighted": r.Weighted} {
		cm := rep.Confusion
		if n := cm.TN + cm.FP + cm.FN + cm.TP; n != c.Samples/5 {
			t.Errorf("%s: confusion matrix counts %d rows, want %d", name, n, c.Samples/5)
		}
		if rep.Metrics["auc"] < 0.9 {
			t.Errorf("%s: AUC %.4f, want >= 0.9", name, rep.Metrics["auc"])
		}
		if got := float64(cm.TP) / float64(max(cm.TP+cm.FN, 1)); abs(got-rep.Metrics["recall"]) > 1e-6 {
			t.Errorf("%s: recall %v from Evaluate, %v from the confusion matrix", name, rep.Metrics["recall"], got)
		}
	}
	if r.Weighted.Metrics["recall"] < 0.5 || r.Weighted.Metrics["recall"] <= r.Baseline.Metrics["recall"] {
		t.Errorf("recall: weighted %.4f, baseline %.4f; want the weighted one >= 0.5 and higher",
			r.Weighted.Metrics["recall"], r.Baseline.Metrics["recall"])
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
