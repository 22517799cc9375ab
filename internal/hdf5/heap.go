package hdf5

import (
	"fmt"
	"strings"
)

// localHeap is a group's local heap: the names of its members.
type localHeap struct {
	data string // names are substrings of it, so they share its memory
}

func (f *File) readLocalHeap(addr uint64) (*localHeap, error) {
	what := fmt.Sprintf("local heap at %d", addr)
	hdrSize := uint64(8 + 2*f.lenSize + f.offSize)
	b, err := f.readAt(addr, hdrSize, what)
	if err != nil {
		return nil, err
	}
	d := f.decoder(b, what)
	d.signature("HEAP")
	if v := d.u8(); v != 0 && d.err == nil {
		return nil, errBad("%s: version %d", what, v)
	}
	d.skip(3)
	size := d.length()
	d.length() // free list
	dataAddr := d.addr()
	if d.err != nil {
		return nil, d.err
	}
	data, err := f.readAt(dataAddr, size, what+": data segment")
	if err != nil {
		return nil, err
	}
	return &localHeap{string(data)}, nil
}

// name returns the NUL-terminated string at offset off.
func (h *localHeap) name(off uint64, what string) (string, error) {
	if off >= uint64(len(h.data)) {
		return "", errBad("%s: name offset %d past the local heap's %d bytes", what, off, len(h.data))
	}
	rest := h.data[off:]
	i := strings.IndexByte(rest, 0)
	if i < 0 {
		return "", errBad("%s: name at offset %d is not NUL-terminated", what, off)
	}
	return rest[:i], nil
}

// globalHeap is one global heap collection: the objects that
// variable-length strings point at. The strings share one backing string.
type globalHeap struct {
	objs map[uint32]string
	size int64
}

// globalObject returns object idx of the collection at addr.
func (f *File) globalObject(addr uint64, idx uint32) (string, error) {
	f.mu.Lock()
	h := f.gheaps[addr]
	f.mu.Unlock()
	if h == nil {
		var err error
		if h, err = f.readGlobalHeap(addr); err != nil {
			return "", err
		}
		f.cache(func() { f.gheaps[addr] = h }, h.size+int64(len(h.objs))*40)
	}
	s, ok := h.objs[idx]
	if !ok {
		return "", errBad("global heap collection at %d has no object %d", addr, idx)
	}
	return s, nil
}

func (f *File) readGlobalHeap(addr uint64) (*globalHeap, error) {
	what := fmt.Sprintf("global heap collection at %d", addr)
	hdr, err := f.readAt(addr, uint64(8+f.lenSize), what)
	if err != nil {
		return nil, err
	}
	d := f.decoder(hdr, what)
	d.signature("GCOL")
	if v := d.u8(); v != 1 && d.err == nil {
		return nil, errBad("%s: version %d", what, v)
	}
	d.skip(3)
	size := d.length()
	if d.err != nil {
		return nil, d.err
	}
	if size < uint64(len(hdr)) {
		return nil, errBad("%s: size %d is smaller than its header", what, size)
	}
	b, err := f.readAt(addr, size, what)
	if err != nil {
		return nil, err
	}
	all := string(b)
	h := &globalHeap{objs: map[uint32]string{}, size: int64(len(b))}
	d = f.decoder(b, what)
	d.skip(len(hdr))
	objHdr := 8 + f.lenSize
	for d.remaining() >= objHdr {
		idx := d.u16()
		d.skip(2 + 4) // reference count, reserved
		n := d.length()
		if idx == 0 { // free space: the rest of the collection
			break
		}
		if n > uint64(d.remaining()) {
			return nil, errBad("%s: object %d of %d bytes overruns the collection", what, idx, n)
		}
		start := d.off
		d.skip(int(n))
		h.objs[uint32(idx)] = all[start : start+int(n)]
		d.align8()
	}
	return h, d.err
}
