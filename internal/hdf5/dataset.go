package hdf5

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Dataset is an HDF5 dataset: an array of one Dtype. Its values are read
// from the file when one of its Read methods is called.
type Dataset struct {
	object
	dtype   Dtype
	space   dataspace
	layout  layout
	filters []filter
	fill    []byte // nil: zeros
}

func (f *File) openDataset(o object) (*Dataset, error) {
	h, err := f.objectHeader(o.addr)
	if err != nil {
		return nil, err
	}
	ds := &Dataset{object: o}
	what := o.what()
	var haveType, haveSpace, haveLayout bool
	var fillMsg *message
	for i := range h.msgs {
		m := h.msgs[i]
		if m.flags&msgFlagShared != 0 && (m.typ == msgDatatype || m.typ == msgDataspace || m.typ == msgLayout || m.typ == msgFilters) {
			return nil, errUnsupported("%s: shared message of type %d (committed datatype?)", what, m.typ)
		}
		switch m.typ {
		case msgDatatype:
			if ds.dtype, err = f.parseDatatype(m.data, what); err != nil {
				return nil, err
			}
			haveType = true
		case msgDataspace:
			if ds.space, err = f.parseDataspace(m.data, what); err != nil {
				return nil, err
			}
			haveSpace = true
		case msgLayout:
			if ds.layout, err = f.parseLayout(m.data, what); err != nil {
				return nil, err
			}
			haveLayout = true
		case msgFilters:
			if ds.filters, err = f.parseFilters(m.data, what); err != nil {
				return nil, err
			}
		case msgFill, msgFillOld:
			if fillMsg == nil || m.typ == msgFill {
				fillMsg = &h.msgs[i]
			}
		case msgExternal:
			return nil, errUnsupported("%s: external data files", what)
		}
	}
	if !haveType || !haveSpace || !haveLayout {
		return nil, errBad("%s: dataset header lacks its datatype, dataspace or layout", what)
	}
	if fillMsg != nil {
		if ds.fill, err = f.parseFill(*fillMsg, ds.dtype.Size, what); err != nil {
			return nil, err
		}
	}
	if err := ds.check(); err != nil {
		return nil, err
	}
	return ds, nil
}

// check validates the layout against the dataspace and the file's size, so
// that reads allocate no more than the file justifies.
func (ds *Dataset) check() error {
	what := ds.what()
	total, err := dataBytes(ds.space.n, ds.dtype.Size, MaxDataBytes, what)
	if err != nil {
		return err
	}
	l := &ds.layout
	switch l.class {
	case layoutCompact:
		if uint64(len(l.compact)) < total {
			return errBad("%s: compact data of %d bytes for %d elements of %d bytes", what, len(l.compact), ds.space.n, ds.dtype.Size)
		}
	case layoutContiguous:
		if l.size == undef {
			l.size = total
		}
		if l.size < total && l.addr != undef {
			return errBad("%s: contiguous data of %d bytes for %d elements of %d bytes", what, l.size, ds.space.n, ds.dtype.Size)
		}
		if l.addr != undef && !ds.f.fits(l.addr, l.size) {
			return errBad("%s: %d bytes of data at %d lie past the end of the file (%d bytes)", what, l.size, l.addr, ds.f.size)
		}
		if l.addr == undef && total > maxInflateRatio*uint64(ds.f.size) {
			return errBad("%s: %d bytes of unwritten data in a %d-byte file", what, total, ds.f.size)
		}
	case layoutChunked:
		if len(l.chunk) != len(ds.space.dims) {
			return errBad("%s: chunks of rank %d for a dataspace of rank %d", what, len(l.chunk), len(ds.space.dims))
		}
		n := uint64(1)
		for _, c := range l.chunk {
			n *= c // at most 32 factors below 2^32 each: checked below
			if n > MaxDataBytes {
				return errBad("%s: chunks of %v elements", what, l.chunk)
			}
		}
		if _, err := dataBytes(n, ds.dtype.Size, min(MaxDataBytes, maxInflateRatio*uint64(ds.f.size)), what); err != nil {
			return err
		}
		if total > maxInflateRatio*uint64(ds.f.size) {
			return errBad("%s: %d bytes of data cannot come from a %d-byte file", what, total, ds.f.size)
		}
	}
	return nil
}

// Shape returns the dataset's dimensions (nil for a scalar).
func (ds *Dataset) Shape() []int { return ds.space.shape() }

// Dtype returns the type of the dataset's elements.
func (ds *Dataset) Dtype() Dtype { return ds.dtype }

// Len returns the number of elements.
func (ds *Dataset) Len() int { return int(ds.space.n) }

// ReadFloat64 reads all elements of a numeric dataset, in row-major order,
// converted to float64.
func (ds *Dataset) ReadFloat64() ([]float64, error) {
	if err := numericOnly(ds.dtype, ds.what(), "float64"); err != nil {
		return nil, err
	}
	out := make([]float64, ds.space.n)
	err := ds.read(func(i int, raw []byte) error {
		toFloat64(out[i:i+len(raw)/ds.dtype.Size], raw, ds.dtype)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReadFloat32 reads all elements of a numeric dataset converted to
// float32; a finite value beyond float32's range is an error wrapping
// ErrType.
func (ds *Dataset) ReadFloat32() ([]float32, error) {
	if err := numericOnly(ds.dtype, ds.what(), "float32"); err != nil {
		return nil, err
	}
	out := make([]float32, ds.space.n)
	err := ds.read(func(i int, raw []byte) error {
		return toFloat32(out[i:i+len(raw)/ds.dtype.Size], raw, ds.dtype, ds.what())
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReadInt64 reads all elements of an integer dataset as int64.
func (ds *Dataset) ReadInt64() ([]int64, error) {
	if ds.dtype.Class != ClassInt && ds.dtype.Class != ClassUint {
		return nil, fmt.Errorf("%s: %s values cannot be read as int64: %w", ds.what(), ds.dtype, ErrType)
	}
	out := make([]int64, ds.space.n)
	err := ds.read(func(i int, raw []byte) error {
		return toInt64(out[i:i+len(raw)/ds.dtype.Size], raw, ds.dtype, ds.what())
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReadStrings reads all elements of a string dataset.
func (ds *Dataset) ReadStrings() ([]string, error) {
	if !ds.dtype.IsString() {
		return nil, fmt.Errorf("%s: %s values cannot be read as strings: %w", ds.what(), ds.dtype, ErrType)
	}
	out := make([]string, ds.space.n)
	err := ds.read(func(i int, raw []byte) error {
		s, err := ds.f.strings(raw, len(raw)/ds.dtype.Size, ds.dtype, ds.what())
		copy(out[i:], s)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReadRaw reads the bytes of all elements as stored (row-major, in the
// file's byte order; Dtype says how to read them), for types Read methods
// do not convert, such as opaque bfloat16 values. Variable-length strings
// are not stored inline, so they are an error wrapping ErrType.
func (ds *Dataset) ReadRaw() ([]byte, error) {
	if ds.dtype.Class == ClassVarString {
		return nil, fmt.Errorf("%s: variable-length strings have no raw bytes (use ReadStrings): %w", ds.what(), ErrType)
	}
	out := make([]byte, int(ds.space.n)*ds.dtype.Size)
	err := ds.read(func(i int, raw []byte) error {
		copy(out[i*ds.dtype.Size:], raw)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readPiece is the most bytes of contiguous data read at once, so that
// conversion does not hold a second copy of a large dataset.
const readPiece = 1 << 20

// read calls visit with runs of raw elements and the index of each run's
// first element, covering every element once (elements of unwritten
// storage are the fill value).
func (ds *Dataset) read(visit func(i int, raw []byte) error) error {
	size := ds.dtype.Size
	n := int(ds.space.n)
	if n == 0 {
		return nil
	}
	l := ds.layout
	switch l.class {
	case layoutCompact:
		return visit(0, l.compact[:n*size])
	case layoutContiguous:
		if l.addr == undef {
			return ds.visitFill(0, n, visit)
		}
		step := max(1, readPiece/size)
		buf := make([]byte, min(step, n)*size) // reused: values are not held twice
		for i := 0; i < n; i += step {
			b := buf[:min(step, n-i)*size]
			if err := ds.f.readInto(l.addr+uint64(i*size), b, ds.what()+": data"); err != nil {
				return err
			}
			if err := visit(i, b); err != nil {
				return err
			}
		}
		return nil
	}
	return ds.readChunked(visit)
}

// visitFill visits elements [i, i+n) as the fill value.
func (ds *Dataset) visitFill(i, n int, visit func(int, []byte) error) error {
	size := ds.dtype.Size
	step := max(1, readPiece/size)
	buf := make([]byte, min(step, n)*size)
	if ds.fill != nil {
		for j := 0; j < len(buf); j += size {
			copy(buf[j:], ds.fill)
		}
	}
	for j := 0; j < n; j += step {
		k := min(step, n-j)
		if err := visit(i+j, buf[:k*size]); err != nil {
			return err
		}
	}
	return nil
}

// chunkRef is one chunk found in the chunk B-tree.
type chunkRef struct {
	size   uint32
	mask   uint32
	offset []uint64
	addr   uint64
}

func (ds *Dataset) readChunked(visit func(int, []byte) error) error {
	what := ds.what()
	rank := len(ds.space.dims)
	keySize := 8 + 8*(rank+1)
	var chunks []chunkRef
	if ds.layout.addr != undef {
		err := ds.f.btreeWalk(ds.layout.addr, 1, keySize, func(key []byte, child uint64) error {
			d := ds.f.decoder(key, what+": chunk key")
			c := chunkRef{size: d.u32(), mask: d.u32(), addr: child}
			for j := 0; j < rank; j++ {
				off := d.u64()
				if off >= ds.space.dims[j] || off%ds.layout.chunk[j] != 0 {
					return errBad("%s: chunk offset %d in dimension %d of size %d (chunks of %d)", what, off, j, ds.space.dims[j], ds.layout.chunk[j])
				}
				c.offset = append(c.offset, off)
			}
			chunks = append(chunks, c)
			return d.err
		})
		if err != nil {
			return err
		}
	}
	size := ds.dtype.Size
	chunkElems := 1
	for _, c := range ds.layout.chunk {
		chunkElems *= int(c)
	}
	// Chunks need not cover the dataset: fill first where they do not.
	if covered := uint64(len(chunks)) * uint64(chunkElems); covered < ds.space.n || ds.fill != nil {
		if err := ds.visitFill(0, int(ds.space.n), visit); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for _, c := range chunks {
		key := fmt.Sprint(c.offset)
		if seen[key] {
			return errBad("%s: chunk %v appears twice", what, c.offset)
		}
		seen[key] = true
		raw, err := ds.f.readData(c.addr, uint64(c.size), what+": chunk")
		if err != nil {
			return err
		}
		data, err := ds.unfilter(raw, c.mask, chunkElems*size)
		if err != nil {
			return fmt.Errorf("%s: chunk %v: %w", what, c.offset, err)
		}
		if err := ds.visitChunk(c.offset, data, visit); err != nil {
			return err
		}
	}
	return nil
}

// visitChunk visits the rows of a chunk that lie inside the dataset.
func (ds *Dataset) visitChunk(offset []uint64, data []byte, visit func(int, []byte) error) error {
	dims, chunk, size := ds.space.dims, ds.layout.chunk, ds.dtype.Size
	rank := len(dims)
	if rank == 0 {
		return visit(0, data[:size])
	}
	last := rank - 1
	rowLen := int(min(chunk[last], dims[last]-offset[last]))
	idx := make([]uint64, rank) // position inside the chunk, last dimension 0
	for {
		// Linear indexes of the row in the chunk and in the dataset.
		var in, out uint64
		for j := 0; j < rank; j++ {
			in = in*chunk[j] + idx[j]
			out = out*dims[j] + offset[j] + idx[j]
		}
		if err := visit(int(out), data[int(in)*size:(int(in)+rowLen)*size]); err != nil {
			return err
		}
		// Next row: advance the dimensions before the last.
		j := last - 1
		for ; j >= 0; j-- {
			idx[j]++
			if idx[j] < chunk[j] && offset[j]+idx[j] < dims[j] {
				break
			}
			idx[j] = 0
		}
		if j < 0 {
			return nil
		}
	}
}

// unfilter undoes a chunk's filters (in reverse order, skipping those the
// mask marks as not applied) and checks it has want bytes; inflating stops
// at the first byte past want.
func (ds *Dataset) unfilter(b []byte, mask uint32, want int) ([]byte, error) {
	for i := len(ds.filters) - 1; i >= 0; i-- {
		if mask&(1<<uint(i)) != 0 {
			continue
		}
		switch ds.filters[i].id {
		case filterDeflate:
			zr, err := zlib.NewReader(bytes.NewReader(b))
			if err != nil {
				return nil, errBad("deflate: %v", err)
			}
			out, err := io.ReadAll(io.LimitReader(zr, int64(want)+1))
			if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, errBad("deflate: %v", err)
			} else if err != nil {
				return nil, errBad("deflate: truncated stream")
			}
			if len(out) > want {
				return nil, errBad("deflate: inflates past the chunk's %d bytes", want)
			}
			b = out
		case filterShuffle:
			b = unshuffle(b, ds.dtype.Size)
		case filterFletcher32:
			if len(b) < 4 {
				return nil, errBad("fletcher32: chunk of %d bytes", len(b))
			}
			sum := binary.LittleEndian.Uint32(b[len(b)-4:])
			b = b[:len(b)-4]
			if got := fletcher32(b); !sameFletcher(got, sum) {
				return nil, errBad("fletcher32: checksum %08x, want %08x", got, sum)
			}
		}
	}
	if len(b) != want {
		return nil, errBad("chunk of %d bytes, want %d", len(b), want)
	}
	return b, nil
}

// unshuffle undoes the shuffle filter: the file holds all first bytes of
// the elements, then all second bytes, and so on.
func unshuffle(b []byte, size int) []byte {
	if size <= 1 {
		return b
	}
	n := len(b) / size
	out := make([]byte, len(b))
	for j := 0; j < size; j++ {
		for i := 0; i < n; i++ {
			out[i*size+j] = b[j*n+i]
		}
	}
	copy(out[n*size:], b[n*size:]) // leftover bytes are not shuffled
	return out
}

// fletcher32 is HDF5's Fletcher-32 checksum over 16-bit big-endian words.
func fletcher32(b []byte) uint32 {
	var s1, s2 uint32
	for i := 0; i+1 < len(b); i += 2 {
		s1 = (s1 + (uint32(b[i])<<8 | uint32(b[i+1]))) % 65535
		s2 = (s2 + s1) % 65535
	}
	if len(b)%2 == 1 {
		s1 = (s1 + uint32(b[len(b)-1])<<8) % 65535
		s2 = (s2 + s1) % 65535
	}
	return s2<<16 | s1
}

// sameFletcher compares checksums modulo 65535 in each half: HDF5's
// reduction can leave 0xffff where the modulus is 0.
func sameFletcher(a, b uint32) bool {
	return a&0xffff%65535 == b&0xffff%65535 && (a>>16)%65535 == (b>>16)%65535
}
