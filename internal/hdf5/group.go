package hdf5

import (
	"fmt"
	"slices"
	"strings"
)

// Object is a group or a dataset.
type Object interface {
	// Name returns the object's path in the file, such as "/layers/dense".
	Name() string
	// Attrs returns the object's attributes in stored order.
	Attrs() ([]Attribute, error)
	// Attr returns one attribute's value (ErrNotFound if it is missing).
	Attr(name string) (Value, error)
}

// object is what groups and datasets share: the file, the path and the
// object header's address.
type object struct {
	f    *File
	name string
	addr uint64
}

// Name returns the object's path in the file, such as "/layers/dense".
func (o *object) Name() string { return o.name }

func (o *object) what() string { return fmt.Sprintf("%q", o.name) }

// Group is an HDF5 group: named members that are groups or datasets.
type Group struct{ object }

// Kind says what a group member is.
type Kind uint8

// The kinds of group members.
const (
	KindOther   Kind = iota // a named datatype or another object
	KindGroup               // a group
	KindDataset             // a dataset
)

// String returns "group", "dataset" or "other".
func (k Kind) String() string {
	switch k {
	case KindGroup:
		return "group"
	case KindDataset:
		return "dataset"
	}
	return "other"
}

// Child is one member of a group.
type Child struct {
	Name string // the member's name in the group
	Kind Kind   // what it is
	addr uint64
}

// link is a member's name and object header address.
type link struct {
	name string
	addr uint64
}

// links lists the group's hard links sorted by name (the order h5py lists
// them in, and the stored order of old-style groups). Soft and external
// links are left out.
func (g *Group) links() ([]link, error) {
	g.f.mu.Lock()
	ls, ok := g.f.links[g.addr]
	g.f.mu.Unlock()
	if ok {
		return ls, nil
	}
	ls, err := g.readLinks()
	if err != nil {
		return nil, err
	}
	size := int64(len(ls)) * 48
	for _, l := range ls {
		size += int64(len(l.name))
	}
	g.f.cache(func() { g.f.links[g.addr] = ls }, size)
	return ls, nil
}

func (g *Group) readLinks() ([]link, error) {
	h, err := g.f.objectHeader(g.addr)
	if err != nil {
		return nil, err
	}
	var out []link
	isGroup := false
	for _, m := range h.msgs {
		switch m.typ {
		case msgSymbolTable:
			isGroup = true
			ls, err := g.symbolTable(m)
			if err != nil {
				return nil, err
			}
			out = append(out, ls...)
		case msgLink:
			isGroup = true
			l, ok, err := g.f.parseLink(m.data, g.what())
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, l)
			}
		case msgLinkInfo:
			isGroup = true
			if err := g.f.checkLinkInfo(m.data, g.what()); err != nil {
				return nil, err
			}
		case msgGroupInfo:
			isGroup = true
		}
	}
	if !isGroup {
		return nil, errBad("%s: not a group (no symbol table or link messages)", g.what())
	}
	slices.SortStableFunc(out, func(a, b link) int { return strings.Compare(a.name, b.name) })
	for i, l := range out {
		if l.name == "" || l.name == "." || strings.Contains(l.name, "/") {
			return nil, errBad("%s: member name %q", g.what(), l.name)
		}
		if i > 0 && out[i-1].name == l.name {
			return nil, errBad("%s: two members named %q", g.what(), l.name)
		}
	}
	return out, nil
}

// symbolTable lists an old-style group's members.
func (g *Group) symbolTable(m message) ([]link, error) {
	what := g.what() + ": symbol table"
	d := g.f.decoder(m.data, what)
	btree, heapAddr := d.addr(), d.addr()
	if d.err != nil {
		return nil, d.err
	}
	heap, err := g.f.readLocalHeap(heapAddr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	var out []link
	seen := map[uint64]bool{}
	err = g.f.btreeWalk(btree, 0, g.f.lenSize, func(_ []byte, snod uint64) error {
		if seen[snod] {
			return errBad("symbol table node at %d is listed twice", snod)
		}
		seen[snod] = true
		entries, err := g.f.readSymbolNode(snod)
		if err != nil {
			return err
		}
		for _, e := range entries {
			name, err := heap.name(e.nameOff, what)
			if err != nil {
				return err
			}
			out = append(out, link{name, e.addr})
		}
		if uint64(len(out))*uint64(g.f.lenSize+g.f.offSize+24) > uint64(g.f.size) {
			return errBad("symbol table nodes list %d members, more than a %d-byte file holds", len(out), g.f.size)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// parseLink decodes a link message; ok is false for soft and external
// links.
func (f *File) parseLink(b []byte, what string) (l link, ok bool, err error) {
	what += ": link"
	d := f.decoder(b, what)
	if v := d.u8(); v != 1 && d.err == nil {
		return l, false, errBad("%s: version %d", what, v)
	}
	flags := d.u8()
	typ := uint8(0)
	if flags&0x08 != 0 {
		typ = d.u8()
	}
	if flags&0x04 != 0 {
		d.skip(8) // creation order
	}
	if flags&0x10 != 0 {
		d.skip(1) // character set
	}
	n := d.uint(1 << (flags & 3))
	if d.err != nil {
		return l, false, d.err
	}
	if n == 0 || n > uint64(d.remaining()) {
		return l, false, errBad("%s: name of %d bytes in a message of %d", what, n, len(b))
	}
	l.name = string(d.take(int(n)))
	switch typ {
	case 0:
		l.addr = d.addr()
		return l, d.err == nil, d.err
	case 1, 64:
		return l, false, nil
	}
	return l, false, errUnsupported("%s: link type %d", what, typ)
}

// checkLinkInfo refuses dense link storage (a fractal heap).
func (f *File) checkLinkInfo(b []byte, what string) error {
	d := f.decoder(b, what+": link info")
	d.u8()
	if d.u8()&1 != 0 {
		d.skip(8)
	}
	heap := d.addr()
	if d.err != nil {
		return d.err
	}
	if heap != undef {
		return errUnsupported("%s: dense link storage (fractal heap)", what)
	}
	return nil
}

// Children lists the group's members (hard links) in name order.
func (g *Group) Children() ([]Child, error) {
	ls, err := g.links()
	if err != nil {
		return nil, err
	}
	out := make([]Child, 0, len(ls))
	for _, l := range ls {
		k, err := g.f.kind(l.addr)
		if err != nil {
			return nil, fmt.Errorf("%s: member %q: %w", g.what(), l.name, err)
		}
		out = append(out, Child{l.name, k, l.addr})
	}
	return out, nil
}

// kind tells from its header messages what the object at addr is.
func (f *File) kind(addr uint64) (Kind, error) {
	h, err := f.objectHeader(addr)
	if err != nil {
		return 0, err
	}
	for _, m := range h.msgs {
		switch m.typ {
		case msgSymbolTable, msgLink, msgLinkInfo, msgGroupInfo:
			return KindGroup, nil
		case msgLayout:
			return KindDataset, nil
		}
	}
	return KindOther, nil
}

func (g *Group) child(name string) (link, error) {
	ls, err := g.links()
	if err != nil {
		return link{}, err
	}
	i, ok := slices.BinarySearchFunc(ls, name, func(l link, n string) int { return strings.Compare(l.name, n) })
	if !ok {
		return link{}, fmt.Errorf("%s has no member %q: %w", g.what(), name, ErrNotFound)
	}
	return ls[i], nil
}

func join(dir, name string) string {
	if dir == "/" {
		return "/" + name
	}
	return dir + "/" + name
}

// Lookup finds the group or dataset at path, relative to g ("a/b/c"); a
// path starting with "/" starts at the file's root.
func (g *Group) Lookup(path string) (Object, error) {
	cur := g
	if strings.HasPrefix(path, "/") {
		cur = g.f.Root()
	}
	parts := strings.Split(path, "/")
	var names []string
	for _, p := range parts {
		if p != "" && p != "." {
			names = append(names, p)
		}
	}
	if len(names) == 0 {
		return cur, nil
	}
	for i, name := range names {
		l, err := cur.child(name)
		if err != nil {
			return nil, err
		}
		k, err := g.f.kind(l.addr)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", join(cur.name, name), err)
		}
		obj := object{f: g.f, name: join(cur.name, name), addr: l.addr}
		last := i == len(names)-1
		switch {
		case k == KindGroup:
			cur = &Group{obj}
			if last {
				return cur, nil
			}
		case k == KindDataset && last:
			ds, err := g.f.openDataset(obj)
			if err != nil {
				return nil, err // not a typed nil in the interface
			}
			return ds, nil
		default:
			return nil, fmt.Errorf("%q is a %s, not a group: %w", obj.name, k, ErrNotFound)
		}
	}
	return cur, nil
}

// Group returns the group at path (relative to g, as for Lookup).
func (g *Group) Group(path string) (*Group, error) {
	o, err := g.Lookup(path)
	if err != nil {
		return nil, err
	}
	sub, ok := o.(*Group)
	if !ok {
		return nil, fmt.Errorf("%q is a dataset, not a group: %w", o.Name(), ErrNotFound)
	}
	return sub, nil
}

// Dataset returns the dataset at path (relative to g, as for Lookup).
func (g *Group) Dataset(path string) (*Dataset, error) {
	o, err := g.Lookup(path)
	if err != nil {
		return nil, err
	}
	ds, ok := o.(*Dataset)
	if !ok {
		return nil, fmt.Errorf("%q is a group, not a dataset: %w", o.Name(), ErrNotFound)
	}
	return ds, nil
}

// Has reports whether path names a member (at any depth) of g.
func (g *Group) Has(path string) bool {
	_, err := g.Lookup(path)
	return err == nil
}
