package datasets

// numpy's legacy random source, numpy.random.RandomState(seed), written
// from the published MT19937 algorithm (Matsumoto and Nishimura, 1998)
// and numpy's legacy seeding and shuffle. Keras's
// image_dataset_from_directory shuffles its file list with
// RandomState(seed).shuffle before it splits off the validation part;
// doing the same here gives the same training and validation files as
// Keras for the same folder and seed.

const (
	mtN         = 624
	mtM         = 397
	mtMatrixA   = 0x9908b0df
	mtUpperMask = 0x80000000
	mtLowerMask = 0x7fffffff
)

// mt19937 is the 32-bit Mersenne Twister.
type mt19937 struct {
	state [mtN]uint32
	pos   int
}

// newMT19937 seeds the generator as numpy's RandomState(seed) does for an
// integer seed in [0, 2**32): the reference init_genrand.
func newMT19937(seed uint32) *mt19937 {
	m := &mt19937{pos: mtN}
	m.state[0] = seed
	for i := 1; i < mtN; i++ {
		prev := m.state[i-1]
		m.state[i] = 1812433253*(prev^(prev>>30)) + uint32(i)
	}
	return m
}

func (m *mt19937) uint32() uint32 {
	if m.pos >= mtN {
		for i := range mtN {
			y := m.state[i]&mtUpperMask | m.state[(i+1)%mtN]&mtLowerMask
			v := m.state[(i+mtM)%mtN] ^ y>>1
			if y&1 != 0 {
				v ^= mtMatrixA
			}
			m.state[i] = v
		}
		m.pos = 0
	}
	y := m.state[m.pos]
	m.pos++
	y ^= y >> 11
	y ^= y << 7 & 0x9d2c5680
	y ^= y << 15 & 0xefc60000
	y ^= y >> 18
	return y
}

// interval returns a uniform integer in [0, max] by masked rejection, as
// numpy's legacy random_interval (32-bit draws for max < 2**32).
func (m *mt19937) interval(max uint32) uint32 {
	if max == 0 {
		return 0
	}
	mask := max
	mask |= mask >> 1
	mask |= mask >> 2
	mask |= mask >> 4
	mask |= mask >> 8
	mask |= mask >> 16
	for {
		if v := m.uint32() & mask; v <= max {
			return v
		}
	}
}

// numpyShuffle permutes n items in place through swap, drawing as
// numpy.random.RandomState(seed).shuffle(x) does for a sequence of n
// items: for i from n-1 down to 1, swap i with interval(i).
func numpyShuffle(seed uint32, n int, swap func(i, j int)) {
	m := newMT19937(seed)
	for i := n - 1; i > 0; i-- {
		swap(i, int(m.interval(uint32(i))))
	}
}
