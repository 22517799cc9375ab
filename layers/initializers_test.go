package layers_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gokeras/keras/layers"
)

// truncFactor is the standard deviation of a standard normal truncated to
// [-2, 2] (Keras's 0.87962566103423978 in VarianceScaling).
const truncFactor = 0.87962566103423978

func initStats(v []float64) (mean, std, maxAbs float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		std += (x - mean) * (x - mean)
		maxAbs = math.Max(maxAbs, math.Abs(x))
	}
	return mean, math.Sqrt(std / float64(len(v))), maxAbs
}

// TestInitializerStatistics draws 60,000 values per initializer and
// checks mean, standard deviation and bounds against Keras's definitions
// (keras/src/initializers/random_initializers.py): for a (200, 300)
// kernel fan_in = 200, fan_out = 300; variance-scaling normals are
// truncated at 2 stddev with stddev sqrt(scale/n)/0.8796..., so the values'
// std is sqrt(scale/n); uniforms lie in ±sqrt(3*scale/n).
func TestInitializerStatistics(t *testing.T) {
	shape := []int{200, 300}
	const in, out = 200.0, 300.0
	cases := []struct {
		init       layers.Initializer
		mean, std  float64
		lo, hi     float64 // every value within [lo, hi]; lo = hi = 0: no bound
		reachBound bool    // the bounds are nearly reached (uniform)
	}{
		{layers.GlorotUniform(), 0, math.Sqrt(6/(in+out)) / math.Sqrt(3), -math.Sqrt(6 / (in + out)), math.Sqrt(6 / (in + out)), true},
		{layers.GlorotNormal(), 0, math.Sqrt(2 / (in + out)), -2 * math.Sqrt(2/(in+out)) / truncFactor, 2 * math.Sqrt(2/(in+out)) / truncFactor, false},
		{layers.HeNormal(), 0, math.Sqrt(2 / in), -2 * math.Sqrt(2/in) / truncFactor, 2 * math.Sqrt(2/in) / truncFactor, false},
		{layers.HeUniform(), 0, math.Sqrt(6/in) / math.Sqrt(3), -math.Sqrt(6 / in), math.Sqrt(6 / in), true},
		{layers.LecunNormal(), 0, math.Sqrt(1 / in), -2 * math.Sqrt(1/in) / truncFactor, 2 * math.Sqrt(1/in) / truncFactor, false},
		{layers.LecunUniform(), 0, math.Sqrt(3/in) / math.Sqrt(3), -math.Sqrt(3 / in), math.Sqrt(3 / in), true},
		{layers.VarianceScaling(2, "fan_out", "untruncated_normal"), 0, math.Sqrt(2 / out), 0, 0, false},
		{layers.VarianceScaling(3, "fan_avg", "uniform"), 0, math.Sqrt(3*3/((in+out)/2)) / math.Sqrt(3), -math.Sqrt(9 / 250.0), math.Sqrt(9 / 250.0), true},
		{layers.VarianceScaling(1, "fan_in", "normal"), 0, math.Sqrt(1 / in), -2 * math.Sqrt(1/in) / truncFactor, 2 * math.Sqrt(1/in) / truncFactor, false},
		{layers.RandomNormal(0, 0.05), 0, 0.05, 0, 0, false},
		{layers.RandomNormal(1, 2), 1, 2, 0, 0, false},
		{layers.RandomUniform(-0.05, 0.05), 0, 0.1 / math.Sqrt(12), -0.05, 0.05, true},
		{layers.RandomUniform(2, 5), 3.5, 3 / math.Sqrt(12), 2, 5, true},
		// Keras's TruncatedNormal does not rescale: std is 0.88*stddev.
		{layers.TruncatedNormal(0, 0.05), 0, 0.05 * truncFactor, -0.1, 0.1, false},
		{layers.TruncatedNormal(3, 0.5), 3, 0.5 * truncFactor, 2, 4, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.init.Name(), tc.init.Config()), func(t *testing.T) {
			v := tc.init.Initialize(rand.New(rand.NewPCG(11, 12)), shape)
			if len(v) != 60000 {
				t.Fatalf("got %d values, want 60000", len(v))
			}
			mean, std, _ := initStats(v)
			if math.Abs(mean-tc.mean) > 5*tc.std/math.Sqrt(float64(len(v))) {
				t.Errorf("mean %v, want %v", mean, tc.mean)
			}
			if math.Abs(std/tc.std-1) > 0.02 {
				t.Errorf("std %v, want %v", std, tc.std)
			}
			if tc.lo == 0 && tc.hi == 0 {
				return
			}
			lo, hi := slices.Min(v), slices.Max(v)
			if lo < tc.lo || hi > tc.hi {
				t.Errorf("values in [%v, %v], want within [%v, %v]", lo, hi, tc.lo, tc.hi)
			}
			w := tc.hi - tc.lo
			near := 0.01
			if !tc.reachBound {
				near = 0.05 // truncated normals rarely come this close to ±2σ
			}
			if lo > tc.lo+near*w || hi < tc.hi-near*w {
				t.Errorf("values in [%v, %v], want close to [%v, %v]", lo, hi, tc.lo, tc.hi)
			}
		})
	}
}

// TestInitializerFans checks Keras's compute_fans through the uniform
// limits: a vector of n has fan_in = fan_out = n; a matrix (in, out) has
// in, out; a kernel (3, 3, 16, 32) has 3*3*16 and 3*3*32; a scalar has
// 1, 1.
func TestInitializerFans(t *testing.T) {
	cases := []struct {
		init  layers.Initializer
		shape []int
		limit float64
	}{
		{layers.GlorotUniform(), []int{50}, math.Sqrt(6.0 / 100)},
		{layers.HeUniform(), []int{50}, math.Sqrt(6.0 / 50)},
		{layers.GlorotUniform(), []int{40, 10}, math.Sqrt(6.0 / 50)},
		{layers.HeUniform(), []int{40, 10}, math.Sqrt(6.0 / 40)},
		{layers.VarianceScaling(1, "fan_out", "uniform"), []int{40, 10}, math.Sqrt(3.0 / 10)},
		{layers.GlorotUniform(), []int{3, 3, 16, 32}, math.Sqrt(6.0 / (144 + 288))},
		{layers.HeUniform(), []int{3, 3, 16, 32}, math.Sqrt(6.0 / 144)},
		{layers.HeUniform(), []int{}, math.Sqrt(6.0)},
	}
	for _, tc := range cases {
		rng := rand.New(rand.NewPCG(13, 14))
		maxAbs := 0.0
		n := 0
		// Enough draws that the largest |value| comes within 1% of the limit.
		for n < 20000 {
			v := tc.init.Initialize(rng, tc.shape)
			n += len(v)
			_, _, m := initStats(v)
			maxAbs = math.Max(maxAbs, m)
		}
		if maxAbs > tc.limit || maxAbs < 0.99*tc.limit {
			t.Errorf("%s %v: max |value| %v, want just under the limit %v", tc.init.Name(), tc.shape, maxAbs, tc.limit)
		}
	}
}

func TestInitializerSeeds(t *testing.T) {
	for _, name := range layers.InitializerNames() {
		init, err := layers.GetInitializer(name)
		if err != nil {
			t.Fatal(err)
		}
		a := init.Initialize(rand.New(rand.NewPCG(1, 2)), []int{7, 5})
		b := init.Initialize(rand.New(rand.NewPCG(1, 2)), []int{7, 5})
		if !slices.Equal(a, b) {
			t.Errorf("%s: the same seed gave different values", name)
		}
		c := init.Initialize(rand.New(rand.NewPCG(1, 3)), []int{7, 5})
		random := !strings.Contains("zeros ones constant", name)
		if random == slices.Equal(a, c) {
			t.Errorf("%s: another seed gave equal=%v values, want %v", name, !random, random)
		}
	}
}

// TestInitializerRegistry checks Keras's names and defaults.
func TestInitializerRegistry(t *testing.T) {
	seed := map[string]any{"seed": nil}
	cases := map[string]map[string]any{
		"glorot_uniform":   seed,
		"glorot_normal":    seed,
		"he_normal":        seed,
		"he_uniform":       seed,
		"lecun_normal":     seed,
		"lecun_uniform":    seed,
		"variance_scaling": {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal", "seed": nil},
		"random_normal":    {"mean": 0.0, "stddev": 0.05, "seed": nil},
		"random_uniform":   {"minval": -0.05, "maxval": 0.05, "seed": nil},
		"truncated_normal": {"mean": 0.0, "stddev": 0.05, "seed": nil},
		"zeros":            {},
		"ones":             {},
		"constant":         {"value": 0.0},
		"orthogonal":       {"gain": 1.0, "seed": nil},
	}
	for name, config := range cases {
		init, err := layers.GetInitializer(name)
		if err != nil {
			t.Fatal(err)
		}
		if init.Name() != name || !reflect.DeepEqual(init.Config(), config) {
			t.Errorf("%s: got %s %v, want config %v", name, init.Name(), init.Config(), config)
		}
	}
	names := layers.InitializerNames()
	if len(names) != len(cases) || !slices.IsSorted(names) {
		t.Errorf("InitializerNames = %v", names)
	}
	if _, err := layers.GetInitializer("xavier"); err == nil || !strings.Contains(err.Error(), "glorot_uniform") {
		t.Errorf("unknown name: error %v, want one listing the known names", err)
	}
	if _, err := layers.GetInitializer(3); err == nil {
		t.Error("GetInitializer(3): no error")
	}
	g := layers.HeNormal()
	if got, err := layers.GetInitializer(g); err != nil || got != g {
		t.Errorf("GetInitializer(HeNormal()) = %v, %v", got, err)
	}
}

func TestConstantInitializers(t *testing.T) {
	cases := []struct {
		init layers.Initializer
		want float64
	}{
		{layers.Zeros(), 0}, {layers.Ones(), 1}, {layers.Constant(-2.5), -2.5},
	}
	for _, tc := range cases {
		v := tc.init.Initialize(nil, []int{2, 3})
		if len(v) != 6 {
			t.Fatalf("%s: %d values, want 6", tc.init.Name(), len(v))
		}
		for _, x := range v {
			if x != tc.want {
				t.Fatalf("%s: value %v, want %v", tc.init.Name(), x, tc.want)
			}
		}
	}
	if c := layers.Constant(-2.5).Config(); !reflect.DeepEqual(c, map[string]any{"value": -2.5}) {
		t.Errorf("Constant(-2.5).Config() = %v", c)
	}
}

func TestVarianceScalingRejects(t *testing.T) {
	for name, f := range map[string]func(){
		"scale 0":      func() { layers.VarianceScaling(0, "fan_in", "uniform") },
		"mode fan":     func() { layers.VarianceScaling(1, "fan", "uniform") },
		"distribution": func() { layers.VarianceScaling(1, "fan_in", "cauchy") },
	} {
		if panicOf(f) == nil {
			t.Errorf("%s: no panic", name)
		}
	}
}
