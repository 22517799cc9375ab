package datasets

import (
	"fmt"
	"reflect"
	"slices"

	"gorgonia.org/tensor"
)

// column is one field (x, y or sample weight) of the rows a pipeline
// element carries: rows samples of shape sample, packed in data, a typed
// slice ([]float32, []int, ...) of exactly rows*prod(sample) values. A nil
// data means the field is absent.
type column struct {
	data   any
	rows   int
	sample []int
}

func (c column) present() bool { return c.data != nil }

func (c column) rowLen() int {
	l := 1
	for _, d := range c.sample {
		l *= d
	}
	return l
}

// slice returns rows [i, j) of c, sharing c's memory.
func (c column) slice(i, j int) column {
	if c.data == nil {
		return c
	}
	rl := c.rowLen()
	v := reflect.ValueOf(c.data).Slice3(i*rl, j*rl, j*rl)
	return column{data: v.Interface(), rows: j - i, sample: c.sample}
}

// clone returns a copy of c that shares no memory with it.
func (c column) clone() column {
	if c.data == nil {
		return c
	}
	src := reflect.ValueOf(c.data)
	dst := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
	reflect.Copy(dst, src)
	return column{data: dst.Interface(), rows: c.rows, sample: c.sample}
}

// dense wraps c's data (not copied) in a tensor of shape (rows, sample...).
func (c column) dense() *tensor.Dense {
	if c.data == nil {
		return nil
	}
	shape := append([]int{c.rows}, c.sample...)
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(c.data))
}

// concatColumns packs the rows of parts, in order, into fresh memory. The
// parts must agree on dtype and sample shape (checked by the caller).
func concatColumns(parts []column) column {
	if len(parts) == 0 || parts[0].data == nil {
		return column{}
	}
	rows := 0
	for _, p := range parts {
		rows += p.rows
	}
	rl := parts[0].rowLen()
	t := reflect.TypeOf(parts[0].data)
	dst := reflect.MakeSlice(t, rows*rl, rows*rl)
	off := 0
	for _, p := range parts {
		n := reflect.Copy(dst.Slice(off, dst.Len()), reflect.ValueOf(p.data))
		off += n
	}
	return column{data: dst.Interface(), rows: rows, sample: parts[0].sample}
}

// sameKind says whether two columns can be packed into one batch: both
// absent, or both present with the same dtype and sample shape.
func sameKind(a, b column) bool {
	if (a.data == nil) != (b.data == nil) {
		return false
	}
	if a.data == nil {
		return true
	}
	return reflect.TypeOf(a.data) == reflect.TypeOf(b.data) && slices.Equal(a.sample, b.sample)
}

// describe names a column's kind for messages: "absent" or
// "float32 samples of shape [3]".
func (c column) describe() string {
	if c.data == nil {
		return "absent"
	}
	return fmt.Sprintf("%s samples of shape %v", reflect.TypeOf(c.data).Elem(), c.sample)
}

// chunk is one element of a pipeline: the x, y and sample-weight rows of
// one sample or of one batch. owned says that nothing else holds the
// memory of its columns, so it may be handed to a consumer as it is;
// otherwise (views into the source tensors, replays of a cache) it is
// copied first.
type chunk struct {
	x, y, w column
	owned   bool
}

func (c chunk) rows() int { return c.x.rows }

func (c chunk) slice(i, j int) chunk {
	return chunk{x: c.x.slice(i, j), y: c.y.slice(i, j), w: c.w.slice(i, j), owned: c.owned}
}

// toBatch turns c into a Batch of tensors, copying borrowed memory.
func (c chunk) toBatch() Batch {
	if !c.owned {
		c.x, c.y, c.w = c.x.clone(), c.y.clone(), c.w.clone()
	}
	return Batch{X: c.x.dense(), Y: c.y.dense(), SampleWeight: c.w.dense()}
}

// fromDense reads a tensor into a column; what names it in errors.
func fromDense(what string, t *tensor.Dense) (col column, err error) {
	if t == nil {
		return column{}, nil
	}
	defer func() {
		if p := recover(); p != nil {
			col, err = column{}, fmt.Errorf("%s: reading tensor: %v", what, p)
		}
	}()
	s := t.Shape()
	if s.IsScalar() {
		return column{}, fmt.Errorf("%s is a scalar; it needs a leading sample axis", what)
	}
	for _, d := range s {
		if d <= 0 {
			return column{}, fmt.Errorf("%s has shape %v; every dimension must be positive", what, s)
		}
	}
	if t.IsMaterializable() || t.RequiresIterator() {
		m, ok := t.Materialize().(*tensor.Dense)
		if !ok {
			return column{}, fmt.Errorf("%s: copying a strided view gave no *tensor.Dense", what)
		}
		t = m
	}
	data := t.Data()
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Slice {
		return column{}, fmt.Errorf("%s: unsupported dtype %v", what, t.Dtype())
	}
	n := s.TotalSize()
	if v.Len() < n {
		return column{}, fmt.Errorf("%s: backing holds %d values, shape %v needs %d", what, v.Len(), s, n)
	}
	return column{data: v.Slice3(0, n, n).Interface(), rows: s[0], sample: slices.Clone([]int(s[1:]))}, nil
}

// fromBatch reads a Batch into a chunk that borrows the batch's memory,
// checking that its fields agree on the number of samples.
func fromBatch(b Batch) (chunk, error) {
	if b.X == nil {
		return chunk{}, fmt.Errorf("batch has no X")
	}
	x, err := fromDense("X", b.X)
	if err != nil {
		return chunk{}, err
	}
	y, err := fromDense("Y", b.Y)
	if err != nil {
		return chunk{}, err
	}
	w, err := fromDense("SampleWeight", b.SampleWeight)
	if err != nil {
		return chunk{}, err
	}
	if y.present() && y.rows != x.rows {
		return chunk{}, fmt.Errorf("x holds %d samples but y holds %d (shapes %v and %v)", x.rows, y.rows, b.X.Shape(), b.Y.Shape())
	}
	if w.present() && w.rows != x.rows {
		return chunk{}, fmt.Errorf("x holds %d samples but the sample weights hold %d (shapes %v and %v)", x.rows, w.rows, b.X.Shape(), b.SampleWeight.Shape())
	}
	return chunk{x: x, y: y, w: w}, nil
}

// kindError says how chunk c differs from the reference ref, or returns
// nil when they can share a batch.
func kindError(ref, c chunk) error {
	for _, f := range []struct {
		name   string
		r, got column
	}{{"X", ref.x, c.x}, {"Y", ref.y, c.y}, {"SampleWeight", ref.w, c.w}} {
		if !sameKind(f.r, f.got) {
			return fmt.Errorf("%s has %s, earlier ones %s", f.name, f.got.describe(), f.r.describe())
		}
	}
	return nil
}
