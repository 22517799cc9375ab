package opkit

import "math"

// Tanh32 returns tanh x rounded to float32, for the fused dense op: it is
// computed in float64 and rounded once, so it is within one unit in the
// last place of the exact result and most often equal to it (closer than
// chewxy/math32's Tanh, which computes in float32), at twice math32's
// speed. On the moons net (a tanh layer, a softmax) math32's Tanh was a
// third of a training step.
func Tanh32(x float32) float32 {
	switch {
	case x > 9.1: // 1 - tanh 9.1 is under half an ulp of 1 in float32
		return 1
	case x < -9.1:
		return -1
	case x > -0.125 && x < 0.125:
		// The Taylor series: its next term, 21844/6081075·x¹³, is
		// under 2^-53 of the sum.
		v := float64(x)
		v2 := v * v
		return float32(v * (1 + v2*(-1.0/3+v2*(2.0/15+v2*(-17.0/315+v2*(62.0/2835+v2*(-1382.0/155925)))))))
	case x != x:
		return x
	}
	e := expReduced(2 * float64(x)) // |x| ≥ 1/8: e - 1 loses no digits
	return float32((e - 1) / (e + 1))
}

// expReduced is e^x for x in [-104, 89] (2x for Tanh32's x in [0.125,
// 9.1]; past that range it is not), to a relative error under 2^-45: x = (32n + j)·ln 2/32 + r with
// |r| ≤ ln 2/64 (Cody and Waite's split of ln 2, so r is exact, and the
// rounding to n done by adding 1.5·2^52), then e^x = 2^n · 2^(j/32) · e^r,
// with 2^(j/32) from a table and e^r by its Taylor polynomial of degree 5
// (the remainder, r⁶/720, is under 2^-48).
func expReduced(x float64) float64 {
	const (
		toK   = 32 / math.Ln2
		shift = 0x1.8p52
		hi    = 6.93147180369123816490e-01 / 32 // math/exp.go's split of ln 2
		lo    = 1.90821492927058770002e-10 / 32
	)
	kf := x*toK + shift
	k := int64(math.Float64bits(kf)) // kf's low bits are k, in two's complement
	kf -= shift
	r := (x - kf*hi) - kf*lo
	r2 := r * r
	p := 1 + r + r2*(1.0/2+r*(1.0/6)) + r2*r2*(1.0/24+r*(1.0/120))
	scale := math.Float64frombits(uint64((k>>5)+1023) << 52)
	return exp2Frac[k&31] * p * scale
}

// exp2Frac holds 2^(j/32) for j in [0, 32).
var exp2Frac = func() (t [32]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 32)
	}
	return t
}()
