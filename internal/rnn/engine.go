package rnn

import "github.com/gokeras/keras/internal/opkit"

// The kernels behind the ops, for one dtype T.
//
// Layouts (all row-major): x is (N, T, F), so row n*T+t of the (N*T, F)
// matrix is sample n at time t. The products x·W + b of every step are
// one GEMM into xw (N*T, G), G = gates*Units, in the same rows. Each step
// then multiplies the state h (N, U) by the recurrent kernel into z
// (N, G) and applies the cell sample by sample.
//
// For the backward pass the forward keeps, per row n*T+t, what the
// derivatives need (the stash, Spec.stride wide):
//
//	SimpleRNN  a, h_prev                       (a = act(pre), before the mask)
//	LSTM       i, f, c̃, o, act(c), c_prev, h_prev
//	GRU        z, r, hh, rh, h_prev            (rh: h_prev·U_h + b_rec,h with
//	                                            ResetAfter, r⊙h_prev without)
//
// so that the weight gradients are again one GEMM each over all steps
// (dU = H_prevᵀ·dZ, dW = Xᵀ·dZ, dX = dZ·Wᵀ) and only dh·Uᵀ is per step.

type dims struct{ n, t, f, u int }

// work holds one run's buffers. A work is used by one goroutine at a
// time.
type work[T Float] struct {
	d     dims
	xw    []T // (N*T, G)
	z     []T // (N, G)
	h, c  []T // (N, U) the state
	hn    []T // (N, U) a step's new h
	tmp   []T // (N, S) the stash rows of one step when the stash is not kept
	stash []T // (N*T, S)

	// backward
	dzx, dzr         []T // (N*T, G) gradients of the pre-activations on the input and recurrent paths
	dh, dhn, dc, dcn []T // (N, U)
	dht, drhp        []T // (N, U)
}

func grow[T Float](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// prepare sizes the buffers for d; stash and backward say which of the
// optional ones are needed.
func (w *work[T]) prepare(s *Spec, d dims, stash, backward bool) {
	w.d = d
	G, S := s.gates()*d.u, s.stride()
	nt, nu := d.n*d.t, d.n*d.u
	w.xw = grow(w.xw, nt*G)
	w.z = grow(w.z, d.n*G)
	w.h = grow(w.h, nu)
	w.c = grow(w.c, nu)
	w.hn = grow(w.hn, nu)
	w.tmp = grow(w.tmp, d.n*S)
	if stash {
		w.stash = grow(w.stash, nt*S)
	}
	if backward {
		w.dzx = grow(w.dzx, nt*G)
		if s.Cell == GRU && s.ResetAfter {
			w.dzr = grow(w.dzr, nt*G)
		} else {
			w.dzr = w.dzx
		}
		w.dh = grow(w.dh, nu)
		w.dhn = grow(w.dhn, nu)
		w.dc = grow(w.dc, nu)
		w.dcn = grow(w.dcn, nu)
		w.dht = grow(w.dht, nu)
		w.drhp = grow(w.drhp, nu)
	}
}

func addRow[T Float](dst, a []T) {
	dst = dst[:len(a)]
	for i, v := range a {
		dst[i] += v
	}
}

// forward runs the recurrence and writes the output into y. With keep
// the stash is filled for backward.
func (w *work[T]) forward(s *Spec, x, k, rk, b, mask, y []T, keep bool) {
	N, T_, F, U := w.d.n, w.d.t, w.d.f, w.d.u
	G, S := s.gates()*U, s.stride()
	opkit.Gemm(false, false, N*T_, G, F, x, F, k, G, 0, w.xw, G)
	if s.UseBias {
		for r := 0; r < N*T_; r++ {
			addRow(w.xw[r*G:(r+1)*G], b[:G])
		}
	}
	var brec []T
	if s.Cell == GRU && s.ResetAfter && s.UseBias {
		brec = b[G : 2*G]
	}
	clear(w.h)
	clear(w.c)
	for step := 0; step < T_; step++ {
		tau := step
		if s.GoBackwards {
			tau = T_ - 1 - step
		}
		// The stash rows of this step: row n at base[n*rs:].
		base, rs := w.tmp, S
		if keep {
			base, rs = w.stash[tau*S:], T_*S
		}
		switch {
		case s.Cell == GRU && !s.ResetAfter:
			opkit.Gemm(false, false, N, 2*U, U, w.h, U, rk, G, 0, w.z, G)
			for n := 0; n < N; n++ {
				st := base[n*rs : n*rs+S]
				xr, zr := w.xw[(n*T_+tau)*G:], w.z[n*G:]
				for j := 0; j < 2*U; j++ {
					st[j] = xr[j] + zr[j]
				}
				apply(s.RecurrentActivation, st[:2*U], st[:2*U])
				r, h, rhp := st[U:2*U], w.h[n*U:(n+1)*U], st[3*U:4*U]
				for j := range rhp {
					rhp[j] = r[j] * h[j]
				}
			}
			// (r⊙h)·U_h for every sample, into z's h block.
			opkit.Gemm(false, false, N, U, U, base[3*U:], rs, rk[2*U:], G, 0, w.z[2*U:], G)
		default:
			opkit.Gemm(false, false, N, G, U, w.h, U, rk, G, 0, w.z, G)
			if brec != nil {
				for n := 0; n < N; n++ {
					addRow(w.z[n*G:(n+1)*G], brec)
				}
			}
		}
		for n := 0; n < N; n++ {
			row := n*T_ + tau
			st := base[n*rs : n*rs+S]
			xr, zr := w.xw[row*G:(row+1)*G], w.z[n*G:(n+1)*G]
			h, hn := w.h[n*U:(n+1)*U], w.hn[n*U:(n+1)*U]
			m := !s.Masked || mask[row] != 0
			switch s.Cell {
			case SimpleRNN:
				a := st[:U]
				for j := range a {
					a[j] = xr[j] + zr[j]
				}
				apply(s.Activation, a, a)
				copy(st[U:2*U], h)
				copy(hn, a)
			case LSTM:
				pre := st[:4*U]
				for j := range pre {
					pre[j] = xr[j] + zr[j]
				}
				apply(s.RecurrentActivation, pre[:2*U], pre[:2*U])
				apply(s.Activation, pre[2*U:3*U], pre[2*U:3*U])
				apply(s.RecurrentActivation, pre[3*U:], pre[3*U:])
				i, f, g, o := pre[:U], pre[U:2*U], pre[2*U:3*U], pre[3*U:]
				tc, cp, c := st[4*U:5*U], st[5*U:6*U], w.c[n*U:(n+1)*U]
				copy(cp, c)
				copy(st[6*U:7*U], h)
				for j := range tc {
					tc[j] = f[j]*cp[j] + i[j]*g[j]
				}
				if m {
					copy(c, tc)
				}
				apply(s.Activation, tc, tc)
				for j := range hn {
					hn[j] = o[j] * tc[j]
				}
			case GRU:
				zg, r, hh, rh, hp := st[:U], st[U:2*U], st[2*U:3*U], st[3*U:4*U], st[4*U:5*U]
				copy(hp, h)
				if s.ResetAfter {
					for j := 0; j < 2*U; j++ {
						st[j] = xr[j] + zr[j]
					}
					apply(s.RecurrentActivation, st[:2*U], st[:2*U])
					copy(rh, zr[2*U:])
					for j := range hh {
						hh[j] = xr[2*U+j] + r[j]*rh[j]
					}
				} else {
					// z and r are in place; z's h block holds (r⊙h)·U_h.
					for j := range hh {
						hh[j] = xr[2*U+j] + zr[2*U+j]
					}
				}
				apply(s.Activation, hh, hh)
				for j := range hn {
					hn[j] = zg[j]*hp[j] + (1-zg[j])*hh[j]
				}
			}
			if m {
				copy(h, hn)
			}
			var out []T
			switch {
			case s.ReturnSequences:
				out = y[(n*T_+step)*U : (n*T_+step+1)*U]
			case step == T_-1:
				out = y[n*U : (n+1)*U]
			default:
				continue
			}
			if m || !s.ZeroOutputForMask {
				copy(out, h)
			} else {
				clear(out)
			}
		}
	}
}

// backward computes the gradients from dy, the gradient of the output,
// after forward ran with keep on the same inputs. db may be nil when
// the spec has no bias.
func (w *work[T]) backward(s *Spec, x, k, rk, mask, dy, dx, dk, drk, db []T) {
	N, T_, F, U := w.d.n, w.d.t, w.d.f, w.d.u
	G, S := s.gates()*U, s.stride()
	clear(w.dh)
	clear(w.dc)
	plainGRU := s.Cell == GRU && !s.ResetAfter
	gr := G // width of the recurrent product per step
	if plainGRU {
		gr = 2 * U
	}
	for step := T_ - 1; step >= 0; step-- {
		tau := step
		if s.GoBackwards {
			tau = T_ - 1 - step
		}
		for n := 0; n < N; n++ {
			row := n*T_ + tau
			m := !s.Masked || mask[row] != 0
			dht, dh := w.dht[n*U:(n+1)*U], w.dh[n*U:(n+1)*U]
			copy(dht, dh)
			var dyk []T
			switch {
			case s.ReturnSequences:
				dyk = dy[(n*T_+step)*U : (n*T_+step+1)*U]
			case step == T_-1:
				dyk = dy[n*U : (n+1)*U]
			}
			if dyk != nil && (m || !s.ZeroOutputForMask) {
				addRow(dht, dyk)
			}
			dzx, dzr := w.dzx[row*G:(row+1)*G], w.dzr[row*G:(row+1)*G]
			dhn := w.dhn[n*U : (n+1)*U]
			if !m {
				// The step kept the state: its gradient passes through.
				clear(dzx)
				clear(dzr)
				copy(dhn, dht)
				if s.Cell == LSTM {
					copy(w.dcn[n*U:(n+1)*U], w.dc[n*U:(n+1)*U])
				}
				continue
			}
			st := w.stash[row*S : (row+1)*S]
			switch s.Cell {
			case SimpleRNN:
				mulDeriv(s.Activation, dzx, dht, st[:U])
				clear(dhn)
			case LSTM:
				i, f, g, o := st[:U], st[U:2*U], st[2*U:3*U], st[3*U:4*U]
				tc, cp := st[4*U:5*U], st[5*U:6*U]
				dc, dcn := w.dc[n*U:(n+1)*U], w.dcn[n*U:(n+1)*U]
				// dcn first holds dh⊙o, then dc_t in full.
				for j := range dcn {
					dcn[j] = dht[j] * o[j]
				}
				mulDeriv(s.Activation, dcn, dcn, tc)
				di, df, dg, do := dzx[:U], dzx[U:2*U], dzx[2*U:3*U], dzx[3*U:]
				for j := range dcn {
					dct := dc[j] + dcn[j]
					di[j] = dct * g[j]
					df[j] = dct * cp[j]
					dg[j] = dct * i[j]
					do[j] = dht[j] * tc[j]
					dcn[j] = dct * f[j]
				}
				mulDeriv(s.RecurrentActivation, di, di, i)
				mulDeriv(s.RecurrentActivation, df, df, f)
				mulDeriv(s.Activation, dg, dg, g)
				mulDeriv(s.RecurrentActivation, do, do, o)
				clear(dhn)
			case GRU:
				zg, r, hh, rh, hp := st[:U], st[U:2*U], st[2*U:3*U], st[3*U:4*U], st[4*U:5*U]
				daz, dar, dah := dzx[:U], dzx[U:2*U], dzx[2*U:]
				for j := range daz {
					daz[j] = dht[j] * (hp[j] - hh[j])
					dah[j] = dht[j] * (1 - zg[j])
					dhn[j] = dht[j] * zg[j]
				}
				mulDeriv(s.RecurrentActivation, daz, daz, zg)
				mulDeriv(s.Activation, dah, dah, hh)
				if s.ResetAfter {
					for j := range dar {
						dar[j] = dah[j] * rh[j]
					}
					mulDeriv(s.RecurrentActivation, dar, dar, r)
					copy(dzr[:2*U], dzx[:2*U])
					for j := 0; j < U; j++ {
						dzr[2*U+j] = dah[j] * r[j]
					}
				}
			}
		}
		if plainGRU {
			// d(r⊙h_prev) = dah·U_hᵀ, then the r gate and h_prev's share.
			opkit.Gemm(false, true, N, U, U, w.dzx[tau*G+2*U:], T_*G, rk[2*U:], G, 0, w.drhp, U)
			for n := 0; n < N; n++ {
				row := n*T_ + tau
				if s.Masked && mask[row] == 0 {
					continue
				}
				st := w.stash[row*S : (row+1)*S]
				r, hp := st[U:2*U], st[4*U:5*U]
				drhp, dhn := w.drhp[n*U:(n+1)*U], w.dhn[n*U:(n+1)*U]
				dar := w.dzx[row*G+U : row*G+2*U]
				for j := range dar {
					dar[j] = drhp[j] * hp[j]
					dhn[j] += drhp[j] * r[j]
				}
				mulDeriv(s.RecurrentActivation, dar, dar, r)
			}
		}
		opkit.Gemm(false, true, N, U, gr, w.dzr[tau*G:], T_*G, rk, G, 1, w.dhn, U)
		w.dh, w.dhn = w.dhn, w.dh
		if s.Cell == LSTM {
			w.dc, w.dcn = w.dcn, w.dc
		}
	}
	nt := N * T_
	opkit.Gemm(true, false, F, G, nt, x, F, w.dzx, G, 0, dk, G)
	hp := w.stash[S-U:] // h_prev is the last block of every stash row
	if plainGRU {
		opkit.Gemm(true, false, U, 2*U, nt, hp, S, w.dzx, G, 0, drk, G)
		opkit.Gemm(true, false, U, U, nt, w.stash[3*U:], S, w.dzx[2*U:], G, 0, drk[2*U:], G)
	} else {
		opkit.Gemm(true, false, U, G, nt, hp, S, w.dzr, G, 0, drk, G)
	}
	if db != nil {
		opkit.ColSum(db[:G], w.dzx[:nt*G])
		if s.Cell == GRU && s.ResetAfter {
			opkit.ColSum(db[G:2*G], w.dzr[:nt*G])
		}
	}
	opkit.Gemm(false, true, nt, F, G, w.dzx, G, k, G, 0, dx, F)
}
