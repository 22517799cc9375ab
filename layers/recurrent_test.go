package layers_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
)

// kerasCell is an independent float64 implementation of Keras 3's
// recurrent cells (keras/src/layers/rnn/{simple_rnn,lstm,gru}.py) and
// of the masking rule of its backend rnn: a masked step keeps the state,
// and its output is the previous output, or zeros with
// zero_output_for_mask.
type kerasCell struct {
	class            string // SimpleRNN, LSTM, GRU
	units            int
	act, ract        func(float64) float64
	resetAfter       bool
	back, seq, zeros bool
}

func sigm(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func (c kerasCell) gates() int {
	switch c.class {
	case "LSTM":
		return 4
	case "GRU":
		return 3
	}
	return 1
}

// dot returns (v·M)[j] for M (len(v), cols).
func dot(v []float64, m []float64, cols, j int) float64 {
	s := 0.0
	for i, x := range v {
		s += x * m[i*cols+j]
	}
	return s
}

// run returns (n, t, u) outputs in processing order, or (n, u).
func (c kerasCell) run(x []float64, n, t, f int, k, rk, b, mask []float64) []float64 {
	u, g := c.units, c.gates()*c.units
	var out []float64
	for s := 0; s < n; s++ {
		h, cs := make([]float64, u), make([]float64, u)
		prev := make([]float64, u)
		for step := 0; step < t; step++ {
			tt := step
			if c.back {
				tt = t - 1 - step
			}
			xt := x[(s*t+tt)*f : (s*t+tt+1)*f]
			xb := func(j int) float64 { // x·W + input bias
				v := dot(xt, k, g, j)
				if b != nil {
					v += b[j]
				}
				return v
			}
			nh, nc := make([]float64, u), make([]float64, u)
			for j := 0; j < u; j++ {
				switch c.class {
				case "SimpleRNN":
					nh[j] = c.act(xb(j) + dot(h, rk, g, j))
				case "LSTM":
					i := c.ract(xb(j) + dot(h, rk, g, j))
					fg := c.ract(xb(u+j) + dot(h, rk, g, u+j))
					cc := c.act(xb(2*u+j) + dot(h, rk, g, 2*u+j))
					o := c.ract(xb(3*u+j) + dot(h, rk, g, 3*u+j))
					nc[j] = fg*cs[j] + i*cc
					nh[j] = o * c.act(nc[j])
				case "GRU":
					rb := func(j int) float64 {
						if c.resetAfter && b != nil {
							return b[g+j]
						}
						return 0
					}
					z := c.ract(xb(j) + dot(h, rk, g, j) + rb(j))
					r := c.ract(xb(u+j) + dot(h, rk, g, u+j) + rb(u+j))
					var hh float64
					if c.resetAfter {
						hh = c.act(xb(2*u+j) + r*(dot(h, rk, g, 2*u+j)+rb(2*u+j)))
					} else {
						rh := make([]float64, u)
						for i := range rh {
							rh[i] = c.ract(xb(u+i)+dot(h, rk, g, u+i)) * h[i]
						}
						hh = c.act(xb(2*u+j) + dot(rh, rk, g, 2*u+j))
					}
					nh[j] = z*h[j] + (1-z)*hh
				}
			}
			o := nh
			if mask != nil && mask[s*t+tt] == 0 {
				o = prev
				if c.zeros {
					o = make([]float64, u)
				}
			} else {
				h, cs = nh, nc
			}
			prev = h
			if c.seq {
				out = append(out, o...)
			} else if step == t-1 {
				out = append(out, o...)
			}
		}
	}
	return out
}

func randVals(r *rand.Rand, n int, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = (2*r.Float64() - 1) * scale
	}
	return v
}

func floats(d *tensor.Dense) []float64 {
	switch v := d.Data().(type) {
	case []float32:
		o := make([]float64, len(v))
		for i, x := range v {
			o[i] = float64(x)
		}
		return o
	case []float64:
		return v
	}
	return nil
}

type rnnCase struct {
	name  string
	layer func(opts ...layers.Option) layers.Layer
	cell  kerasCell
}

func rnnCases() []rnnCase {
	hs := func(x float64) float64 { return math.Min(math.Max(x+3, 0), 6) / 6 }
	relu := func(x float64) float64 { return math.Max(x, 0) }
	return []rnnCase{
		{"simple_rnn", func(o ...layers.Option) layers.Layer { return layers.SimpleRNN(3, o...) }, kerasCell{class: "SimpleRNN", units: 3, act: math.Tanh}},
		{"simple_rnn_relu", func(o ...layers.Option) layers.Layer {
			return layers.SimpleRNN(3, append(o, layers.Activation("relu"))...)
		}, kerasCell{class: "SimpleRNN", units: 3, act: relu}},
		{"lstm", func(o ...layers.Option) layers.Layer { return layers.LSTM(3, o...) }, kerasCell{class: "LSTM", units: 3, act: math.Tanh, ract: sigm}},
		{"lstm_hard_sigmoid", func(o ...layers.Option) layers.Layer {
			return layers.LSTM(3, append(o, layers.RecurrentActivation("hard_sigmoid"))...)
		}, kerasCell{class: "LSTM", units: 3, act: math.Tanh, ract: hs}},
		{"gru", func(o ...layers.Option) layers.Layer { return layers.GRU(3, o...) }, kerasCell{class: "GRU", units: 3, act: math.Tanh, ract: sigm, resetAfter: true}},
		{"gru_reset_before", func(o ...layers.Option) layers.Layer {
			return layers.GRU(3, append(o, layers.ResetAfter(false))...)
		}, kerasCell{class: "GRU", units: 3, act: math.Tanh, ract: sigm}},
	}
}

// seqInput returns x (n, t, f) where some steps are all zeros (masked
// by Masking(0)): sample 1 is padded at the end, sample 2 at the start,
// sample 3 in the middle, and the mask it gives.
func seqInput(r *rand.Rand, n, t, f int) (x, mask []float64) {
	x = randVals(r, n*t*f, 1)
	mask = make([]float64, n*t)
	for s := 0; s < n; s++ {
		for j := 0; j < t; j++ {
			m := 1.0
			switch s % 4 {
			case 1:
				m = b2f(j < t-2)
			case 2:
				m = b2f(j >= 1)
			case 3:
				m = b2f(j != 2)
			}
			mask[s*t+j] = m
			if m == 0 {
				for i := 0; i < f; i++ {
					x[(s*t+j)*f+i] = 0
				}
			}
		}
	}
	return x, mask
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func closeTo(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values, want %d", what, len(got), len(want))
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol {
			t.Fatalf("%s: element %d: got %.7g, want %.7g", what, i, got[i], want[i])
		}
	}
}

// Each recurrent layer with set weights gives Keras's numbers, with and
// without a mask, returning sequences or not, forwards and backwards.
func TestRecurrentLayersMatchKerasEquations(t *testing.T) {
	const n, steps, f = 5, 5, 2
	for _, tc := range rnnCases() {
		for _, masked := range []bool{false, true} {
			for _, seq := range []bool{false, true} {
				for _, back := range []bool{false, true} {
					t.Run(fmt.Sprintf("%s/mask=%t/seq=%t/back=%t", tc.name, masked, seq, back), func(t *testing.T) {
						r := rand.New(rand.NewPCG(1, 2))
						l := tc.layer(layers.ReturnSequences(seq), layers.GoBackwards(back))
						var m *keras.Model
						if masked {
							m = keras.Sequential(keras.Input(steps, f), layers.Masking(0), l)
						} else {
							m = keras.Sequential(keras.Input(steps, f), l)
						}
						ws := m.GetWeights()
						if len(ws) != 3 {
							t.Fatalf("got %d weights, want kernel, recurrent_kernel, bias", len(ws))
						}
						vals := make([][]float64, 3)
						for i, w := range ws {
							vals[i] = randVals(r, w.Shape().TotalSize(), 0.7)
							ws[i] = tensorOf(vals[i], w.Shape()...)
						}
						if err := m.SetWeights(ws); err != nil {
							t.Fatal(err)
						}
						x, mask := seqInput(r, n, steps, f)
						if !masked {
							x = randVals(r, n*steps*f, 1)
							mask = nil
						}
						got, err := m.Predict(tensorOf(x, n, steps, f))
						if err != nil {
							t.Fatal(err)
						}
						c := tc.cell
						c.back, c.seq = back, seq
						want := c.run(x, n, steps, f, vals[0], vals[1], vals[2], mask)
						closeTo(t, "output", floats(got), want, 2e-6)
					})
				}
			}
		}
	}
}

// Bidirectional in every merge mode: the forward layer, and the backward
// one (zero outputs at masked steps when returning sequences, as Keras's
// Bidirectional sets) put back in time order.
func TestBidirectionalMatchesKeras(t *testing.T) {
	const n, steps, f = 4, 5, 2
	for _, mode := range []string{"concat", "sum", "mul", "ave"} {
		for _, seq := range []bool{false, true} {
			for _, tc := range rnnCases()[2:5] {
				t.Run(fmt.Sprintf("%s/%s/seq=%t", tc.name, mode, seq), func(t *testing.T) {
					r := rand.New(rand.NewPCG(3, 4))
					m := keras.Sequential(keras.Input(steps, f), layers.Masking(0),
						layers.Bidirectional(tc.layer(layers.ReturnSequences(seq)), layers.MergeMode(mode)))
					ws := m.GetWeights()
					if len(ws) != 6 {
						t.Fatalf("got %d weights, want 3 forward then 3 backward", len(ws))
					}
					vals := make([][]float64, 6)
					for i, w := range ws {
						vals[i] = randVals(r, w.Shape().TotalSize(), 0.7)
						ws[i] = tensorOf(vals[i], w.Shape()...)
					}
					if err := m.SetWeights(ws); err != nil {
						t.Fatal(err)
					}
					x, mask := seqInput(r, n, steps, f)
					got, err := m.Predict(tensorOf(x, n, steps, f))
					if err != nil {
						t.Fatal(err)
					}
					fc, bc := tc.cell, tc.cell
					fc.seq, bc.seq, bc.back = seq, seq, true
					fc.zeros, bc.zeros = seq, seq
					fw := fc.run(x, n, steps, f, vals[0], vals[1], vals[2], mask)
					bw := bc.run(x, n, steps, f, vals[3], vals[4], vals[5], mask)
					u := tc.cell.units
					rows := n
					if seq {
						rows = n * steps
						// Put the backward outputs back in time order.
						rev := make([]float64, len(bw))
						for s := 0; s < n; s++ {
							for j := 0; j < steps; j++ {
								copy(rev[(s*steps+j)*u:(s*steps+j+1)*u], bw[(s*steps+steps-1-j)*u:])
							}
						}
						bw = rev
					}
					var want []float64
					for i := 0; i < rows; i++ {
						a, b := fw[i*u:(i+1)*u], bw[i*u:(i+1)*u]
						switch mode {
						case "concat":
							want = append(append(want, a...), b...)
						default:
							for j := range a {
								switch mode {
								case "sum":
									want = append(want, a[j]+b[j])
								case "mul":
									want = append(want, a[j]*b[j])
								case "ave":
									want = append(want, (a[j]+b[j])/2)
								}
							}
						}
					}
					closeTo(t, "output", floats(got), want, 2e-6)
				})
			}
		}
	}
}

// Finite differences through the layers' Call, in float64, for the
// input and every weight, with a mask from Masking.
func TestRecurrentLayerGradients(t *testing.T) {
	const batch, steps, f = 4, 4, 2
	cases := []struct {
		name  string
		layer func() layers.Layer
	}{
		{"simple_rnn", func() layers.Layer { return layers.SimpleRNN(3, layers.ReturnSequences(true)) }},
		{"lstm", func() layers.Layer { return layers.LSTM(3) }},
		{"gru", func() layers.Layer { return layers.GRU(2, layers.ReturnSequences(true), layers.GoBackwards(true)) }},
		{"gru_reset_before", func() layers.Layer { return layers.GRU(2, layers.ResetAfter(false)) }},
		{"bidirectional_lstm", func() layers.Layer {
			return layers.Bidirectional(layers.LSTM(2, layers.ReturnSequences(true)), layers.MergeMode("mul"))
		}},
		{"time_distributed_dense", func() layers.Layer { return layers.TimeDistributed(layers.Dense(3)) }},
	}
	for _, tc := range cases {
		for _, training := range []bool{false, true} {
			for _, masked := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/training=%t/masked=%t", tc.name, training, masked), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(5, 6))
					l := tc.layer()
					l.SetName(tc.name)
					if _, err := layers.BuildLayer(l, []int{steps, f}); err != nil {
						t.Fatal(err)
					}
					for _, w := range l.Weights() {
						w.Value = fdTensor(rng, -0.8, 0.8, w.Shape...)
					}
					g := G.NewGraph()
					ctx := layers.NewContext(g, training, batch, tensor.Float64)
					xv, _ := seqInput(rng, batch, steps, f)
					if !masked {
						xv = randVals(rng, batch*steps*f, 1)
					}
					x := fdNode(g, "x", tensorOf(xv, batch, steps, f))
					in, mask := x, (*G.Node)(nil)
					if masked {
						mk := layers.Masking(0)
						mk.SetName("masking")
						if _, err := layers.BuildLayer(mk, []int{steps, f}); err != nil {
							t.Fatal(err)
						}
						ctx.BeginCall(mk, nil)
						var err error
						if in, err = mk.Call(ctx, x); err != nil {
							t.Fatal(err)
						}
						mask = ctx.OutputMask()
					}
					ctx.BeginCall(l, mask)
					y, err := l.Call(ctx, in)
					if err != nil {
						t.Fatal(err)
					}
					loss, err := fdWeightedSum(g, rng, y)
					if err != nil {
						t.Fatal(err)
					}
					_, params := ctx.Params()
					if len(params) != len(l.Weights()) {
						t.Fatalf("graph uses %d params, layer has %d weights", len(params), len(l.Weights()))
					}
					wrt := params
					if !masked {
						// A masked step's input is all zeros; nudging one
						// unmasks it, so x is checked without a mask.
						wrt = append([]*G.Node{x}, params...)
					}
					fdCheck(t, g, loss, wrt)
				})
			}
		}
	}
}

// Embedding with MaskZero feeds its mask to an LSTM: the LSTM's output
// equals that of the same LSTM on the unpadded ids.
func TestEmbeddingMaskZeroReachesLSTM(t *testing.T) {
	build := func(steps int) *keras.Model {
		return keras.Sequential(keras.Input(steps), layers.Embedding(10, 4, layers.MaskZero(true)), layers.LSTM(3))
	}
	short, padded := build(3), build(5)
	if err := padded.SetWeights(short.GetWeights()); err != nil {
		t.Fatal(err)
	}
	a, err := short.Predict(tensorOf([]float64{4, 2, 9, 1, 1, 3}, 2, 3))
	if err != nil {
		t.Fatal(err)
	}
	b, err := padded.Predict(tensorOf([]float64{4, 2, 9, 0, 0, 1, 1, 0, 3, 0}, 2, 5))
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "padded vs unpadded", floats(b), floats(a), 1e-6)
	// And the embedding rows themselves.
	e := keras.Sequential(keras.Input(3), layers.Embedding(10, 4))
	table := floats(e.GetWeights()[0])
	for _, v := range table {
		if v < -0.05 || v >= 0.05 {
			t.Fatalf("embedding starts at %v, outside Keras's uniform(-0.05, 0.05)", v)
		}
	}
	out, err := e.Predict(tensorOf([]float64{7, 0, 7}, 1, 3))
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "row 7", floats(out)[:4], table[28:32], 0)
	closeTo(t, "row 0", floats(out)[4:8], table[0:4], 0)
}

func TestEmbeddingGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	l := layers.Embedding(6, 3)
	l.SetName("embedding")
	if _, err := layers.BuildLayer(l, []int{4}); err != nil {
		t.Fatal(err)
	}
	l.Weights()[0].Value = fdTensor(rng, -1, 1, 6, 3)
	g := G.NewGraph()
	ctx := layers.NewContext(g, true, 2, tensor.Float64)
	x := fdNode(g, "ids", tensorOf([]float64{1, 5, 1, 0, 2, 2, 3, 5}, 2, 4))
	y, err := l.Call(ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := fdWeightedSum(g, rng, y)
	if err != nil {
		t.Fatal(err)
	}
	_, params := ctx.Params()
	fdCheck(t, g, loss, params)
}

func TestRecurrentBadInputs(t *testing.T) {
	cases := []struct {
		name  string
		model func() *keras.Model
		x     *tensor.Dense
		want  string
	}{
		{"id too large", func() *keras.Model {
			return keras.Sequential(keras.Input(3), layers.Embedding(5, 2))
		}, tensorOf([]float64{1, 5, 0}, 1, 3), "outside [0, 5)"},
		{"negative id", func() *keras.Model {
			return keras.Sequential(keras.Input(3), layers.Embedding(5, 2))
		}, tensorOf([]float64{1, -1, 0}, 1, 3), "outside"},
		{"fractional id", func() *keras.Model {
			return keras.Sequential(keras.Input(3), layers.Embedding(5, 2))
		}, tensorOf([]float64{1, 2.5, 0}, 1, 3), "whole numbers"},
		{"rank", func() *keras.Model {
			return keras.Sequential(keras.Input(6), layers.LSTM(2))
		}, tensorOf(make([]float64, 6), 1, 6), "rank 3"},
		{"bidirectional of dense", func() *keras.Model {
			return keras.Sequential(keras.Input(3, 2), layers.Bidirectional(layers.Dense(2)))
		}, tensorOf(make([]float64, 6), 1, 3, 2), "recurrent layer"},
		{"merge mode", func() *keras.Model {
			return keras.Sequential(keras.Input(3, 2), layers.Bidirectional(layers.GRU(2), layers.MergeMode("max")))
		}, tensorOf(make([]float64, 6), 1, 3, 2), "merge mode"},
		{"unknown activation", func() *keras.Model {
			return keras.Sequential(keras.Input(3, 2), layers.LSTM(2, layers.RecurrentActivation("softmax")))
		}, tensorOf(make([]float64, 6), 1, 3, 2), "softmax"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.model().Predict(tc.x)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

// Config round trip: FromConfig(Config()) gives a layer with the same
// config, for every new layer (the wrappers hold the wrapped layer's).
func TestRecurrentConfigRoundTrip(t *testing.T) {
	for _, l := range []layers.Layer{
		layers.SimpleRNN(4, layers.ReturnSequences(true), layers.Activation("relu")),
		layers.LSTM(5, layers.GoBackwards(true), layers.UnitForgetBias(false), layers.RecurrentActivation("hard_sigmoid")),
		layers.GRU(3, layers.ResetAfter(false), layers.UseBias(false)),
		layers.Bidirectional(layers.GRU(3, layers.ReturnSequences(true)), layers.MergeMode("ave")),
		layers.TimeDistributed(layers.Dense(2, layers.Activation("relu"))),
		layers.Embedding(100, 8, layers.MaskZero(true)),
		layers.Masking(-1),
	} {
		t.Run(l.ClassName(), func(t *testing.T) {
			cfg := l.Config()
			back, err := layers.FromConfig(l.ClassName(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := l.(*layers.TimeDistributedLayer); ok {
				// Dense's own round trip spells its initializers out;
				// the wrapper must give the same as a second trip.
				cfg = back.Config()
				if back, err = layers.FromConfig(l.ClassName(), cfg); err != nil {
					t.Fatal(err)
				}
			}
			if a, b := fmt.Sprint(cfg), fmt.Sprint(back.Config()); a != b {
				t.Fatalf("config changed:\n%s\n%s", a, b)
			}
		})
	}
}

// Keras's defaults: tanh, sigmoid, orthogonal recurrent kernel, forget
// bias 1, GRU bias (2, 3*units).
func TestRecurrentDefaults(t *testing.T) {
	m := keras.Sequential(keras.Input(4, 3), layers.LSTM(6, layers.ReturnSequences(true)), layers.GRU(5))
	ws := m.GetWeights()
	if len(ws) != 6 {
		t.Fatalf("%d weights", len(ws))
	}
	bias := floats(ws[2])
	for j := 0; j < 24; j++ {
		want := 0.0
		if j >= 6 && j < 12 {
			want = 1
		}
		if bias[j] != want {
			t.Fatalf("LSTM bias[%d] = %v, want %v (unit_forget_bias)", j, bias[j], want)
		}
	}
	// recurrent kernel (6, 24): rows orthonormal (rows < cols: Qᵀ).
	rk := floats(ws[1])
	for a := 0; a < 6; a++ {
		for b := 0; b < 6; b++ {
			d := 0.0
			for j := 0; j < 24; j++ {
				d += rk[a*24+j] * rk[b*24+j]
			}
			if math.Abs(d-b2f(a == b)) > 1e-5 {
				t.Fatalf("recurrent kernel rows %d·%d = %v, want %v (orthogonal)", a, b, d, b2f(a == b))
			}
		}
	}
	if s := ws[5].Shape(); len(s) != 2 || s[0] != 2 || s[1] != 15 {
		t.Fatalf("GRU bias shape %v, want (2, 15)", s)
	}
	cfg := layers.LSTM(2).Config()
	if cfg["activation"] != "tanh" || cfg["recurrent_activation"] != "sigmoid" || cfg["recurrent_initializer"] != "orthogonal" {
		t.Fatalf("LSTM defaults: %v", cfg)
	}
}

// Save then LoadModel predicts bit for bit the same, for every new layer.
func TestRecurrentSaveLoad(t *testing.T) {
	m := keras.Sequential(keras.Input(6),
		layers.Embedding(12, 4, layers.MaskZero(true)),
		layers.LSTM(5, layers.ReturnSequences(true)),
		layers.Bidirectional(layers.GRU(3, layers.ReturnSequences(true)), layers.MergeMode("sum")),
		layers.TimeDistributed(layers.Dense(2)),
		layers.SimpleRNN(2))
	x := tensorOf([]float64{3, 1, 0, 0, 0, 0, 11, 2, 5, 7, 1, 9}, 2, 6)
	_, want, got := predictReloaded(t, m, x)
	closeTo(t, "loaded model", floats(got), floats(want), 0)
}
