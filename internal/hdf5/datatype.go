package hdf5

import "fmt"

// Class is the kind of values a Dtype holds.
type Class uint8

// The classes of values this package reads and writes.
const (
	ClassInt       Class = iota + 1 // signed integers (and enums of them, such as h5py's bool)
	ClassUint                       // unsigned integers (and enums of them)
	ClassFloat                      // IEEE 754 binary floating point
	ClassString                     // fixed-length strings
	ClassVarString                  // variable-length strings, stored in the global heap
	ClassOpaque                     // opaque bytes (h5py's NumPy void types, such as Keras 3's bfloat16)
)

// String padding of fixed-length strings.
const (
	padNullTerm = 0
	padNull     = 1
	padSpace    = 2
)

// Dtype is the type of a dataset's or attribute's elements.
type Dtype struct {
	Class Class
	// Size is the size of one element in the file, in bytes (for
	// ClassVarString, the size of the reference to the global heap).
	Size int
	// BigEndian is set for numbers stored most significant byte first.
	BigEndian bool
	// UTF8 is set for strings whose character set is UTF-8 (else ASCII).
	UTF8 bool

	pad uint8 // string padding
}

// String returns NumPy's name for the type: "float32", "int64", "uint8",
// "S12" (fixed-length strings of 12 bytes) or "str" (variable-length).
func (t Dtype) String() string {
	switch t.Class {
	case ClassInt:
		return fmt.Sprintf("int%d", 8*t.Size)
	case ClassUint:
		return fmt.Sprintf("uint%d", 8*t.Size)
	case ClassFloat:
		return fmt.Sprintf("float%d", 8*t.Size)
	case ClassString:
		return fmt.Sprintf("S%d", t.Size)
	case ClassVarString:
		return "str"
	case ClassOpaque:
		return fmt.Sprintf("V%d", t.Size)
	}
	return "invalid"
}

// IsNumeric reports whether the type holds numbers.
func (t Dtype) IsNumeric() bool {
	return t.Class == ClassInt || t.Class == ClassUint || t.Class == ClassFloat
}

// IsString reports whether the type holds strings.
func (t Dtype) IsString() bool { return t.Class == ClassString || t.Class == ClassVarString }

var classNames = map[uint8]string{
	2: "time", 4: "bitfield", 6: "compound", 7: "reference", 10: "array", 11: "complex",
}

// parseDatatype decodes a datatype message.
func (f *File) parseDatatype(b []byte, what string) (Dtype, error) {
	return f.parseDatatypeDepth(b, what, 0)
}

func (f *File) parseDatatypeDepth(b []byte, what string, depth int) (Dtype, error) {
	what += ": datatype"
	if depth > maxDepth {
		return Dtype{}, errBad("%s: nested more than %d deep", what, maxDepth)
	}
	d := f.decoder(b, what)
	cv := d.u8()
	bits := d.uint(3)
	size := d.u32()
	if d.err != nil {
		return Dtype{}, d.err
	}
	class, version := cv&0x0f, cv>>4
	if version < 1 || version > 5 {
		return Dtype{}, errBad("%s: version %d", what, version)
	}
	if size == 0 || size > 1<<16 && class != 9 {
		return Dtype{}, errBad("%s: element size %d", what, size)
	}
	t := Dtype{Size: int(size), BigEndian: bits&1 != 0}
	switch class {
	case 0: // fixed-point
		t.Class = ClassUint
		if bits&0x08 != 0 {
			t.Class = ClassInt
		}
		offset, precision := d.u16(), d.u16()
		if d.err != nil {
			return Dtype{}, d.err
		}
		if size != 1 && size != 2 && size != 4 && size != 8 {
			return Dtype{}, errUnsupported("%s: %d-byte integers", what, size)
		}
		if offset != 0 || int(precision) != 8*int(size) {
			return Dtype{}, errUnsupported("%s: integers with bit offset %d and precision %d", what, offset, precision)
		}
		return t, nil
	case 1: // floating point
		t.Class = ClassFloat
		if bits&0x40 != 0 {
			return Dtype{}, errUnsupported("%s: VAX byte order", what)
		}
		sign := int(bits >> 8 & 0xff)
		offset, precision := d.u16(), d.u16()
		expLoc, expSize, mantLoc, mantSize := d.u8(), d.u8(), d.u8(), d.u8()
		bias := d.u32()
		if d.err != nil {
			return Dtype{}, d.err
		}
		want := map[uint32][6]int{2: {15, 10, 5, 0, 10, 15}, 4: {31, 23, 8, 0, 23, 127}, 8: {63, 52, 11, 0, 52, 1023}}
		w, ok := want[size]
		if !ok || offset != 0 || int(precision) != 8*int(size) ||
			[6]int{sign, int(expLoc), int(expSize), int(mantLoc), int(mantSize), int(bias)} != w {
			return Dtype{}, errUnsupported("%s: %d-byte floating point that is not IEEE 754 binary%d", what, size, 8*size)
		}
		return t, nil
	case 3: // string
		t.Class = ClassString
		t.BigEndian = false
		t.pad = uint8(bits & 0x0f)
		t.UTF8 = bits>>4&0x0f == 1
		if t.pad > padSpace {
			return Dtype{}, errBad("%s: string padding %d", what, t.pad)
		}
		return t, nil
	case 5: // opaque: raw bytes with an ASCII tag
		t.Class = ClassOpaque
		t.BigEndian = false
		return t, nil
	case 8: // enumeration: read as its base type
		base, err := f.parseDatatypeDepth(b[8:], what, depth+1)
		if err != nil {
			return Dtype{}, err
		}
		if base.Class != ClassInt && base.Class != ClassUint {
			return Dtype{}, errUnsupported("%s: enum of %s", what, base)
		}
		if base.Size != t.Size {
			return Dtype{}, errBad("%s: enum of size %d over a base of size %d", what, t.Size, base.Size)
		}
		return base, nil
	case 9: // variable length
		if bits&0x0f != 1 {
			return Dtype{}, errUnsupported("%s: variable-length sequences", what)
		}
		if int(size) != 4+f.offSize+4 {
			return Dtype{}, errBad("%s: variable-length string of size %d (want %d)", what, size, 4+f.offSize+4)
		}
		t.Class = ClassVarString
		t.BigEndian = false
		t.pad = uint8(bits >> 4 & 0x0f)
		t.UTF8 = bits>>8&0x0f == 1
		return t, nil
	}
	if name, ok := classNames[class]; ok {
		return Dtype{}, errUnsupported("%s: %s datatype (class %d)", what, name, class)
	}
	return Dtype{}, errBad("%s: class %d", what, class)
}
