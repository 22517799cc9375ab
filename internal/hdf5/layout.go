package hdf5

import "fmt"

// Storage layouts.
const (
	layoutCompact    = 0
	layoutContiguous = 1
	layoutChunked    = 2
)

// layout is a parsed data layout message.
type layout struct {
	class   int
	addr    uint64 // contiguous data, or the chunk B-tree
	size    uint64 // contiguous data size
	compact []byte
	chunk   []uint64 // chunk dimensions (without the element-size one)
}

func (f *File) parseLayout(b []byte, what string) (layout, error) {
	what += ": data layout"
	d := f.decoder(b, what)
	version := d.u8()
	var l layout
	switch version {
	case 1, 2:
		dims := int(d.u8())
		l.class = int(d.u8())
		d.skip(5)
		if l.class != layoutCompact {
			l.addr = d.addr()
		}
		if dims < 1 || dims > maxRank+1 {
			if d.err == nil {
				return l, errBad("%s: dimensionality %d", what, dims)
			}
		}
		sizes := make([]uint64, 0, dims)
		for i := 0; i < dims && d.err == nil; i++ {
			sizes = append(sizes, uint64(d.u32()))
		}
		if d.err != nil {
			return l, d.err
		}
		switch l.class {
		case layoutCompact:
			n := d.u32()
			l.compact = d.take(int(n))
		case layoutContiguous:
			l.size = undef // computed from the dataspace
		case layoutChunked:
			l.chunk = sizes[:len(sizes)-1]
		default:
			if d.err == nil {
				return l, errBad("%s: class %d", what, l.class)
			}
		}
	case 3, 4:
		l.class = int(d.u8())
		switch l.class {
		case layoutCompact:
			n := d.u16()
			l.compact = d.take(int(n))
		case layoutContiguous:
			l.addr = d.addr()
			l.size = d.length()
		case layoutChunked:
			if version == 4 {
				return l, errUnsupported("%s: chunked layout version 4 (chunk indexes of HDF5 1.10)", what)
			}
			dims := int(d.u8())
			l.addr = d.addr()
			if d.err == nil && (dims < 2 || dims > maxRank+1) {
				return l, errBad("%s: dimensionality %d", what, dims)
			}
			for i := 0; i < dims-1 && d.err == nil; i++ {
				l.chunk = append(l.chunk, uint64(d.u32()))
			}
			d.u32() // element size
		case 3:
			return l, errUnsupported("%s: virtual dataset", what)
		default:
			if d.err == nil {
				return l, errBad("%s: class %d", what, l.class)
			}
		}
	default:
		if d.err == nil {
			return l, errUnsupported("%s: version %d", what, version)
		}
	}
	if d.err != nil {
		return l, d.err
	}
	for _, c := range l.chunk {
		if c == 0 {
			return l, errBad("%s: chunk dimensions %v", what, l.chunk)
		}
	}
	return l, nil
}

// Filters.
const (
	filterDeflate    = 1
	filterShuffle    = 2
	filterFletcher32 = 3
)

var filterNames = map[uint16]string{
	4: "szip", 5: "nbit", 6: "scaleoffset", 307: "bzip2", 32000: "lzf", 32001: "blosc",
	32004: "lz4", 32008: "bitshuffle", 32013: "zfp", 32015: "zstd",
}

type filter struct {
	id    uint16
	flags uint16
	cdata []uint32
}

func (f *File) parseFilters(b []byte, what string) ([]filter, error) {
	what += ": filter pipeline"
	d := f.decoder(b, what)
	version := d.u8()
	n := int(d.u8())
	switch version {
	case 1:
		d.skip(6)
	case 2:
	default:
		if d.err == nil {
			return nil, errBad("%s: version %d", what, version)
		}
	}
	if n > 32 {
		return nil, errBad("%s: %d filters (HDF5's limit is 32)", what, n)
	}
	var out []filter
	for i := 0; i < n && d.err == nil; i++ {
		var fl filter
		fl.id = d.u16()
		nameLen := 0
		if version == 1 || fl.id >= 256 {
			nameLen = int(d.u16())
		}
		fl.flags = d.u16()
		nvals := int(d.u16())
		if version == 1 {
			d.skip(pad8(nameLen))
		} else {
			d.skip(nameLen)
		}
		if nvals > d.remaining()/4 {
			d.fail("%d client values", nvals)
		}
		for j := 0; j < nvals && d.err == nil; j++ {
			fl.cdata = append(fl.cdata, d.u32())
		}
		if version == 1 && nvals%2 == 1 {
			d.skip(4)
		}
		out = append(out, fl)
	}
	if d.err != nil {
		return nil, d.err
	}
	for _, fl := range out {
		switch fl.id {
		case filterDeflate, filterShuffle, filterFletcher32:
		default:
			name := filterNames[fl.id]
			if name == "" {
				name = "unknown"
			}
			return nil, errUnsupported("%s: filter %d (%s)", what, fl.id, name)
		}
	}
	return out, nil
}

// parseFill returns the fill value's bytes, or nil for the default (zero)
// fill. Fill value messages of versions 1 to 3 and the old fill message are
// read.
func (f *File) parseFill(m message, elemSize int, what string) ([]byte, error) {
	what += ": fill value"
	d := f.decoder(m.data, what)
	var val []byte
	if m.typ == msgFillOld {
		n := d.u32()
		val = d.take(int(n))
	} else {
		switch version := d.u8(); version {
		case 1, 2:
			d.skip(2) // allocation time, write time
			defined := d.u8()
			if version == 1 || defined != 0 {
				n := d.u32()
				val = d.take(int(n))
			}
		case 3:
			flags := d.u8()
			if flags&0x20 != 0 {
				n := d.u32()
				val = d.take(int(n))
			}
		default:
			if d.err == nil {
				return nil, errBad("%s: version %d", what, version)
			}
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(val) == 0 {
		return nil, nil
	}
	if len(val) != elemSize {
		return nil, errBad("%s: %d bytes for elements of %d", what, len(val), elemSize)
	}
	for _, c := range val {
		if c != 0 {
			return val, nil
		}
	}
	return nil, nil
}

func (l layout) String() string {
	switch l.class {
	case layoutCompact:
		return "compact"
	case layoutContiguous:
		return "contiguous"
	}
	return fmt.Sprintf("chunked %v", l.chunk)
}
