package hdf5

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// Writer builds an HDF5 file in memory (its structure; dataset values stay
// in the caller's slices) and writes it with WriteTo. The file is what h5py
// writes by default for the same calls: superblock version 0, version 1
// object headers, old-style groups (symbol table, B-tree, local heap) with
// members in name order, contiguous datasets and attributes in the object
// headers, variable-length strings in the global heap. A Writer is not
// safe for concurrent use.
type Writer struct {
	root *GroupWriter
}

// NewWriter returns a Writer holding an empty root group.
func NewWriter() *Writer {
	w := &Writer{}
	w.root = &GroupWriter{name: "/", members: map[string]any{}}
	return w
}

// Root returns the root group.
func (w *Writer) Root() *GroupWriter { return w.root }

// GroupWriter is a group being written.
type GroupWriter struct {
	name    string
	attrs   []wattr
	members map[string]any // *GroupWriter or *DatasetWriter
}

// DatasetWriter is a dataset being written.
type DatasetWriter struct {
	name  string
	shape []int
	dtype Dtype
	data  any // []float32, []float64, []int64, []int32 or []uint8
	n     int
	attrs []wattr
}

// wattr is an attribute being written.
type wattr struct {
	name  string
	dtype Dtype
	shape []int // nil: scalar
	raw   []byte
	strs  []string // variable-length strings
}

// FixedStrings is an attribute value written as an array of fixed-length,
// NUL-padded ASCII strings (as h5py 2.x and NumPy "S" arrays store the
// layer_names and weight_names of older Keras files). A plain []string is
// written as variable-length UTF-8 strings, as h5py 3 does.
type FixedStrings []string

// Types written.
var (
	dtFloat32 = Dtype{Class: ClassFloat, Size: 4}
	dtFloat64 = Dtype{Class: ClassFloat, Size: 8}
	dtInt64   = Dtype{Class: ClassInt, Size: 8}
	dtInt32   = Dtype{Class: ClassInt, Size: 4}
	dtUint8   = Dtype{Class: ClassUint, Size: 1}
	dtVarStr  = Dtype{Class: ClassVarString, Size: 16, UTF8: true}
)

func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00") {
		return fmt.Errorf("hdf5: invalid member name %q", name)
	}
	return nil
}

func splitPath(path string) ([]string, error) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for _, p := range parts {
		if err := checkName(p); err != nil {
			return nil, fmt.Errorf("hdf5: path %q: %w", path, err)
		}
	}
	return parts, nil
}

// CreateGroup returns the group at path below g ("a/b" creates a and a/b
// as needed); an existing group is returned as it is, as h5py's
// require_group does.
func (g *GroupWriter) CreateGroup(path string) (*GroupWriter, error) {
	parts, err := splitPath(path)
	if err != nil {
		return nil, err
	}
	cur := g
	for _, p := range parts {
		switch m := cur.members[p].(type) {
		case *GroupWriter:
			cur = m
		case nil:
			sub := &GroupWriter{name: join(cur.name, p), members: map[string]any{}}
			cur.members[p] = sub
			cur = sub
		default:
			return nil, fmt.Errorf("hdf5: %q is a dataset, not a group", join(cur.name, p))
		}
	}
	return cur, nil
}

// CreateDataset adds a dataset at path below g (creating the groups before
// its last component) holding data in row-major order, which must be a
// []float32, []float64, []int64, []int32 or []uint8 of exactly as many
// elements as shape asks (shape nil or empty: a scalar of one element). The
// slice is kept, not copied, until WriteTo: do not change it before.
func (g *GroupWriter) CreateDataset(path string, shape []int, data any) (*DatasetWriter, error) {
	parts, err := splitPath(path)
	if err != nil {
		return nil, err
	}
	parent := g
	if len(parts) > 1 {
		if parent, err = g.CreateGroup(strings.Join(parts[:len(parts)-1], "/")); err != nil {
			return nil, err
		}
	}
	name := parts[len(parts)-1]
	full := join(parent.name, name)
	if _, ok := parent.members[name]; ok {
		return nil, fmt.Errorf("hdf5: %q already exists", full)
	}
	if len(shape) > maxRank {
		return nil, fmt.Errorf("hdf5: dataset %q: rank %d (HDF5's limit is %d)", full, len(shape), maxRank)
	}
	want := 1
	for _, s := range shape {
		if s < 0 {
			return nil, fmt.Errorf("hdf5: dataset %q: negative dimension in shape %v", full, shape)
		}
		if s != 0 && want > math.MaxInt/s {
			return nil, fmt.Errorf("hdf5: dataset %q: shape %v overflows", full, shape)
		}
		want *= s
	}
	ds := &DatasetWriter{name: full, shape: slices.Clone(shape), data: data}
	switch v := data.(type) {
	case []float32:
		ds.dtype, ds.n = dtFloat32, len(v)
	case []float64:
		ds.dtype, ds.n = dtFloat64, len(v)
	case []int64:
		ds.dtype, ds.n = dtInt64, len(v)
	case []int32:
		ds.dtype, ds.n = dtInt32, len(v)
	case []uint8:
		ds.dtype, ds.n = dtUint8, len(v)
	default:
		return nil, fmt.Errorf("hdf5: dataset %q: data of type %T (want []float32, []float64, []int64, []int32 or []uint8)", full, data)
	}
	if ds.n != want {
		return nil, fmt.Errorf("hdf5: dataset %q: shape %v needs %d elements, data has %d", full, shape, want, ds.n)
	}
	parent.members[name] = ds
	return ds, nil
}

// SetAttr sets the group's attribute name (replacing one of that name);
// see setAttr for the values accepted.
func (g *GroupWriter) SetAttr(name string, value any) error {
	return setAttr(&g.attrs, g.name, name, value)
}

// SetAttr sets the dataset's attribute name (replacing one of that name).
// The values accepted are those of GroupWriter.SetAttr.
func (d *DatasetWriter) SetAttr(name string, value any) error {
	return setAttr(&d.attrs, d.name, name, value)
}

// setAttr encodes value as h5py would store the same Python value:
//   - string: a variable-length UTF-8 string (h5py's str)
//   - []string: a 1-D array of variable-length UTF-8 strings
//   - []byte: a fixed-length NUL-padded ASCII string (a NumPy bytes_)
//   - FixedStrings: a 1-D array of fixed-length NUL-padded strings
//   - int, int64, int32, float64, float32: a scalar of that type (int as int64)
//   - []int64, []int32, []float64, []float32: a 1-D array ([]float64{} is
//     the empty float64 array of shape (0,) Keras writes for weightless
//     layers' weight_names)
func setAttr(list *[]wattr, owner, name string, value any) error {
	if name == "" || strings.ContainsRune(name, 0) {
		return fmt.Errorf("hdf5: %q: invalid attribute name %q", owner, name)
	}
	a := wattr{name: name}
	le := binary.LittleEndian
	switch v := value.(type) {
	case string:
		a.dtype, a.strs = dtVarStr, []string{v}
	case []string:
		a.dtype, a.strs, a.shape = dtVarStr, slices.Clone(v), []int{len(v)}
	case []byte:
		a.dtype = Dtype{Class: ClassString, Size: max(1, len(v)), pad: padNull}
		a.raw = make([]byte, a.dtype.Size)
		copy(a.raw, v)
	case FixedStrings:
		size := 1
		for _, s := range v {
			size = max(size, len(s))
		}
		a.dtype, a.shape = Dtype{Class: ClassString, Size: size, pad: padNull}, []int{len(v)}
		a.raw = make([]byte, size*len(v))
		for i, s := range v {
			copy(a.raw[i*size:], s)
		}
	case int:
		return setAttr(list, owner, name, int64(v))
	case int64:
		a.dtype, a.raw = dtInt64, le.AppendUint64(nil, uint64(v))
	case int32:
		a.dtype, a.raw = dtInt32, le.AppendUint32(nil, uint32(v))
	case float64:
		a.dtype, a.raw = dtFloat64, le.AppendUint64(nil, math.Float64bits(v))
	case float32:
		a.dtype, a.raw = dtFloat32, le.AppendUint32(nil, math.Float32bits(v))
	case []int64:
		a.dtype, a.shape, a.raw = dtInt64, []int{len(v)}, encode(v)
	case []int32:
		a.dtype, a.shape, a.raw = dtInt32, []int{len(v)}, encode(v)
	case []float64:
		a.dtype, a.shape, a.raw = dtFloat64, []int{len(v)}, encode(v)
	case []float32:
		a.dtype, a.shape, a.raw = dtFloat32, []int{len(v)}, encode(v)
	default:
		return fmt.Errorf("hdf5: %q: attribute %q of unsupported type %T", owner, name, value)
	}
	if size := len(attrMessage(a, nil)); size > 0xffff {
		return fmt.Errorf("hdf5: %q: attribute %q needs %d bytes, more than the 65535 an HDF5 object header message holds (Keras splits such lists into name0, name1, ...)", owner, name, size)
	}
	for i := range *list {
		if (*list)[i].name == name {
			(*list)[i] = a
			return nil
		}
	}
	*list = append(*list, a)
	return nil
}

// encode returns the little-endian bytes of a numeric slice.
func encode(data any) []byte {
	switch v := data.(type) {
	case []float32:
		b := make([]byte, 4*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
		}
		return b
	case []float64:
		b := make([]byte, 8*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
		}
		return b
	case []int64:
		b := make([]byte, 8*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
		}
		return b
	case []int32:
		b := make([]byte, 4*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint32(b[4*i:], uint32(x))
		}
		return b
	case []uint8:
		return slices.Clone(v)
	}
	panic(fmt.Sprintf("hdf5: encode of %T", data))
}

// Sizes of the written structures (8-byte addresses and lengths).
const (
	superblockSize = 96
	leafK          = 4  // symbol table node: up to 2*leafK entries
	internalK      = 16 // group B-tree node: up to 2*internalK children
	snodSize       = 8 + 2*leafK*40
	btreeNodeSize  = 24 + 2*internalK*8 + (2*internalK+1)*8
	gheapMinSize   = 4096
	gheapMaxObjs   = 60000
	gheapTarget    = 1 << 20
)

// vlenRef locates one variable-length string in the global heap.
type vlenRef struct {
	coll uint64
	idx  uint32
	n    int
}

// layoutPlan holds the addresses of everything written.
type layoutPlan struct {
	end     uint64
	gheaps  []gheapPlan
	refs    map[*wattr][]vlenRef
	groups  []*groupPlan
	byGroup map[*GroupWriter]*groupPlan
	dsets   []*dsetPlan
}

type gheapPlan struct {
	addr uint64
	size uint64
	objs []string
}

type groupPlan struct {
	g        *GroupWriter
	header   uint64
	heap     uint64
	heapData []byte
	nameOff  map[string]uint64
	names    []string
	snods    []uint64
	levels   [][]btreeNode // levels[0] are the nodes over the SNODs
	members  map[string]uint64
	hdrSize  uint64
}

type btreeNode struct {
	addr     uint64
	children []uint64
	keys     []uint64 // heap offsets, len(children)+1
	level    int
}

type dsetPlan struct {
	d       *DatasetWriter
	header  uint64
	hdrSize uint64
	data    uint64 // undef when empty
}

// WriteTo writes the file to out.
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	p := &layoutPlan{refs: map[*wattr][]vlenRef{}, byGroup: map[*GroupWriter]*groupPlan{}}
	p.end = superblockSize
	p.planHeaps(w.root)
	p.planGroup(w.root)
	// Dataset values follow all structures.
	for _, dp := range p.dsets {
		size := uint64(dp.d.n * dp.d.dtype.Size)
		if size == 0 {
			dp.data = undef
			continue
		}
		p.end = (p.end + 7) &^ 7
		dp.data = p.end
		p.end += size
	}
	meta := make([]byte, p.metaEnd())
	p.fill(meta)
	bw := bufio.NewWriterSize(out, 1<<16)
	n, err := bw.Write(meta)
	total := int64(n)
	if err != nil {
		return total, err
	}
	pos := uint64(len(meta))
	for _, dp := range p.dsets {
		if dp.data == undef {
			continue
		}
		if pad := dp.data - pos; pad > 0 {
			n, err := bw.Write(make([]byte, pad))
			total += int64(n)
			if err != nil {
				return total, err
			}
		}
		n, err := writeValues(bw, dp.d.data)
		total += n
		if err != nil {
			return total, err
		}
		pos = dp.data + uint64(n)
	}
	if err := bw.Flush(); err != nil {
		return total, err
	}
	if uint64(total) != p.end {
		return total, errors.New("hdf5: internal error: written size differs from the planned size")
	}
	return total, nil
}

// metaEnd is the end of the structures: the first dataset value's address,
// or the file's end.
func (p *layoutPlan) metaEnd() uint64 {
	for _, dp := range p.dsets {
		if dp.data != undef {
			return dp.data
		}
	}
	return p.end
}

// writeValues writes a numeric slice in little-endian pieces.
func writeValues(w io.Writer, data any) (int64, error) {
	const piece = 1 << 16
	var total int64
	emit := func(chunk any) error {
		n, err := w.Write(encode(chunk))
		total += int64(n)
		return err
	}
	var err error
	switch v := data.(type) {
	case []float32:
		for i := 0; i < len(v) && err == nil; i += piece {
			err = emit(v[i:min(i+piece, len(v))])
		}
	case []float64:
		for i := 0; i < len(v) && err == nil; i += piece {
			err = emit(v[i:min(i+piece, len(v))])
		}
	case []int64:
		for i := 0; i < len(v) && err == nil; i += piece {
			err = emit(v[i:min(i+piece, len(v))])
		}
	case []int32:
		for i := 0; i < len(v) && err == nil; i += piece {
			err = emit(v[i:min(i+piece, len(v))])
		}
	case []uint8:
		n, e := w.Write(v)
		total, err = int64(n), e
	}
	return total, err
}

func (p *layoutPlan) alloc(n uint64) uint64 {
	a := p.end
	p.end += (n + 7) &^ 7
	return a
}

// planHeaps puts every variable-length string of every attribute into
// global heap collections, in the order the attributes are written.
func (p *layoutPlan) planHeaps(root *GroupWriter) {
	var cur *gheapPlan
	var used uint64
	add := func(a *wattr) {
		for _, s := range a.strs {
			if len(s) == 0 {
				p.refs[a] = append(p.refs[a], vlenRef{})
				continue
			}
			obj := 16 + uint64(pad8(len(s)))
			if cur == nil || len(cur.objs) >= gheapMaxObjs || (used+obj > gheapTarget && len(cur.objs) > 0) {
				p.gheaps = append(p.gheaps, gheapPlan{})
				cur = &p.gheaps[len(p.gheaps)-1]
				used = 16
			}
			cur.objs = append(cur.objs, s)
			used += obj
			p.refs[a] = append(p.refs[a], vlenRef{idx: uint32(len(cur.objs)), n: len(s), coll: uint64(len(p.gheaps) - 1)})
		}
	}
	var walk func(g *GroupWriter)
	walk = func(g *GroupWriter) {
		for i := range g.attrs {
			add(&g.attrs[i])
		}
		for _, name := range sortedNames(g.members) {
			switch m := g.members[name].(type) {
			case *GroupWriter:
				walk(m)
			case *DatasetWriter:
				for i := range m.attrs {
					add(&m.attrs[i])
				}
			}
		}
	}
	walk(root)
	for i := range p.gheaps {
		h := &p.gheaps[i]
		size := uint64(16)
		for _, s := range h.objs {
			size += 16 + uint64(pad8(len(s)))
		}
		size += 16 // room for the free-space object
		h.size = max(size, gheapMinSize)
		h.addr = p.alloc(h.size)
	}
	// Turn collection numbers into addresses.
	for a, refs := range p.refs {
		for j := range refs {
			if refs[j].n > 0 {
				refs[j].coll = p.gheaps[refs[j].coll].addr
			}
		}
		p.refs[a] = refs
	}
}

func sortedNames(m map[string]any) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names) // strcmp order, as HDF5 symbol tables require
	return names
}

// planGroup assigns addresses to a group's structures and, recursively, to
// its members'.
func (p *layoutPlan) planGroup(g *GroupWriter) *groupPlan {
	gp := &groupPlan{g: g, nameOff: map[string]uint64{}, members: map[string]uint64{}}
	p.groups = append(p.groups, gp)
	p.byGroup[g] = gp
	gp.hdrSize = headerSize(symbolTableMsgSize, g.attrs)
	gp.header = p.alloc(gp.hdrSize)
	// Local heap: "" at offset 0, then the names.
	gp.names = sortedNames(g.members)
	heap := make([]byte, 8)
	for _, n := range gp.names {
		gp.nameOff[n] = uint64(len(heap))
		heap = append(heap, n...)
		heap = append(heap, make([]byte, pad8(len(n)+1)-len(n))...)
	}
	gp.heapData = heap
	gp.heap = p.alloc(32 + uint64(len(heap)))
	// Symbol table nodes of up to 2*leafK entries, and the B-tree over them.
	var level []btreeNode
	var leafMax []uint64 // heap offset of the last name in each SNOD
	for i := 0; i < len(gp.names); i += 2 * leafK {
		gp.snods = append(gp.snods, 0)
		leafMax = append(leafMax, gp.nameOff[gp.names[min(i+2*leafK, len(gp.names))-1]])
	}
	children, maxes := make([]uint64, len(gp.snods)), leafMax
	for lvl := 0; ; lvl++ {
		level = nil
		var nextMax []uint64
		for i := 0; i < len(children) || (i == 0 && len(children) == 0); i += 2 * internalK {
			j := min(i+2*internalK, len(children))
			nd := btreeNode{level: lvl, children: make([]uint64, j-i)}
			nd.keys = append([]uint64{0}, maxes[i:j]...)
			if i > 0 {
				nd.keys[0] = maxes[i-1]
			}
			level = append(level, nd)
			if j > i {
				nextMax = append(nextMax, maxes[j-1])
			}
			if len(children) == 0 {
				break
			}
		}
		gp.levels = append(gp.levels, level)
		if len(level) == 1 {
			break
		}
		children, maxes = make([]uint64, len(level)), nextMax
	}
	// Allocate from the root down, then the SNODs.
	for l := len(gp.levels) - 1; l >= 0; l-- {
		for i := range gp.levels[l] {
			gp.levels[l][i].addr = p.alloc(btreeNodeSize)
		}
	}
	for i := range gp.snods {
		gp.snods[i] = p.alloc(snodSize)
	}
	// Link children to addresses.
	for l, nodes := range gp.levels {
		k := 0
		for i := range nodes {
			for c := range nodes[i].children {
				if l == 0 {
					nodes[i].children[c] = gp.snods[k]
				} else {
					nodes[i].children[c] = gp.levels[l-1][k].addr
				}
				k++
			}
		}
	}
	for _, name := range gp.names {
		switch m := g.members[name].(type) {
		case *GroupWriter:
			gp.members[name] = p.planGroup(m).header
		case *DatasetWriter:
			dp := &dsetPlan{d: m}
			dp.hdrSize = headerSize(msgsSize(datasetMsgs(m, 0)), m.attrs)
			dp.header = p.alloc(dp.hdrSize)
			p.dsets = append(p.dsets, dp)
			gp.members[name] = dp.header
		}
	}
	return gp
}

const symbolTableMsgSize = 8 + 16

// headerSize is the size of a version 1 object header holding messages of
// msgs bytes (with their 8-byte message headers) and the attributes.
func headerSize(msgs int, attrs []wattr) uint64 {
	n := 16 + msgs
	for _, a := range attrs {
		n += 8 + pad8(len(attrMessage(a, nil)))
	}
	return uint64(n)
}

// datasetMsgs returns a dataset's messages, as h5py writes them.
func datasetMsgs(d *DatasetWriter, data uint64) []message {
	return []message{
		{typ: msgDataspace, data: dataspaceMsg(d.shape, true)},
		{typ: msgDatatype, flags: 1, data: datatypeMsg(d.dtype)},
		{typ: msgFill, flags: 1, data: fillMsg},
		{typ: msgLayout, data: layoutMsg(data, uint64(d.n*d.dtype.Size))},
	}
}

func msgsSize(msgs []message) int {
	n := 0
	for _, m := range msgs {
		n += 8 + pad8(len(m.data))
	}
	return n
}

// fill serializes every structure into meta.
func (p *layoutPlan) fill(meta []byte) {
	le := binary.LittleEndian
	root := p.groups[0]
	// Superblock version 0.
	copy(meta, signature)
	meta[13], meta[14] = 8, 8 // sizes of offsets and lengths
	le.PutUint16(meta[16:], leafK)
	le.PutUint16(meta[18:], internalK)
	le.PutUint64(meta[24:], 0)     // base address
	le.PutUint64(meta[32:], undef) // free-space info
	le.PutUint64(meta[40:], p.end) // end of file
	le.PutUint64(meta[48:], undef) // driver information
	putEntry(meta[56:], 0, root.header, root.levels[len(root.levels)-1][0].addr, root.heap)
	for _, h := range p.gheaps {
		b := meta[h.addr : h.addr+h.size]
		copy(b, "GCOL")
		b[4] = 1
		le.PutUint64(b[8:], h.size)
		off := 16
		for i, s := range h.objs {
			le.PutUint16(b[off:], uint16(i+1))
			le.PutUint64(b[off+8:], uint64(len(s)))
			copy(b[off+16:], s)
			off += 16 + pad8(len(s))
		}
		le.PutUint64(b[off+8:], h.size-uint64(off)) // free space, index 0
	}
	for _, gp := range p.groups {
		gp.fill(meta, p)
	}
	for _, dp := range p.dsets {
		putHeader(meta[dp.header:dp.header+dp.hdrSize], datasetMsgs(dp.d, dp.data), dp.d.attrs, p)
	}
}

func (gp *groupPlan) fill(meta []byte, p *layoutPlan) {
	le := binary.LittleEndian
	rootNode := gp.levels[len(gp.levels)-1][0].addr
	stab := make([]byte, 16)
	le.PutUint64(stab, rootNode)
	le.PutUint64(stab[8:], gp.heap)
	putHeader(meta[gp.header:gp.header+gp.hdrSize], []message{{typ: msgSymbolTable, data: stab}}, gp.g.attrs, p)
	// Local heap.
	h := meta[gp.heap:]
	copy(h, "HEAP")
	le.PutUint64(h[8:], uint64(len(gp.heapData)))
	le.PutUint64(h[16:], 1) // no free block (H5HL_FREE_NULL)
	le.PutUint64(h[24:], gp.heap+32)
	copy(h[32:], gp.heapData)
	// B-tree nodes.
	for l, nodes := range gp.levels {
		for i, nd := range nodes {
			b := meta[nd.addr : nd.addr+btreeNodeSize]
			copy(b, "TREE")
			b[4], b[5] = 0, byte(l)
			le.PutUint16(b[6:], uint16(len(nd.children)))
			left, right := undef, undef
			if i > 0 {
				left = nodes[i-1].addr
			}
			if i+1 < len(nodes) {
				right = nodes[i+1].addr
			}
			le.PutUint64(b[8:], left)
			le.PutUint64(b[16:], right)
			off := 24
			for c, child := range nd.children {
				le.PutUint64(b[off:], nd.keys[c])
				le.PutUint64(b[off+8:], child)
				off += 16
			}
			le.PutUint64(b[off:], nd.keys[len(nd.children)])
		}
	}
	// Symbol table nodes.
	for i, addr := range gp.snods {
		b := meta[addr : addr+snodSize]
		copy(b, "SNOD")
		b[4] = 1
		names := gp.names[i*2*leafK : min((i+1)*2*leafK, len(gp.names))]
		le.PutUint16(b[6:], uint16(len(names)))
		for j, n := range names {
			e := b[8+40*j:]
			btree, heap := undef, undef
			if sub, ok := gp.g.members[n].(*GroupWriter); ok {
				sp := p.byGroup[sub]
				btree, heap = sp.levels[len(sp.levels)-1][0].addr, sp.heap
			}
			putEntry(e, gp.nameOff[n], gp.members[n], btree, heap)
		}
	}
}

// putEntry writes a symbol table entry; a group's entry caches its B-tree
// and heap addresses (cache type 1), as libhdf5 writes them.
func putEntry(b []byte, nameOff, header, btree, heap uint64) {
	le := binary.LittleEndian
	le.PutUint64(b, nameOff)
	le.PutUint64(b[8:], header)
	if btree != undef {
		le.PutUint32(b[16:], 1)
		le.PutUint64(b[24:], btree)
		le.PutUint64(b[32:], heap)
	}
}

// putHeader writes a version 1 object header of msgs and attribute
// messages into b (exactly headerSize bytes).
func putHeader(b []byte, msgs []message, attrs []wattr, p *layoutPlan) {
	le := binary.LittleEndian
	for i := range attrs {
		msgs = append(msgs, message{typ: msgAttribute, data: attrMessage(attrs[i], p.refs[&attrs[i]])})
	}
	b[0] = 1
	le.PutUint16(b[2:], uint16(len(msgs)))
	le.PutUint32(b[4:], 1) // reference count
	le.PutUint32(b[8:], uint32(len(b)-16))
	off := 16
	for _, m := range msgs {
		size := pad8(len(m.data))
		le.PutUint16(b[off:], m.typ)
		le.PutUint16(b[off+2:], uint16(size))
		b[off+4] = m.flags
		copy(b[off+8:], m.data)
		off += 8 + size
	}
}

// dataspaceMsg encodes a version 1 dataspace (with maximum dimensions
// equal to the dimensions, as h5py writes for fixed-size data).
func dataspaceMsg(shape []int, withMax bool) []byte {
	le := binary.LittleEndian
	b := make([]byte, 8)
	b[0] = 1
	b[1] = byte(len(shape))
	if withMax && len(shape) > 0 {
		b[2] = 1
	}
	for _, s := range shape {
		b = le.AppendUint64(b, uint64(s))
	}
	if withMax {
		for _, s := range shape {
			b = le.AppendUint64(b, uint64(s))
		}
	}
	return b
}

// datatypeMsg encodes a version 1 datatype.
func datatypeMsg(t Dtype) []byte {
	le := binary.LittleEndian
	b := make([]byte, 8)
	le.PutUint32(b[4:], uint32(t.Size))
	switch t.Class {
	case ClassInt, ClassUint:
		b[0] = 0x10
		if t.Class == ClassInt {
			b[1] = 0x08
		}
		b = le.AppendUint16(b, 0)
		b = le.AppendUint16(b, uint16(8*t.Size))
	case ClassFloat:
		b[0] = 0x11
		b[1] = 0x20 // implied mantissa normalization
		p := map[int][6]int{4: {31, 23, 8, 0, 23, 127}, 8: {63, 52, 11, 0, 52, 1023}}[t.Size]
		b[2] = byte(p[0])
		b = le.AppendUint16(b, 0)
		b = le.AppendUint16(b, uint16(8*t.Size))
		b = append(b, byte(p[1]), byte(p[2]), byte(p[3]), byte(p[4]))
		b = le.AppendUint32(b, uint32(p[5]))
	case ClassString:
		b[0] = 0x13
		b[1] = t.pad
	case ClassVarString:
		b[0] = 0x19
		b[1] = 0x01 // string, null-terminated
		if t.UTF8 {
			b[2] = 0x01
		}
		b = append(b, datatypeMsg(dtUint8)...)
	}
	return b
}

// fillMsg is h5py's fill value message: version 2, late allocation, fill
// if set, default (undefined-size) fill value.
var fillMsg = []byte{2, 2, 2, 1, 0, 0, 0, 0}

// layoutMsg encodes a version 3 contiguous layout.
func layoutMsg(addr, size uint64) []byte {
	le := binary.LittleEndian
	b := []byte{3, layoutContiguous}
	b = le.AppendUint64(b, addr)
	b = le.AppendUint64(b, size)
	return b
}

// attrMessage encodes a version 1 attribute message; refs locate its
// variable-length strings (nil while only measuring).
func attrMessage(a wattr, refs []vlenRef) []byte {
	le := binary.LittleEndian
	name := append([]byte(a.name), 0)
	dt := datatypeMsg(a.dtype)
	ds := dataspaceMsg(a.shape, true)
	if a.shape == nil {
		ds = dataspaceMsg(nil, false)
	}
	b := []byte{1, 0}
	b = le.AppendUint16(b, uint16(len(name)))
	b = le.AppendUint16(b, uint16(len(dt)))
	b = le.AppendUint16(b, uint16(len(ds)))
	for _, field := range [][]byte{name, dt, ds} {
		b = append(b, field...)
		b = append(b, make([]byte, pad8(len(field))-len(field))...)
	}
	if a.dtype.Class != ClassVarString {
		return append(b, a.raw...)
	}
	for i := range a.strs {
		var r vlenRef
		if i < len(refs) {
			r = refs[i]
		}
		b = le.AppendUint32(b, uint32(r.n))
		b = le.AppendUint64(b, r.coll)
		b = le.AppendUint32(b, r.idx)
	}
	return b
}
