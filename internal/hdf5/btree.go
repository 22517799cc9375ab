package hdf5

import "fmt"

// Version 1 B-trees index a group's symbol table nodes (type 0) and a
// chunked dataset's chunks (type 1).

// btreeWalk visits the leaves of the v1 B-tree of type typ at root, calling
// leaf for each (key, child address) pair of each level-0 node in order.
// keySize is the size of one key. A set of visited nodes and maxDepth stop
// cycles and hostile depths; leaf counts bound the total work.
func (f *File) btreeWalk(root uint64, typ uint8, keySize int, leaf func(key []byte, child uint64) error) error {
	seen := map[uint64]bool{}
	var read uint64 // bytes of all nodes, at most the file's size
	var walk func(addr uint64, depth int, wantLevel int) error
	walk = func(addr uint64, depth int, wantLevel int) error {
		what := fmt.Sprintf("B-tree node at %d", addr)
		if depth > maxDepth {
			return errBad("%s: B-tree deeper than %d levels", what, maxDepth)
		}
		if seen[addr] {
			return errBad("%s: B-tree nodes form a cycle", what)
		}
		seen[addr] = true
		hdrSize := uint64(8 + 2*f.offSize)
		hdr, err := f.readAt(addr, hdrSize, what)
		if err != nil {
			return err
		}
		d := f.decoder(hdr, what)
		d.signature("TREE")
		nodeType := d.u8()
		level := int(d.u8())
		entries := uint64(d.u16())
		if d.err != nil {
			return d.err
		}
		if nodeType != typ {
			return errBad("%s: node type %d, want %d", what, nodeType, typ)
		}
		if wantLevel >= 0 && level != wantLevel {
			return errBad("%s: level %d under a node of level %d", what, level, wantLevel+1)
		}
		body := entries*uint64(keySize+f.offSize) + uint64(keySize)
		if read += hdrSize + body; read > uint64(f.size) {
			return errBad("%s: B-tree nodes add up to more than the file's %d bytes (overlapping nodes?)", what, f.size)
		}
		b, err := f.readAt(addr+hdrSize, body, what)
		if err != nil {
			return err
		}
		d = f.decoder(b, what)
		for i := uint64(0); i < entries; i++ {
			key := d.take(keySize)
			child := d.addr()
			if d.err != nil {
				return d.err
			}
			if level == 0 {
				if err := leaf(key, child); err != nil {
					return err
				}
			} else if err := walk(child, depth+1, level-1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(root, 0, -1)
}

// symbolEntry is one member of an old-style group: its name's offset in
// the local heap and its object header's address.
type symbolEntry struct {
	nameOff uint64
	addr    uint64
}

// readSymbolNode reads a symbol table node ("SNOD").
func (f *File) readSymbolNode(addr uint64) ([]symbolEntry, error) {
	what := fmt.Sprintf("symbol table node at %d", addr)
	hdr, err := f.readAt(addr, 8, what)
	if err != nil {
		return nil, err
	}
	d := f.decoder(hdr, what)
	d.signature("SNOD")
	if v := d.u8(); v != 1 && d.err == nil {
		return nil, errBad("%s: version %d", what, v)
	}
	d.skip(1)
	n := uint64(d.u16())
	if d.err != nil {
		return nil, d.err
	}
	entrySize := uint64(f.lenSize + f.offSize + 4 + 4 + 16)
	b, err := f.readAt(addr+8, n*entrySize, what)
	if err != nil {
		return nil, err
	}
	d = f.decoder(b, what)
	out := make([]symbolEntry, 0, n)
	for i := uint64(0); i < n; i++ {
		e := symbolEntry{nameOff: d.length(), addr: d.addr()}
		d.skip(4 + 4 + 16) // cache type, reserved, scratch pad
		out = append(out, e)
	}
	return out, d.err
}
