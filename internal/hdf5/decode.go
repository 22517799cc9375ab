package hdf5

import (
	"encoding/binary"
	"fmt"
)

// undef is the undefined address (all bits set), whatever the offset size.
const undef = ^uint64(0)

// decoder reads little-endian fields from one structure's bytes. The first
// short read records an error naming the structure and every later read
// returns zero, so parsers check d.err once at the end (or before using a
// count to allocate).
type decoder struct {
	b       []byte
	off     int
	err     error
	what    string
	offSize int // size of file addresses (superblock "size of offsets")
	lenSize int // size of file lengths
}

func (f *File) decoder(b []byte, what string) *decoder {
	return &decoder{b: b, what: what, offSize: f.offSize, lenSize: f.lenSize}
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = errBad("%s: %s", d.what, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) remaining() int {
	if d.err != nil {
		return 0
	}
	return len(d.b) - d.off
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b)-d.off {
		d.fail("truncated at byte %d (need %d more, have %d)", d.off, n, len(d.b)-d.off)
		return nil
	}
	p := d.b[d.off : d.off+n]
	d.off += n
	return p
}

func (d *decoder) skip(n int) { d.take(n) }

func (d *decoder) u8() uint8 {
	if p := d.take(1); p != nil {
		return p[0]
	}
	return 0
}

func (d *decoder) u16() uint16 {
	if p := d.take(2); p != nil {
		return binary.LittleEndian.Uint16(p)
	}
	return 0
}

func (d *decoder) u32() uint32 {
	if p := d.take(4); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}

func (d *decoder) u64() uint64 {
	if p := d.take(8); p != nil {
		return binary.LittleEndian.Uint64(p)
	}
	return 0
}

// uint reads an unsigned integer of n bytes (1 to 8).
func (d *decoder) uint(n int) uint64 {
	p := d.take(n)
	var v uint64
	for i := len(p) - 1; i >= 0; i-- {
		v = v<<8 | uint64(p[i])
	}
	return v
}

// addr reads a file address; the all-ones address becomes undef.
func (d *decoder) addr() uint64 {
	v := d.uint(d.offSize)
	if d.offSize < 8 && v == 1<<(8*uint(d.offSize))-1 {
		return undef
	}
	return v
}

// length reads a file length.
func (d *decoder) length() uint64 { return d.uint(d.lenSize) }

// signature checks that the next bytes are sig.
func (d *decoder) signature(sig string) {
	p := d.take(len(sig))
	if p != nil && string(p) != sig {
		d.fail("signature %q, want %q", p, sig)
	}
}

// align8 skips to the next multiple of 8 from the start of the buffer,
// tolerating a buffer that ends before the padding does.
func (d *decoder) align8() {
	if d.err != nil {
		return
	}
	n := (8 - d.off%8) % 8
	if n > len(d.b)-d.off {
		n = len(d.b) - d.off
	}
	d.off += n
}

func pad8(n int) int { return (n + 7) &^ 7 }
