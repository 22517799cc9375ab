package hdf5

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Conversions from raw element bytes (in the file's byte order) to Go
// values. raw holds a whole number of elements of type t.

func order(t Dtype) binary.ByteOrder {
	if t.BigEndian {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// float16 converts IEEE binary16 bits to float32.
func float16(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0 && mant == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: mant * 2^-24
		v := float32(mant) / (1 << 24)
		if sign != 0 {
			v = -v
		}
		return v
	case exp == 0x1f:
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}

// elemFloat64 returns element i of raw as float64.
func elemFloat64(raw []byte, i int, t Dtype, o binary.ByteOrder) float64 {
	p := raw[i*t.Size : (i+1)*t.Size]
	switch t.Class {
	case ClassFloat:
		switch t.Size {
		case 2:
			return float64(float16(o.Uint16(p)))
		case 4:
			return float64(math.Float32frombits(o.Uint32(p)))
		default:
			return math.Float64frombits(o.Uint64(p))
		}
	case ClassInt:
		return float64(elemInt(p, t, o))
	default:
		return float64(elemUint(p, t, o))
	}
}

func elemUint(p []byte, t Dtype, o binary.ByteOrder) uint64 {
	switch t.Size {
	case 1:
		return uint64(p[0])
	case 2:
		return uint64(o.Uint16(p))
	case 4:
		return uint64(o.Uint32(p))
	default:
		return o.Uint64(p)
	}
}

func elemInt(p []byte, t Dtype, o binary.ByteOrder) int64 {
	switch t.Size {
	case 1:
		return int64(int8(p[0]))
	case 2:
		return int64(int16(o.Uint16(p)))
	case 4:
		return int64(int32(o.Uint32(p)))
	default:
		return int64(o.Uint64(p))
	}
}

func numericOnly(t Dtype, what, want string) error {
	if !t.IsNumeric() {
		return fmt.Errorf("%s: %s values cannot be read as %s: %w", what, t, want, ErrType)
	}
	return nil
}

// toFloat64 converts raw into dst (len(dst) elements).
func toFloat64(dst []float64, raw []byte, t Dtype) {
	o := order(t)
	if t.Class == ClassFloat && t.Size == 8 && !t.BigEndian {
		for i := range dst {
			dst[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
		}
		return
	}
	for i := range dst {
		dst[i] = elemFloat64(raw, i, t, o)
	}
}

// toFloat32 converts raw into dst; a finite float64 beyond float32's range
// is an error (it would become an infinity).
func toFloat32(dst []float32, raw []byte, t Dtype, what string) error {
	o := order(t)
	if t.Class == ClassFloat && t.Size == 4 {
		for i := range dst {
			dst[i] = math.Float32frombits(o.Uint32(raw[4*i:]))
		}
		return nil
	}
	for i := range dst {
		v := elemFloat64(raw, i, t, o)
		f := float32(v)
		if math.IsInf(float64(f), 0) && !math.IsInf(v, 0) {
			return fmt.Errorf("%s: value %g is beyond float32's range: %w", what, v, ErrType)
		}
		dst[i] = f
	}
	return nil
}

// toInt64 converts integer raw data into dst.
func toInt64(dst []int64, raw []byte, t Dtype, what string) error {
	if t.Class != ClassInt && t.Class != ClassUint {
		return fmt.Errorf("%s: %s values cannot be read as int64: %w", what, t, ErrType)
	}
	o := order(t)
	for i := range dst {
		p := raw[i*t.Size : (i+1)*t.Size]
		if t.Class == ClassInt {
			dst[i] = elemInt(p, t, o)
			continue
		}
		u := elemUint(p, t, o)
		if u > math.MaxInt64 {
			return fmt.Errorf("%s: value %d is beyond int64's range: %w", what, u, ErrType)
		}
		dst[i] = int64(u)
	}
	return nil
}

// fixedString decodes one fixed-length string element as h5py does:
// null-terminated strings end at the first NUL, padded ones lose their
// trailing padding.
func fixedString(p []byte, t Dtype) string {
	switch t.pad {
	case padNullTerm:
		for i, c := range p {
			if c == 0 {
				return string(p[:i])
			}
		}
	case padNull, padSpace:
		pad := byte(0)
		if t.pad == padSpace {
			pad = ' '
		}
		n := len(p)
		for n > 0 && p[n-1] == pad {
			n--
		}
		return string(p[:n])
	}
	return string(p)
}

// strings decodes raw string elements; variable-length ones are fetched
// from the global heap.
func (f *File) strings(raw []byte, n int, t Dtype, what string) ([]string, error) {
	out := make([]string, n)
	for i := range out {
		p := raw[i*t.Size : (i+1)*t.Size]
		if t.Class == ClassString {
			out[i] = fixedString(p, t)
			continue
		}
		d := f.decoder(p, what)
		length := uint64(d.u32())
		addr := d.addr()
		idx := d.u32()
		if d.err != nil {
			return nil, d.err
		}
		if length == 0 {
			continue
		}
		s, err := f.globalObject(addr, idx)
		if err != nil {
			return nil, fmt.Errorf("%s: string %d: %w", what, i, err)
		}
		if length > uint64(len(s)) {
			return nil, errBad("%s: string %d of length %d in a heap object of %d bytes", what, i, length, len(s))
		}
		s = s[:length]
		if t.pad == padNullTerm {
			for j := 0; j < len(s); j++ {
				if s[j] == 0 {
					s = s[:j]
					break
				}
			}
		}
		out[i] = s
	}
	return out, nil
}
