package hdf5

import (
	"fmt"
)

// Attribute is one attribute of a group or dataset.
type Attribute struct {
	Name  string
	Value Value
}

// rawAttr is an attribute message before its value is decoded.
type rawAttr struct {
	name  string
	dtype Dtype
	space dataspace
	data  []byte
}

// parseAttribute decodes an attribute message (versions 1 to 3).
func (f *File) parseAttribute(m message, what string) (rawAttr, error) {
	what += ": attribute"
	d := f.decoder(m.data, what)
	version := d.u8()
	flags := d.u8()
	nameSize := int(d.u16())
	typeSize := int(d.u16())
	spaceSize := int(d.u16())
	if version == 3 {
		d.skip(1) // character set of the name
	}
	if d.err != nil {
		return rawAttr{}, d.err
	}
	if version < 1 || version > 3 {
		return rawAttr{}, errBad("%s: version %d", what, version)
	}
	if version > 1 && flags&3 != 0 {
		return rawAttr{}, errUnsupported("%s: shared datatype or dataspace", what)
	}
	field := func(n int) []byte {
		p := d.take(n)
		if version == 1 {
			d.skip(min(pad8(n)-n, d.remaining()))
		}
		return p
	}
	name := field(nameSize)
	if d.err != nil {
		return rawAttr{}, d.err
	}
	if nameSize == 0 || name[nameSize-1] != 0 {
		return rawAttr{}, errBad("%s: name is not NUL-terminated", what)
	}
	a := rawAttr{name: string(name[:nameSize-1])}
	what = fmt.Sprintf("%s %q", what, a.name)
	tb := field(typeSize)
	sb := field(spaceSize)
	if d.err != nil {
		return rawAttr{}, d.err
	}
	var err error
	if a.dtype, err = f.parseDatatype(tb, what); err != nil {
		return rawAttr{}, err
	}
	if a.space, err = f.parseDataspace(sb, what); err != nil {
		return rawAttr{}, err
	}
	n, err := dataBytes(a.space.n, a.dtype.Size, uint64(d.remaining()), what)
	if err != nil {
		return rawAttr{}, err
	}
	a.data = d.take(int(n))
	return a, d.err
}

// attrs parses the attribute messages of an object header.
func (o *object) rawAttrs() ([]rawAttr, error) {
	h, err := o.f.objectHeader(o.addr)
	if err != nil {
		return nil, err
	}
	var out []rawAttr
	for _, m := range h.msgs {
		switch m.typ {
		case msgAttribute:
			if m.flags&msgFlagShared != 0 {
				return nil, errUnsupported("%s: shared attribute message", o.what())
			}
			a, err := o.f.parseAttribute(m, o.what())
			if err != nil {
				return nil, err
			}
			out = append(out, a)
		case msgAttrInfo:
			if err := o.f.checkAttrInfo(m, o.what()); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// checkAttrInfo refuses dense attribute storage (a fractal heap), which
// this package does not read.
func (f *File) checkAttrInfo(m message, what string) error {
	d := f.decoder(m.data, what+": attribute info")
	d.u8()
	flags := d.u8()
	if flags&1 != 0 {
		d.skip(2)
	}
	heap := d.addr()
	if d.err != nil {
		return d.err
	}
	if heap != undef {
		return errUnsupported("%s: dense attribute storage (fractal heap)", what)
	}
	return nil
}

// Attrs returns the object's attributes in the order they are stored.
func (o *object) Attrs() ([]Attribute, error) {
	raws, err := o.rawAttrs()
	if err != nil {
		return nil, err
	}
	out := make([]Attribute, 0, len(raws))
	for _, a := range raws {
		v, err := o.f.value(a.dtype, a.space, a.data, fmt.Sprintf("%s: attribute %q", o.what(), a.name))
		if err != nil {
			return nil, err
		}
		out = append(out, Attribute{a.name, v})
	}
	return out, nil
}

// Attr returns the value of the attribute called name; a missing attribute
// is an error wrapping ErrNotFound.
func (o *object) Attr(name string) (Value, error) {
	raws, err := o.rawAttrs()
	if err != nil {
		return Value{}, err
	}
	for _, a := range raws {
		if a.name == name {
			return o.f.value(a.dtype, a.space, a.data, fmt.Sprintf("%s: attribute %q", o.what(), a.name))
		}
	}
	return Value{}, fmt.Errorf("%s: no attribute %q: %w", o.what(), name, ErrNotFound)
}

// HasAttr reports whether the object has an attribute called name.
func (o *object) HasAttr(name string) bool {
	raws, err := o.rawAttrs()
	if err != nil {
		return false
	}
	for _, a := range raws {
		if a.name == name {
			return true
		}
	}
	return false
}
