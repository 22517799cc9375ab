package gemm

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/gonum"
)

// FuzzGemm compares ours with gonum's on fuzzed shapes, transposes,
// paddings and scalars, in both element types and with both kernels.
func FuzzGemm(f *testing.F) {
	f.Add(uint8(1), uint8(1), uint8(1), uint8(0), uint8(0), uint8(0), uint8(0), uint64(1))
	f.Add(uint8(100), uint8(30), uint8(200), uint8(1), uint8(2), uint8(0), uint8(3), uint64(2))
	f.Add(uint8(7), uint8(17), uint8(0), uint8(2), uint8(0), uint8(1), uint8(1), uint64(3))
	f.Add(uint8(255), uint8(9), uint8(33), uint8(3), uint8(1), uint8(2), uint8(4), uint64(4))
	scalars := [][2]float64{{1, 0}, {1, 1}, {-2, 0.5}, {0, 0}, {0, 3}, {0.25, -1}}
	f.Fuzz(func(t *testing.T, m, n, k, trans, padA, padB, sc uint8, seed uint64) {
		s := scalars[int(sc)%len(scalars)]
		c := gemmCase{
			tA: transposes[trans&1], tB: transposes[trans>>1&1],
			m: int(m) + int(trans&4)*256, n: int(n), k: int(k),
			padA: int(padA % 4), padB: int(padB % 4), padC: int(padA+padB) % 3,
			alpha: s[0], beta: s[1],
		}
		configs(t, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 1))
			checkGemmCase(t, c, rng, eps32, sgemm(Implementation{}), sgemm(gonum.Implementation{}))
			checkGemmCase(t, c, rng, eps64, dgemm(Implementation{}), dgemm(gonum.Implementation{}))
		})
	})
}
