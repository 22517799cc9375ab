package hdf5

import "math/bits"

// maxRank is HDF5's limit on the number of dimensions.
const maxRank = 32

// dataspace is a parsed dataspace message.
type dataspace struct {
	dims []uint64 // nil for a scalar
	null bool     // no elements at all (H5S_NULL)
	n    uint64   // number of elements
}

func (f *File) parseDataspace(b []byte, what string) (dataspace, error) {
	what += ": dataspace"
	d := f.decoder(b, what)
	version := d.u8()
	rank := int(d.u8())
	flags := d.u8()
	var ds dataspace
	switch version {
	case 1:
		d.skip(5)
	case 2:
		switch d.u8() {
		case 0: // scalar
		case 1: // simple
		case 2:
			ds.null = true
		default:
			if d.err == nil {
				return ds, errBad("%s: type %d", what, b[3])
			}
		}
	default:
		if d.err == nil {
			return ds, errBad("%s: version %d", what, version)
		}
	}
	if d.err != nil {
		return ds, d.err
	}
	if rank > maxRank {
		return ds, errBad("%s: rank %d (HDF5's limit is %d)", what, rank, maxRank)
	}
	if ds.null {
		return ds, nil
	}
	ds.n = 1
	for i := 0; i < rank; i++ {
		v := d.length()
		if v > 1<<62 {
			return ds, errBad("%s: dimension %d", what, v)
		}
		ds.dims = append(ds.dims, v)
		hi, lo := bits.Mul64(ds.n, v)
		if hi != 0 {
			return ds, errBad("%s: dimensions %v overflow", what, ds.dims)
		}
		ds.n = lo
	}
	if flags&1 != 0 {
		d.skip(rank * d.lenSize) // maximum dimensions
	}
	return ds, d.err
}

// shape returns the dimensions as ints (nil for scalars and null spaces).
func (ds dataspace) shape() []int {
	if len(ds.dims) == 0 {
		return nil
	}
	s := make([]int, len(ds.dims))
	for i, v := range ds.dims {
		s[i] = int(v)
	}
	return s
}

// dataBytes returns n*elemSize, or an error when it overflows or exceeds
// limit.
func dataBytes(n uint64, elemSize int, limit uint64, what string) (uint64, error) {
	hi, lo := bits.Mul64(n, uint64(elemSize))
	if hi != 0 || lo > limit {
		return 0, errBad("%s: %d elements of %d bytes exceed the %d bytes available", what, n, elemSize, limit)
	}
	return lo, nil
}
