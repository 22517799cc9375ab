package hdf5

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// walkAll opens b and reads everything in it: every group's members and
// attributes and every dataset's values. It returns the first error.
func walkAll(b []byte) error {
	f, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	seen := map[uint64]bool{}
	var walk func(g *Group, depth int) error
	walk = func(g *Group, depth int) error {
		if seen[g.addr] || depth > 100 {
			return nil
		}
		seen[g.addr] = true
		if _, err := g.Attrs(); err != nil {
			return err
		}
		kids, err := g.Children()
		if err != nil {
			return err
		}
		for _, c := range kids {
			o, err := g.Lookup(c.Name)
			if err != nil {
				if errors.Is(err, ErrNotFound) && c.Kind == KindOther {
					continue // a named datatype: not a group or dataset
				}
				return err
			}
			switch o := o.(type) {
			case *Group:
				if err := walk(o, depth+1); err != nil {
					return err
				}
			case *Dataset:
				if _, err := o.Attrs(); err != nil {
					return err
				}
				if seen[o.addr] {
					continue
				}
				seen[o.addr] = true
				if o.Dtype().IsString() {
					_, err = o.ReadStrings()
				} else if o.Dtype().Class == ClassOpaque {
					_, err = o.ReadRaw()
				} else {
					_, err = o.ReadFloat64()
				}
				if err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(f.Root(), 0)
}

// fileError reports whether err is one the reader may return for a bad
// file.
func fileError(err error) bool {
	return err == nil || errors.Is(err, ErrBadFile) || errors.Is(err, ErrUnsupported)
}

func fixtures(t testing.TB) map[string][]byte {
	paths, _ := filepath.Glob("testdata/*.h5")
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	if len(out) == 0 {
		t.Fatal("no fixtures")
	}
	return out
}

// Every shorter prefix of a file is truncated: Open says so (ErrBadFile).
func TestTruncatedFiles(t *testing.T) {
	for name, b := range fixtures(t) {
		step := max(1, len(b)/3000)
		for n := 0; n < len(b); n += step {
			err := walkAll(b[:n])
			if !errors.Is(err, ErrBadFile) {
				t.Fatalf("%s truncated to %d bytes: %v, want ErrBadFile", name, n, err)
			}
		}
	}
}

// Changed bytes give a value or an error of the file's, never a panic.
func TestCorruptedFiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	all := fixtures(t)
	for _, name := range slices.Sorted(maps.Keys(all)) {
		b := all[name]
		if len(b) > 100000 {
			continue
		}
		c := make([]byte, len(b))
		for i := 0; i < 3000; i++ {
			copy(c, b)
			var desc string
			for k := 0; k < 1+i%3; k++ {
				pos := rng.IntN(len(c))
				val := byte(rng.IntN(256))
				if i%5 == 0 {
					val = 0xff
				}
				c[pos] = val
				desc += fmt.Sprintf(" [%d]=%#x", pos, val)
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s with%s: panic: %v", name, desc, r)
					}
				}()
				if err := walkAll(c); !fileError(err) {
					t.Errorf("%s with%s: %v, want an error wrapping ErrBadFile or ErrUnsupported", name, desc, err)
				}
			}()
		}
	}
}

// Hand-made hostile structures that the random flips are unlikely to hit.
func TestHostileStructures(t *testing.T) {
	base, err := os.ReadFile("testdata/keras3_layout.weights.h5")
	if err != nil {
		t.Fatal(err)
	}
	f := openFile(t, "testdata/keras3_layout.weights.h5")
	ds, err := f.Root().Dataset("layers/dense/vars/0")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := f.objectHeader(ds.addr)
	layoutAt := -1
	for _, m := range h.msgs {
		if m.typ == msgLayout {
			layoutAt = bytes.Index(base, m.data)
		}
	}
	if layoutAt < 0 {
		t.Fatal("layout message not found")
	}
	tests := []struct {
		name  string
		patch func(b []byte)
	}{
		{"data past the end", func(b []byte) { putU64(b[layoutAt+2:], uint64(len(b)-8)) }},
		{"huge data size", func(b []byte) { putU64(b[layoutAt+10:], 1<<62) }},
		{"object header cycle", func(b []byte) {
			// Turn the dataset's first message into a continuation to itself.
			at := int(ds.addr) + 16
			putU16(b[at:], msgContinuation)
			putU64(b[at+8:], ds.addr+16)
			putU64(b[at+16:], 48)
		}},
		{"superblock eof beyond file", func(b []byte) { putU64(b[40:], uint64(len(b))+1) }},
		{"root address undefined", func(b []byte) { putU64(b[64:], undef) }},
	}
	for _, tt := range tests {
		b := bytes.Clone(base)
		tt.patch(b)
		err := walkAll(b)
		if !errors.Is(err, ErrBadFile) {
			t.Errorf("%s: %v, want ErrBadFile", tt.name, err)
		}
	}
}

func putU64(b []byte, v uint64) {
	for i := range 8 {
		b[i] = byte(v >> (8 * i))
	}
}

func putU16(b []byte, v uint16) { b[0], b[1] = byte(v), byte(v>>8) }

// FuzzOpen opens any bytes and reads everything in them: the result is an
// error wrapping ErrBadFile or ErrUnsupported, or success; never a panic,
// a hang or an allocation beyond what the input justifies. The seeds are
// the fixtures; crashers found are kept in testdata/fuzz/FuzzOpen.
//
//	go test -run '^$' -fuzz FuzzOpen -fuzztime 20s ./internal/hdf5/
func FuzzOpen(f *testing.F) {
	for _, b := range fixtures(f) {
		if len(b) < 40000 {
			f.Add(b)
		}
	}
	w := NewWriter()
	g, _ := w.Root().CreateGroup("layers/dense/vars")
	g.CreateDataset("0", []int{2, 2}, []float32{1, 2, 3, 4})
	g.SetAttr("name", "dense")
	var buf bytes.Buffer
	w.WriteTo(&buf)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := walkAll(b); !fileError(err) {
			t.Fatalf("error of the wrong kind: %v", err)
		}
	})
}

// Bytes changed in a fixture that once made the reader panic.
func TestRegressions(t *testing.T) {
	tests := []struct {
		file  string
		patch map[int]byte
	}{
		// A version 1 chunked layout message cut short: slice [:-1].
		{"types_earliest.h5", map[int]byte{29774: 1, 6685: 0xad, 25446: 0x83, 5000: 8}},
	}
	for _, tt := range tests {
		b, err := os.ReadFile(filepath.Join("testdata", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		for pos, v := range tt.patch {
			b[pos] = v
		}
		if err := walkAll(b); !fileError(err) {
			t.Errorf("%s %v: %v", tt.file, tt.patch, err)
		}
	}
}

// Every prefix of every message of every fixture parses to a value or an
// error, never a panic.
func TestMessagePrefixes(t *testing.T) {
	count := 0
	defer func() {
		if count < 500 {
			t.Errorf("only %d messages parsed", count)
		}
	}()
	for name, b := range fixtures(t) {
		f, err := Open(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		var headers []uint64
		seen := map[uint64]bool{}
		var collect func(addr uint64)
		collect = func(addr uint64) {
			if seen[addr] {
				return
			}
			seen[addr] = true
			headers = append(headers, addr)
			g := &Group{object{f: f, name: "/", addr: addr}}
			if k, _ := f.kind(addr); k == KindGroup {
				kids, _ := g.Children()
				for _, c := range kids {
					collect(c.addr)
				}
			}
		}
		collect(f.rootAddr)
		for _, addr := range headers {
			h, err := f.objectHeader(addr)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range h.msgs {
				count++
				for n := 0; n <= len(m.data); n++ {
					p := bytes.Clone(m.data[:n])
					func() {
						defer func() {
							if r := recover(); r != nil {
								t.Fatalf("%s: message type %d cut to %d bytes: panic %v", name, m.typ, n, r)
							}
						}()
						parseAny(f, message{m.typ, m.flags, p})
					}()
				}
			}
		}
	}
}

func parseAny(f *File, m message) {
	switch m.typ {
	case msgDatatype:
		f.parseDatatype(m.data, "x")
	case msgDataspace:
		f.parseDataspace(m.data, "x")
	case msgLayout:
		f.parseLayout(m.data, "x")
	case msgFilters:
		f.parseFilters(m.data, "x")
	case msgFill, msgFillOld:
		f.parseFill(m, 4, "x")
	case msgAttribute:
		if a, err := f.parseAttribute(m, "x"); err == nil {
			f.value(a.dtype, a.space, a.data, "x")
		}
	case msgLink:
		f.parseLink(m.data, "x")
	case msgLinkInfo:
		f.checkLinkInfo(m.data, "x")
	case msgAttrInfo:
		f.checkAttrInfo(m, "x")
	case msgSymbolTable:
		g := &Group{object{f: f, name: "/"}}
		g.symbolTable(m)
	}
}
