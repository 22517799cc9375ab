package rnn

import (
	"math"
	"math/rand/v2"
)

// A plain float64 implementation of Keras 3's recurrent layers (the
// cells of keras/src/layers/rnn/{simple_rnn,lstm,gru}.py stepped as
// keras/src/backend/jax/rnn.py's scan does), one sample and one step at
// a time, written without reference to the kernels under test.

func refAct(a Activation, x float64) float64 {
	switch a {
	case Tanh:
		return math.Tanh(x)
	case Sigmoid:
		return 1 / (1 + math.Exp(-x))
	case HardSigmoid: // relu6(x+3)/6
		return math.Min(math.Max(x+3, 0), 6) / 6
	case HardSigmoidKeras2: // clip(0.2x+0.5, 0, 1)
		return math.Min(math.Max(0.2*x+0.5, 0), 1)
	case Relu:
		return math.Max(x, 0)
	case Softsign:
		return x / (1 + math.Abs(x))
	case Elu:
		if x > 0 {
			return x
		}
		return math.Exp(x) - 1
	}
	return x
}

// vecMat returns v·M[:, from:from+n] for M with rows of width cols.
func vecMat(v []float64, m []float64, cols, from, n int) []float64 {
	out := make([]float64, n)
	for j := 0; j < n; j++ {
		for i, vi := range v {
			out[j] += vi * m[i*cols+from+j]
		}
	}
	return out
}

// refRun returns the outputs of every step in processing order
// (N, T, U) and the last output (N, U), flat.
func refRun(s Spec, n, t, f int, x, k, rk, b, mask []float64) (seq, last []float64) {
	u := s.Units
	g := s.gates() * u
	seq = make([]float64, n*t*u)
	last = make([]float64, n*u)
	bias := func(row, j int) float64 {
		if b == nil {
			return 0
		}
		return b[row*g+j]
	}
	for ni := 0; ni < n; ni++ {
		h := make([]float64, u)
		c := make([]float64, u)
		out := make([]float64, u)
		for step := 0; step < t; step++ {
			tau := step
			if s.GoBackwards {
				tau = t - 1 - step
			}
			xt := x[(ni*t+tau)*f : (ni*t+tau+1)*f]
			xk := vecMat(xt, k, g, 0, g)
			hn := make([]float64, u)
			cn := make([]float64, u)
			switch s.Cell {
			case SimpleRNN:
				hk := vecMat(h, rk, g, 0, g)
				for j := 0; j < u; j++ {
					hn[j] = refAct(s.Activation, xk[j]+bias(0, j)+hk[j])
				}
			case LSTM:
				hk := vecMat(h, rk, g, 0, g)
				for j := 0; j < u; j++ {
					zi := xk[j] + hk[j] + bias(0, j)
					zf := xk[u+j] + hk[u+j] + bias(0, u+j)
					zc := xk[2*u+j] + hk[2*u+j] + bias(0, 2*u+j)
					zo := xk[3*u+j] + hk[3*u+j] + bias(0, 3*u+j)
					i, fg, o := refAct(s.RecurrentActivation, zi), refAct(s.RecurrentActivation, zf), refAct(s.RecurrentActivation, zo)
					cn[j] = fg*c[j] + i*refAct(s.Activation, zc)
					hn[j] = o * refAct(s.Activation, cn[j])
				}
			case GRU:
				recRow := 0
				if s.ResetAfter {
					recRow = 1
				}
				hz := vecMat(h, rk, g, 0, u)
				hr := vecMat(h, rk, g, u, u)
				z := make([]float64, u)
				r := make([]float64, u)
				for j := 0; j < u; j++ {
					zb, rb := 0.0, 0.0
					if s.ResetAfter {
						zb, rb = bias(1, j), bias(1, u+j)
					}
					z[j] = refAct(s.RecurrentActivation, xk[j]+bias(0, j)+hz[j]+zb)
					r[j] = refAct(s.RecurrentActivation, xk[u+j]+bias(0, u+j)+hr[j]+rb)
				}
				var rec []float64
				if s.ResetAfter {
					hh := vecMat(h, rk, g, 2*u, u)
					rec = make([]float64, u)
					for j := range rec {
						rec[j] = r[j] * (hh[j] + bias(recRow, 2*u+j))
					}
				} else {
					rh := make([]float64, u)
					for j := range rh {
						rh[j] = r[j] * h[j]
					}
					rec = vecMat(rh, rk, g, 2*u, u)
				}
				for j := 0; j < u; j++ {
					hh := refAct(s.Activation, xk[2*u+j]+bias(0, 2*u+j)+rec[j])
					hn[j] = z[j]*h[j] + (1-z[j])*hh
				}
			}
			masked := s.Masked && mask[ni*t+tau] == 0
			if masked {
				// State kept; the output is the previous output (h), or
				// zero with zero_output_for_mask.
				if s.ZeroOutputForMask {
					out = make([]float64, u)
				} else {
					out = append([]float64(nil), h...)
				}
			} else {
				h, c = hn, cn
				out = append([]float64(nil), h...)
			}
			copy(seq[(ni*t+step)*u:], out)
		}
		copy(last[ni*u:], out)
	}
	return seq, last
}

func randSlice(r *rand.Rand, n int, scale float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = (r.Float64()*2 - 1) * scale
	}
	return s
}

// testMask masks, for each sample in turn: nothing; the end (padding
// after); the start (padding before); steps in the middle; everything.
func testMask(n, t int) []float64 {
	m := make([]float64, n*t)
	for i := 0; i < n; i++ {
		for j := 0; j < t; j++ {
			v := 1.0
			switch i % 5 {
			case 1:
				if j >= t-2 {
					v = 0
				}
			case 2:
				if j < 2 {
					v = 0
				}
			case 3:
				if j%2 == 1 {
					v = 0
				}
			case 4:
				v = 0
			}
			m[i*t+j] = v
		}
	}
	return m
}
