package hdf5

import "fmt"

// Object header message types used here.
const (
	msgNIL          = 0x00
	msgDataspace    = 0x01
	msgLinkInfo     = 0x02
	msgDatatype     = 0x03
	msgFillOld      = 0x04
	msgFill         = 0x05
	msgLink         = 0x06
	msgExternal     = 0x07
	msgLayout       = 0x08
	msgGroupInfo    = 0x0A
	msgFilters      = 0x0B
	msgAttribute    = 0x0C
	msgContinuation = 0x10
	msgSymbolTable  = 0x11
	msgAttrInfo     = 0x15
)

// Message flags.
const (
	msgFlagShared = 0x02
)

type message struct {
	typ   uint16
	flags uint8
	data  []byte
}

// objectHeader is the parsed list of an object's header messages, from all
// its chunks.
type objectHeader struct {
	addr uint64
	msgs []message
	size int64 // bytes read, for the cache bound
}

// maxHeaderChunks bounds the continuation blocks of one object header.
const maxHeaderChunks = 1 << 12

// objectHeader reads (or finds in the cache) the object header at addr.
func (f *File) objectHeader(addr uint64) (*objectHeader, error) {
	f.mu.Lock()
	h := f.headers[addr]
	f.mu.Unlock()
	if h != nil {
		return h, nil
	}
	h, err := f.readObjectHeader(addr)
	if err != nil {
		return nil, err
	}
	f.cache(func() { f.headers[addr] = h }, h.size+int64(len(h.msgs))*40)
	return h, nil
}

func (f *File) readObjectHeader(addr uint64) (*objectHeader, error) {
	what := fmt.Sprintf("object header at %d", addr)
	pre, err := f.readAt(addr, min(16, uint64(f.size)), what)
	if err != nil {
		return nil, err
	}
	if len(pre) >= 4 && string(pre[:4]) == "OHDR" {
		return f.readObjectHeaderV2(addr)
	}
	if len(pre) < 16 {
		return nil, errBad("%s: truncated", what)
	}
	if pre[0] != 1 {
		return nil, errBad("%s: version %d (want 1, or the OHDR signature of version 2)", what, pre[0])
	}
	d := f.decoder(pre, what)
	d.skip(2)    // version, reserved
	d.u16()      // number of messages: the blocks are parsed whole instead
	d.u32()      // reference count
	n := d.u32() // size of the first chunk
	h := &objectHeader{addr: addr}
	queue := []contBlock{{addr + 16, uint64(n)}}
	seen := map[uint64]bool{}
	for len(queue) > 0 {
		blk := queue[0]
		queue = queue[1:]
		if err := visitChunk(seen, blk.addr, what); err != nil {
			return nil, err
		}
		b, err := f.readAt(blk.addr, blk.size, what)
		if err != nil {
			return nil, err
		}
		h.size += int64(len(b))
		d := f.decoder(b, what)
		for d.remaining() >= 8 {
			typ := d.u16()
			size := int(d.u16())
			flags := d.u8()
			d.skip(3)
			data := d.take(size)
			if d.err != nil {
				return nil, d.err
			}
			d.align8()
			if typ == msgContinuation {
				c, err := f.continuation(data, what)
				if err != nil {
					return nil, err
				}
				queue = append(queue, c)
				continue
			}
			h.msgs = append(h.msgs, message{typ, flags, data})
		}
	}
	return h, nil
}

type contBlock struct{ addr, size uint64 }

// visitChunk records that the header chunk at addr is read, refusing a
// chunk met twice (a cycle of continuations) and more than
// maxHeaderChunks chunks.
func visitChunk(seen map[uint64]bool, addr uint64, what string) error {
	if seen[addr] {
		return errBad("%s: continuation blocks form a cycle at %d", what, addr)
	}
	seen[addr] = true
	if len(seen) > maxHeaderChunks {
		return errBad("%s: more than %d continuation blocks", what, maxHeaderChunks)
	}
	return nil
}

func (f *File) continuation(data []byte, what string) (contBlock, error) {
	d := f.decoder(data, what+": continuation message")
	c := contBlock{d.addr(), d.length()}
	return c, d.err
}

// readObjectHeaderV2 reads a version 2 object header ("OHDR" and "OCHK"
// blocks). Checksums are not verified.
func (f *File) readObjectHeaderV2(addr uint64) (*objectHeader, error) {
	what := fmt.Sprintf("object header at %d", addr)
	pre, err := f.readAt(addr, min(4+1+1+16+4+8, uint64(f.size)-(addr+f.base)), what)
	if err != nil {
		return nil, err
	}
	d := f.decoder(pre, what)
	d.skip(4)
	if v := d.u8(); v != 2 && d.err == nil {
		return nil, errBad("%s: OHDR version %d (want 2)", what, v)
	}
	flags := d.u8()
	if flags&0x20 != 0 {
		d.skip(16) // access, modification, change, birth times
	}
	if flags&0x10 != 0 {
		d.skip(4) // attribute phase change values
	}
	n := d.uint(1 << (flags & 3))
	if d.err != nil {
		return nil, d.err
	}
	start := addr + uint64(d.off)
	trackOrder := flags&0x04 != 0
	h := &objectHeader{addr: addr}
	queue := []contBlock{{start, n}}
	first := true
	seen := map[uint64]bool{}
	for len(queue) > 0 {
		blk := queue[0]
		queue = queue[1:]
		if err := visitChunk(seen, blk.addr, what); err != nil {
			return nil, err
		}
		size := blk.size
		if first {
			size += 4 // checksum after the first chunk's messages
		}
		b, err := f.readAt(blk.addr, size, what)
		if err != nil {
			return nil, err
		}
		h.size += int64(len(b))
		d := f.decoder(b, what)
		if !first {
			d.signature("OCHK")
		}
		first = false
		if len(b) < 4 {
			return nil, errBad("%s: chunk of %d bytes is too short", what, len(b))
		}
		d.b = d.b[:len(b)-4] // drop the checksum
		hdr := 4
		if trackOrder {
			hdr = 6
		}
		for d.remaining() >= hdr {
			typ := uint16(d.u8())
			size := int(d.u16())
			mflags := d.u8()
			if trackOrder {
				d.skip(2)
			}
			data := d.take(size)
			if d.err != nil {
				return nil, d.err
			}
			if typ == msgContinuation {
				c, err := f.continuation(data, what)
				if err != nil {
					return nil, err
				}
				queue = append(queue, c)
				continue
			}
			h.msgs = append(h.msgs, message{typ, mflags, data})
		}
		if d.err != nil {
			return nil, d.err
		}
	}
	return h, nil
}
