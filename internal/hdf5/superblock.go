package hdf5

const signature = "\x89HDF\r\n\x1a\n"

// readSuperblock finds the superblock (at 0 or after a user block of 512,
// 1024, 2048, ... bytes) and reads the sizes of addresses and the root
// group's address.
func (f *File) readSuperblock() error {
	var at int64 = -1
	for off := int64(0); off+8 <= f.size; off = nextUserBlock(off) {
		b := make([]byte, 8)
		if _, err := f.r.ReadAt(b, off); err != nil {
			break
		}
		if string(b) == signature {
			at = off
			break
		}
	}
	if at < 0 {
		return errBad("no HDF5 signature (not an HDF5 file, or truncated)")
	}
	n := min(f.size-at, 256)
	b := make([]byte, n)
	if _, err := f.r.ReadAt(b, at); err != nil && int64(len(b)) != n {
		return errBad("superblock: %v", err)
	}
	d := &decoder{b: b, what: "superblock"}
	d.skip(8)
	f.superVersion = int(d.u8())
	switch f.superVersion {
	case 0, 1:
		d.skip(3) // free-space, root symbol table entry, reserved
		d.skip(1) // shared header message format version
		f.offSize, f.lenSize = int(d.u8()), int(d.u8())
		d.skip(1)
		d.skip(2 + 2 + 4) // group leaf K, group internal K, consistency flags
		if f.superVersion == 1 {
			d.skip(4) // indexed storage K, reserved
		}
		if err := f.checkSizes(d); err != nil {
			return err
		}
		d.offSize, d.lenSize = f.offSize, f.lenSize
		f.base = d.addr()
		d.addr() // free-space info
		eof := d.addr()
		d.addr() // driver information block
		// Root group symbol table entry.
		d.length() // link name offset
		f.rootAddr = d.addr()
		if d.err != nil {
			return d.err
		}
		return f.checkEOF(eof)
	case 2, 3:
		f.offSize, f.lenSize = int(d.u8()), int(d.u8())
		d.skip(1) // consistency flags
		if err := f.checkSizes(d); err != nil {
			return err
		}
		d.offSize, d.lenSize = f.offSize, f.lenSize
		f.base = d.addr()
		d.addr() // superblock extension
		eof := d.addr()
		f.rootAddr = d.addr()
		if d.err != nil {
			return d.err
		}
		return f.checkEOF(eof)
	default:
		return errUnsupported("superblock version %d", f.superVersion)
	}
}

func nextUserBlock(off int64) int64 {
	if off == 0 {
		return 512
	}
	return off * 2
}

func (f *File) checkSizes(d *decoder) error {
	if d.err != nil {
		return d.err
	}
	for _, s := range []int{f.offSize, f.lenSize} {
		if s != 2 && s != 4 && s != 8 {
			return errBad("superblock: size of offsets/lengths %d (want 2, 4 or 8)", s)
		}
	}
	return nil
}

// checkEOF compares the end-of-file address with the file's size: a file
// shorter than its superblock says is truncated.
func (f *File) checkEOF(eof uint64) error {
	if f.base > uint64(f.size) {
		return errBad("superblock: base address %d past the end of the file (%d bytes)", f.base, f.size)
	}
	// libhdf5 writes the end-of-file address as the file's size, user block
	// included (not relative to the base address).
	if eof != undef && eof > uint64(f.size) {
		return errBad("file truncated: the superblock says %d bytes, the file has %d", eof, f.size)
	}
	if f.rootAddr == undef {
		return errBad("superblock: undefined root group address")
	}
	return nil
}
