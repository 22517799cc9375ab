package datasets

import "gorgonia.org/tensor"

// XOR returns the four points of the XOR problem: x (4, 2) =
// [[0,0],[0,1],[1,0],[1,1]] and y (4, 1) = [[0],[1],[1],[0]], float32.
func XOR() (x, y *tensor.Dense) {
	x = dense32([]float32{0, 0, 0, 1, 1, 0, 1, 1}, 4, 2)
	y = dense32([]float32{0, 1, 1, 0}, 4, 1)
	return x, y
}

// XOR3 returns the XOR data with a constant third column, as the
// "neural network in 11 lines" three-layer net and James Loy's two-layer
// net of seed 000 train on: x (4, 3) = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]
// and y (4, 1) = [[0],[1],[1],[0]], float32. The target is 1 when exactly
// one of the first two columns is 1; the third column is always 1 and
// stands in for a bias.
func XOR3() (x, y *tensor.Dense) {
	x = dense32([]float32{0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1}, 4, 3)
	y = dense32([]float32{0, 1, 1, 0}, 4, 1)
	return x, y
}

// SingleNeuron returns the training set of seed 000's single-neuron
// ("9 lines") program: x (4, 3) = [[0,0,1],[1,1,1],[1,0,1],[0,1,1]] and
// y (4, 1) = [[0],[1],[1],[0]], float32; the target equals the first
// column.
func SingleNeuron() (x, y *tensor.Dense) {
	x = dense32([]float32{0, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1}, 4, 3)
	y = dense32([]float32{0, 1, 1, 0}, 4, 1)
	return x, y
}
