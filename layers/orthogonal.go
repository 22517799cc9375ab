package layers

import (
	"math"
	"math/rand/v2"
)

// Orthogonal draws a random orthogonal matrix times gain, as Keras's
// Orthogonal initializer (the default recurrent_initializer of the
// recurrent layers): a normal matrix of shape (max(rows, cols),
// min(rows, cols)), with rows the product of every dimension but the
// last, is factored Q·R, Q's columns are multiplied by the signs of R's
// diagonal, and Q (transposed when rows < cols) is the value. The
// registry's "orthogonal" has Keras's default gain 1.
func Orthogonal(gain float64) Initializer { return orthogonal{gain} }

type orthogonal struct{ gain float64 }

func (orthogonal) Name() string { return "orthogonal" }

func (o orthogonal) Config() map[string]any { return map[string]any{"gain": o.gain, "seed": nil} }

func (o orthogonal) Initialize(rng *rand.Rand, shape []int) []float64 {
	total := numel(shape)
	if len(shape) < 2 {
		// Keras asks for at least two dimensions; a vector gets a
		// normalised normal draw, the one-column case of the matrix.
		shape = []int{total, 1}
	}
	cols := shape[len(shape)-1]
	rows := total / cols
	m, n := max(rows, cols), min(rows, cols)
	// a is m×n, column-major here: column j is a[j*m:(j+1)*m].
	a := make([]float64, m*n)
	for i := range a {
		a[i] = rng.NormFloat64()
	}
	// Gram-Schmidt, twice per column for accuracy, gives Q with R's
	// diagonal positive, which is Q·sign(diag R) of any QR.
	for j := 0; j < n; j++ {
		cj := a[j*m : (j+1)*m]
		for pass := 0; pass < 2; pass++ {
			for k := 0; k < j; k++ {
				ck := a[k*m : (k+1)*m]
				var d float64
				for i := range cj {
					d += cj[i] * ck[i]
				}
				for i := range cj {
					cj[i] -= d * ck[i]
				}
			}
		}
		var norm float64
		for _, v := range cj {
			norm += v * v
		}
		norm = math.Sqrt(norm)
		for i := range cj {
			cj[i] /= norm
		}
	}
	out := make([]float64, total)
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			if rows >= cols {
				out[r*cols+c] = o.gain * a[c*m+r] // Q[r][c]
			} else {
				out[r*cols+c] = o.gain * a[r*m+c] // Qᵀ[r][c] = Q[c][r]
			}
		}
	}
	return out
}
