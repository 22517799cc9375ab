package metrics

import (
	"errors"
	"math"
	"slices"
	"sync"
	"testing"

	"gorgonia.org/tensor"
)

// Keras's docstring batch of the hinge, probabilistic and cross-entropy
// metrics: y_true [[0, 1], [0, 0]], y_pred [[0.6, 0.4], [0.4, 0.6]].
var kerasDoc = batch{[]int{2, 2}, []int{2, 2}, []float64{0, 1, 0, 0}, []float64{0.6, 0.4, 0.4, 0.6}}

// The regression docstring batch: y_pred [[1, 1], [0, 0]].
var kerasReg = batch{[]int{2, 2}, []int{2, 2}, []float64{0, 1, 0, 0}, []float64{1, 1, 0, 0}}

// perSample is the mean over the rows of b of f(row of y_true, row of
// y_pred), in float64: Keras's MeanMetricWrapper over one batch.
func perSample(b batch, f func(t, p []float64) float64) float64 {
	c := len(b.yPred) / b.pShape[0]
	var s float64
	for r := 0; r < b.pShape[0]; r++ {
		s += f(b.yTrue[r*c:(r+1)*c], b.yPred[r*c:(r+1)*c])
	}
	return s / float64(b.pShape[0])
}

func meanOver(f func(t, p float64) float64) func(t, p []float64) float64 {
	return func(t, p []float64) float64 {
		var s float64
		for i := range t {
			s += f(t[i], p[i])
		}
		return s / float64(len(t))
	}
}

func TestNewMetricValues(t *testing.T) {
	logits := batch{[]int{3, 2}, []int{3, 2}, []float64{1, 0, 0, 1, 1, 1}, []float64{-18.6, 0.51, 2.94, -12.8, 20, 40}}
	cat := batch{[]int{2, 3}, []int{2, 3}, []float64{0, 1, 0, 0, 0, 1}, []float64{0.05, 0.95, 0, 0.1, 0.8, 0.1}}
	catLogits := batch{[]int{2, 3}, []int{2, 3}, []float64{0, 1, 0, 0, 0, 1}, []float64{1000, 1001, 999.5, 3, -1, 0.5}}
	pm := batch{[]int{2, 3}, []int{2, 3}, []float64{-1, 1, 1, -1, 1, -1}, []float64{0.3, 2, -0.5, -0.2, 0.9, 1.5}}
	reg := batch{[]int{2, 3}, []int{2, 3}, []float64{1, 9, 2, -5, -2, 6}, []float64{4, 8, 12, 8, 1, 3}}
	bceLogits := func(s float64) func(t, x float64) float64 {
		return func(t, x float64) float64 {
			t = t*(1-s) + 0.5*s
			// -t*log(sigmoid(x)) - (1-t)*log(sigmoid(-x)), written with log1p.
			logSig := func(x float64) float64 {
				if x >= 0 {
					return -math.Log1p(math.Exp(-x))
				}
				return x - math.Log1p(math.Exp(x))
			}
			return -t*logSig(x) - (1-t)*logSig(-x)
		}
	}
	cases := []struct {
		name   string
		m      Metric
		bs     []batch
		want   float64
		rel    float64
		source string
	}{
		{"hinge", Hinge(), []batch{kerasDoc}, 1.3, 1e-6, "Keras hinge_metrics.py Hinge docstring (1.3)"},
		{"hinge_pm", Hinge(), []batch{pm}, perSample(pm, meanOver(func(t, p float64) float64 { return math.Max(1-t*p, 0) })), 1e-6, "formula"},
		{"squared_hinge", SquaredHinge(), []batch{kerasDoc}, 1.86, 1e-6, "Keras SquaredHinge docstring (1.86)"},
		{"categorical_hinge", CategoricalHinge(), []batch{kerasDoc}, 1.4000001, 1e-6, "Keras CategoricalHinge docstring (1.4000001)"},
		{"kl_divergence", KLDivergence(), []batch{kerasDoc}, 0.45814306, 1e-6, "Keras probabilistic_metrics.py KLDivergence docstring (0.45814306)"},
		{"poisson", Poisson(), []batch{kerasReg}, 0.49999997, 1e-6, "Keras Poisson docstring (0.49999997)"},
		{"msle", MeanSquaredLogarithmicError(), []batch{kerasReg}, 0.12011322, 1e-6, "Keras regression_metrics.py MeanSquaredLogarithmicError docstring (0.12011322)"},
		{"log_cosh", LogCoshError(), []batch{kerasReg}, 0.10844523, 1e-6, "Keras LogCoshError docstring (0.10844523)"},
		{"log_cosh_large", LogCoshError(), []batch{reg}, perSample(reg, meanOver(func(t, p float64) float64 { return math.Log(math.Cosh(p - t)) })), 1e-9, "log(cosh(x)) in float64"},
		{"cosine", CosineSimilarity(), []batch{{[]int{2, 2}, []int{2, 2}, []float64{0, 1, 1, 1}, []float64{1, 0, 1, 1}}}, 0.49999997, 1e-6,
			"Keras CosineSimilarity docstring, axis 1 of a 2-D batch (0.49999997)"},
		{"cosine_zero", CosineSimilarity(), []batch{{[]int{2, 2}, []int{2, 2}, []float64{0, 0, 1, 2}, []float64{3, 4, -2, -4}}}, -0.5, 1e-9, "by hand: 0 and -1"},
		{"bce", BinaryCrossentropy(), []batch{kerasDoc}, 0.81492424, 1e-6, "Keras BinaryCrossentropy metric docstring (0.81492424)"},
		{"bce_logits", BinaryCrossentropy(FromLogits(true)), []batch{logits}, perSample(logits, meanOver(bceLogits(0))), 1e-9,
			"Keras's from_logits binary cross-entropy (log-sigmoid form) in float64"},
		{"bce_logits_smoothing", BinaryCrossentropy(FromLogits(true), LabelSmoothing(0.1)), []batch{logits}, perSample(logits, meanOver(bceLogits(0.1))), 1e-9,
			"the same on targets t*0.9+0.05"},
		{"cce", CategoricalCrossentropy(), []batch{cat}, 1.1769392, 1e-6, "Keras CategoricalCrossentropy metric docstring (1.1769392)"},
		{"cce_logits", CategoricalCrossentropy(FromLogits(true)), []batch{catLogits},
			-(logSoftmaxAt(catLogits.yPred[:3], 1) + logSoftmaxAt(catLogits.yPred[3:], 2)) / 2, 1e-9, "logSoftmaxAt"},
		{"sparse_cce_logits", SparseCategoricalCrossentropy(FromLogits(true)), []batch{{[]int{2}, []int{2, 3}, []float64{1, 2}, catLogits.yPred}},
			-(logSoftmaxAt(catLogits.yPred[:3], 1) + logSoftmaxAt(catLogits.yPred[3:], 2)) / 2, 1e-9, "logSoftmaxAt"},
		{"r2", R2Score(), []batch{{[]int{3, 1}, []int{3, 1}, []float64{1, 4, 3}, []float64{2, 4, 4}}}, 0.57142854, 1e-6, "Keras R2Score docstring (0.57142854)"},
	}
	for _, c := range cases {
		for _, dt := range dtypes {
			c.m.Reset()
			got := run(t, c.m, dt, c.bs...)
			rel := c.rel
			if dt == tensor.Float32 {
				rel = math.Max(rel, 2e-6)
			}
			if math.Abs(got-c.want) > rel*math.Max(1, math.Abs(c.want)) {
				t.Errorf("%s %v: %.9g, want %.9g (%s)", c.name, dt, got, c.want, c.source)
			}
		}
	}
}

// logSoftmaxAt is log(softmax(row))[j] in float64, shifted by the max.
func logSoftmaxAt(row []float64, j int) float64 {
	m := slices.Max(row)
	var s float64
	for _, x := range row {
		s += math.Exp(x - m)
	}
	return row[j] - m - math.Log(s)
}

// Issue 15's overfit-and-underfit case: on logits, the from-logits
// metric is the loss's figure; the probability metric reads logits as
// probabilities, clipped, and is far off.
func TestBinaryCrossentropyFromLogitsDiffers(t *testing.T) {
	b := batch{[]int{4, 1}, []int{4, 1}, []float64{0, 1, 1, 0}, []float64{2, -1.5, 0.5, -3}}
	var want float64
	for i, x := range b.yPred {
		want += math.Max(x, 0) - x*b.yTrue[i] + math.Log1p(math.Exp(-math.Abs(x)))
	}
	want /= 4
	got := run(t, BinaryCrossentropy(FromLogits(true), Name("binary_crossentropy")), tensor.Float64, b)
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("from logits: %v, want %v", got, want)
	}
	if probs := run(t, BinaryCrossentropy(), tensor.Float64, b); math.Abs(probs-got) < 1 {
		t.Errorf("probabilities metric %v, from-logits %v: expected them far apart", probs, got)
	}
}

// refFBeta is Keras's FBetaScore in float64 from per-class counts.
func refFBeta(yt, yp []float64, classes int, beta, threshold float64, average string) (float64, []float64) {
	rows := len(yp) / classes
	tp, fp, fn, sup := make([]float64, classes), make([]float64, classes), make([]float64, classes), make([]float64, classes)
	for r := range rows {
		best := math.Inf(-1)
		for j := range classes {
			best = math.Max(best, yp[r*classes+j])
		}
		for j := range classes {
			p, t := yp[r*classes+j], yt[r*classes+j]
			pos := 0.0
			if (threshold > 0 && p > threshold) || (threshold == 0 && p >= best && math.Abs(p) > 1e-9) {
				pos = 1
			}
			tp[j] += pos * t
			fp[j] += pos * (1 - t)
			fn[j] += (1 - pos) * t
			sup[j] += t
		}
	}
	f := func(tp, fp, fn float64) float64 {
		p, r := tp/(tp+fp+1e-7), tp/(tp+fn+1e-7)
		return (1 + beta*beta) * (p * r / (beta*beta*p + r + 1e-7))
	}
	per := make([]float64, classes)
	for j := range per {
		per[j] = f(tp[j], fp[j], fn[j])
	}
	switch average {
	case "micro":
		var a, b, c float64
		for j := range per {
			a, b, c = a+tp[j], b+fp[j], c+fn[j]
		}
		return f(a, b, c), []float64{f(a, b, c)}
	case "weighted":
		var s, w float64
		for j := range per {
			w += sup[j]
		}
		for j := range per {
			s += per[j] * sup[j] / (w + 1e-7)
		}
		return s, per
	}
	var s float64
	for _, x := range per {
		s += x
	}
	return s / float64(classes), per
}

func TestFScores(t *testing.T) {
	// Keras f_score_metrics.py docstrings.
	doc := batch{[]int{3, 3}, []int{3, 3}, []float64{1, 1, 1, 1, 0, 0, 1, 1, 0}, []float64{0.2, 0.6, 0.7, 0.2, 0.6, 0.6, 0.6, 0.8, 0}}
	for _, c := range []struct {
		m    Metric
		want []float64
	}{
		{FBetaScore(Beta(2), Threshold(0.5)), []float64{0.3846154, 0.90909094, 0.8333334}},
		{F1Score(Threshold(0.5)), []float64{0.5, 0.8, 0.6666667}},
	} {
		run(t, c.m, tensor.Float32, doc)
		got := c.m.(Vector).Values()
		for j := range c.want {
			if math.Abs(got[j]-c.want[j]) > 1e-6 {
				t.Errorf("%s class %d: %.8g, want %.8g (Keras docstring)", c.m.Name(), j, got[j], c.want[j])
			}
		}
	}
	// Every average, threshold or argmax, against refFBeta, in two
	// batches (the counts accumulate).
	b := batch{[]int{5, 3}, []int{5, 3},
		[]float64{1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1},
		[]float64{0.7, 0.2, 0.1, 0.3, 0.3, 0.4, 0.1, 0.8, 0.1, 0.45, 0.35, 0.2, 0.1, 0.6, 0.55}}
	first, second := split(b, 2)
	for _, avg := range []string{"", "micro", "macro", "weighted"} {
		for _, thr := range []float64{0, 0.5, 0.3} {
			for _, beta := range []float64{1, 0.5, 2} {
				opts := []Option{Average(avg), Beta(beta)}
				if thr > 0 {
					opts = append(opts, Threshold(thr))
				}
				want, wantPer := refFBeta(b.yTrue, b.yPred, 3, beta, thr, avg)
				for _, dt := range dtypes {
					m := FBetaScore(opts...)
					got := run(t, m, dt, first, second)
					if math.Abs(got-want) > 1e-6 {
						t.Errorf("average %q threshold %v beta %v %v: %.9g, want %.9g", avg, thr, beta, dt, got, want)
					}
					if per := m.(Vector).Values(); avg != "weighted" && avg != "micro" && !slices.EqualFunc(per, wantPer, func(a, b float64) bool { return math.Abs(a-b) < 1e-6 }) {
						t.Errorf("average %q: per class %v, want %v", avg, per, wantPer)
					}
				}
			}
		}
	}
	for name, f := range map[string]func(){
		"average":   func() { F1Score(Average("samples")) },
		"beta":      func() { FBetaScore(Beta(0)) },
		"threshold": func() { F1Score(Threshold(0)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// refR2 is Keras's R2Score (uniform or variance-weighted average,
// adjusted for p regressors) over rows of c outputs, in float64.
func refR2(yt, yp []float64, c int, weighted bool, p int) float64 {
	n := len(yt) / c
	var num, den, sum float64
	for j := range c {
		var mean float64
		for r := range n {
			mean += yt[r*c+j] / float64(n)
		}
		var res, tot float64
		for r := range n {
			res += (yt[r*c+j] - yp[r*c+j]) * (yt[r*c+j] - yp[r*c+j])
			tot += (yt[r*c+j] - mean) * (yt[r*c+j] - mean)
		}
		s := 1 - res/tot
		sum += s
		num += tot * s
		den += tot
	}
	r2 := sum / float64(c)
	if weighted {
		r2 = num / den
	}
	if p > 0 && p < n-1 {
		r2 = 1 - (1-r2)*float64(n-1)/float64(n-p-1)
	}
	return r2
}

func TestR2Score(t *testing.T) {
	b := batch{[]int{5, 2}, []int{5, 2}, []float64{1, 10, 4, 20, 3, 15, 7, 30, 2, 12}, []float64{1.5, 11, 3, 18, 3.5, 16, 6, 27, 2, 14}}
	first, second := split(b, 3)
	for _, c := range []struct {
		opts     []Option
		weighted bool
		p        int
	}{
		{nil, false, 0},
		{[]Option{ClassAggregation("variance_weighted_average")}, true, 0},
		{[]Option{NumRegressors(2)}, false, 2},
		{[]Option{NumRegressors(4)}, false, 0}, // p = n-1: Keras falls back to the plain score
	} {
		want := refR2(b.yTrue, b.yPred, 2, c.weighted, c.p)
		for _, dt := range dtypes {
			if got := run(t, R2Score(c.opts...), dt, first, second); math.Abs(got-want) > 1e-6 {
				t.Errorf("%v %v: %.9g, want %.9g", c.opts, dt, got, want)
			}
		}
	}
	// The number of outputs must not change between batches.
	m := R2Score()
	yt, yp := b.tensors(tensor.Float64)
	if err := m.Update(yt, yp); err != nil {
		t.Fatal(err)
	}
	if err := m.Update(build(tensor.Float64, []int{4, 1}, kerasDoc.yTrue), build(tensor.Float64, []int{4, 1}, kerasDoc.yPred)); !errors.Is(err, ErrShape) {
		t.Errorf("outputs 2 then 1: %v, want ErrShape", err)
	}
}

type constMetric struct{ name string }

func (m *constMetric) Name() string                    { return m.name }
func (m *constMetric) Reset()                          {}
func (m *constMetric) Update(_, _ *tensor.Dense) error { return nil }
func (m *constMetric) Result() float64                 { return 42 }

func TestRegisterMetric(t *testing.T) {
	const name = "test_register_const"
	if err := Register(name, func() Metric { return &constMetric{name} }); err != nil {
		t.Fatal(err)
	}
	a, err := Get(name, "mse", 1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Get(name, "mse", 1)
	if a.Name() != name || a.Result() != 42 || a == b {
		t.Errorf("Get(%q) = %v (name %q); a fresh metric each time: %v", name, a, a.Name(), a != b)
	}
	if !slices.Contains(Names(), name) {
		t.Errorf("Names() lacks %q", name)
	}
	for _, bad := range []string{"", name, "mse", "accuracy", "F1Score"} {
		if err := Register(bad, func() Metric { return &constMetric{bad} }); err == nil {
			t.Errorf("Register(%q): no error", bad)
		}
	}
	if err := Register("test_register_nil_make", nil); err == nil {
		t.Error("nil make: no error")
	}
	// Many goroutines registering and looking up at once.
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := "test_concurrent_metric_" + string(rune('a'+i%4))
			if err := Register(n, func() Metric { return &constMetric{n} }); err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
			_, _ = Get("mse", "", 1)
		}()
	}
	wg.Wait()
	if ok != 4 {
		t.Errorf("%d registrations succeeded, want 4", ok)
	}
}
