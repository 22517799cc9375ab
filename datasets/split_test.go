package datasets

import (
	"math"
	"slices"
	"testing"

	"gorgonia.org/tensor"
)

// indexed returns x (n, 2) whose row i is (i, -i) and y (n,) = labels.
func indexed(labels []float32) (x, y *tensor.Dense) {
	n := len(labels)
	xv := make([]float32, 2*n)
	for i := range n {
		xv[2*i], xv[2*i+1] = float32(i), float32(-i)
	}
	return dense32(xv, n, 2), dense32(slices.Clone(labels), n)
}

// scikit-learn's train_test_split: n_test = ceil(test_size * n_samples),
// n_train = n_samples - n_test; an int test_size is a count.
func TestTrainTestSplitSizes(t *testing.T) {
	for _, tc := range []struct {
		n           int
		testSize    float64
		train, test int
	}{
		{10, 0.25, 7, 3}, // ceil(2.5) = 3
		{100, 0.2, 80, 20},
		{300, 0.2, 240, 60},
		{7, 0.5, 3, 4},
		{10, 0.01, 9, 1},
		{10, 3, 7, 3}, // an absolute count
		{10, 1, 9, 1}, // 1 is a count too, where scikit-learn's 1.0 is an error
	} {
		x, y := indexed(make([]float32, tc.n))
		xTr, xTe, yTr, yTe, err := TrainTestSplit(x, y, tc.testSize)
		if err != nil {
			t.Fatal(err)
		}
		wantShape(t, "xTrain", xTr, tc.train, 2)
		wantShape(t, "xTest", xTe, tc.test, 2)
		wantShape(t, "yTrain", yTr, tc.train)
		wantShape(t, "yTest", yTe, tc.test)
		// The parts partition the samples, rows kept whole.
		var seen []int
		for _, part := range []*tensor.Dense{xTr, xTe} {
			v := f32(t, part)
			for i := 0; i < len(v); i += 2 {
				if v[i+1] != -v[i] {
					t.Fatalf("row torn apart: %v", v[i:i+2])
				}
				seen = append(seen, int(v[i]))
			}
		}
		slices.Sort(seen)
		for i, s := range seen {
			if s != i {
				t.Fatalf("n=%d test_size=%v: samples %v, want each of 0..%d once", tc.n, tc.testSize, seen, tc.n-1)
			}
		}
	}
}

func TestTrainTestSplitOrder(t *testing.T) {
	x, y := indexed(make([]float32, 10))
	xTr, xTe, _, _, err := TrainTestSplit(x, y, 0.3, Shuffle(false))
	if err != nil {
		t.Fatal(err)
	}
	if got := f32(t, xTr); got[0] != 0 || got[12] != 6 {
		t.Errorf("unshuffled train = %v, want the first 7 samples", got)
	}
	if got := f32(t, xTe); got[0] != 7 || got[4] != 9 {
		t.Errorf("unshuffled test = %v, want the last 3 samples", got)
	}
	a, _, _, _, _ := TrainTestSplit(x, y, 0.3, Seed(1))
	b, _, _, _, _ := TrainTestSplit(x, y, 0.3, Seed(1))
	c, _, _, _, _ := TrainTestSplit(x, y, 0.3, Seed(2))
	if !slices.Equal(f32(t, a), f32(t, b)) {
		t.Error("same seed gave another split")
	}
	if slices.Equal(f32(t, a), f32(t, c)) {
		t.Error("seeds 1 and 2 gave the same split")
	}
	if slices.Equal(f32(t, a), f32(t, xTr)) {
		t.Error("the default Shuffle(true) did not shuffle")
	}
}

// Stratify keeps class proportions: 60/30/10 samples split 80/20 give
// test counts 12/6/2 exactly (scikit-learn's StratifiedShuffleSplit), and
// with remainders the allotment is off by less than one per class.
func TestTrainTestSplitStratify(t *testing.T) {
	for _, tc := range []struct {
		counts   []int
		testSize float64
	}{
		{[]int{60, 30, 10}, 0.2},
		{[]int{50, 25, 13}, 0.3},
		{[]int{7, 5, 3, 2}, 0.5},
	} {
		var labels []float32
		for k, c := range tc.counts {
			for range c {
				labels = append(labels, float32(k))
			}
		}
		n := len(labels)
		x, y := indexed(labels)
		for seed := range int64(5) {
			_, _, yTr, yTe, err := TrainTestSplit(x, y, tc.testSize, Stratify(true), Seed(seed))
			if err != nil {
				t.Fatal(err)
			}
			nTest := int(math.Ceil(tc.testSize * float64(n)))
			test := labelCounts(t, yTe, len(tc.counts))
			train := labelCounts(t, yTr, len(tc.counts))
			for k, c := range tc.counts {
				want := float64(c) * float64(nTest) / float64(n)
				if math.Abs(float64(test[k])-want) >= 1 || train[k]+test[k] != c {
					t.Errorf("counts %v test_size %v: class %d split %d/%d, want about %.2f in test", tc.counts, tc.testSize, k, train[k], test[k], want)
				}
			}
		}
	}
}

func TestTrainTestSplitErrors(t *testing.T) {
	x, y := indexed([]float32{0, 0, 1, 1, 2})
	for _, tc := range []struct {
		name     string
		x, y     *tensor.Dense
		testSize float64
		opts     []Option
		inErr    string
	}{
		{"zero", x, y, 0, nil, "test_size=0 should be"},
		{"too many", x, y, 5, nil, "test_size=5 should be"},
		{"fraction above 1", x, y, 1.5, nil, "should be"},
		{"NaN", x, y, math.NaN(), nil, "should be"},
		{"mismatch", x, dense32([]float32{1}, 1), 0.5, nil, "same number of samples"},
		{"empty train", x, y, 0.9, nil, "train set would be empty"},
		{"stratify no shuffle", x, y, 0.4, []Option{Stratify(true), Shuffle(false)}, "needs Shuffle(true)"},
		{"class of one", x, y, 0.4, []Option{Stratify(true)}, "only 1 member"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, _, err := TrainTestSplit(tc.x, tc.y, tc.testSize, tc.opts...)
			wantArgError(t, err, tc.inErr)
		})
	}
	x2, y2 := indexed([]float32{0, 0, 1, 1, 2, 2})
	_, _, _, _, err := TrainTestSplit(x2, y2, 0.2, Stratify(true))
	wantArgError(t, err, "a stratified split of 3 classes needs at least 3 samples in each part")
}
