package opkit

import "math"

// ReluGrad writes g where y > 0, else 0 (NaN included), y being a relu's
// output. The mask is made from y's bits, without a branch: the sign of
// a relu's output is a coin toss per element, and a mispredicted branch
// cost more than the rest of the loop.
func ReluGrad[T float32 | float64](y, g, out []T) {
	switch y := any(y).(type) {
	case []float32:
		g, out := any(g).([]float32), any(out).([]float32)
		g, out = g[:len(y)], out[:len(y)]
		for i, v := range y {
			b := int32(math.Float32bits(v))
			// b > 0 for every v > 0 (+Inf too), and b <= 0x7f800000
			// unless v is NaN; -0, +0 and negatives give b <= 0.
			keep := (-b >> 31) & ((b - 0x7f800001) >> 31)
			out[i] = math.Float32frombits(math.Float32bits(g[i]) & uint32(keep))
		}
	case []float64:
		g, out := any(g).([]float64), any(out).([]float64)
		g, out = g[:len(y)], out[:len(y)]
		for i, v := range y {
			b := int64(math.Float64bits(v))
			keep := (-b >> 63) & ((b - 0x7ff0000000000001) >> 63)
			out[i] = math.Float64frombits(math.Float64bits(g[i]) & uint64(keep))
		}
	}
}

// ColSum writes the sums of the rows of m, each len(out) wide, into out
// (a bias's gradient), row after row from zero. A partial last row is
// not read.
func ColSum[T Float](out, m []T) {
	clear(out)
	c := len(out)
	if c == 0 {
		return // no columns: nothing to sum (and no step to advance by)
	}
	for i := 0; i+c <= len(m); i += c {
		r := m[i : i+c]
		for j, v := range r {
			out[j] += v
		}
	}
}
