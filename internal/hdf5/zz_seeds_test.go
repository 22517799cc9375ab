package hdf5

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestZZSeeds(t *testing.T) {
	all := fixtures(t)
	for seed := uint64(10); seed < 40; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		for _, name := range slices.Sorted(maps.Keys(all)) {
			b := all[name]
			c := make([]byte, len(b))
			for i := 0; i < 1500; i++ {
				copy(c, b)
				var desc string
				for k := 0; k < 1+i%4; k++ {
					pos := rng.IntN(len(c))
					val := byte(rng.IntN(256))
					c[pos] = val
					desc += fmt.Sprintf(" [%d]=%#x", pos, val)
				}
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("%s with%s: panic: %v", name, desc, r)
						}
					}()
					if err := walkAll(c); !fileError(err) {
						t.Errorf("%s with%s: %v", name, desc, err)
					}
				}()
			}
		}
	}
}
