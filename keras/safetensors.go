package keras

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/gokeras/keras/internal/hdf5"
	"gorgonia.org/tensor"
)

// ErrBadFile is wrapped by every error about a file that cannot be read
// as a model or weights file: truncated, corrupt, of another format or
// version, or holding weights that do not fit the model.
var ErrBadFile = errors.New("keras: bad model file")

// maxHeader bounds a safetensors header, as the reference implementation
// does (100 MB), so a corrupt length cannot make the reader allocate
// without limit.
const maxHeader = 100 << 20

// stTensor is one tensor of a safetensors file: dtype ("F32", "F64",
// "I64"), shape and raw little-endian bytes.
type stTensor struct {
	dtype string
	shape []int
	data  []byte
	begin uint64 // offset of data in the file's data section (decoded files)
}

// stSize is the byte size of each dtype this package reads and writes.
var stSize = map[string]int{"F32": 4, "F64": 8, "I64": 8}

// SaveWeights writes the model's weights to path, as Keras's
// model.save_weights. A path ending in ".h5" (Keras 3 requires
// ".weights.h5") gets Keras 3's layout, layers/<snake_class>[_n]/vars/<i>
// in HDF5, which Python's model.load_weights reads; any other path gets
// safetensors (https://github.com/huggingface/safetensors), each tensor
// named layer/variable ("dense_1/kernel") in the model's dtype (F32 or
// F64), which opens in Python with safetensors.numpy.load_file(path),
// with a SHA-256 checksum of the tensors in its __metadata__. The file
// is written to a temporary file and renamed into place.
func (m *Model) SaveWeights(path string) (err error) {
	defer recoverTo(&err, "SaveWeights")
	if err := m.ensureBuilt(); err != nil {
		return err
	}
	var data []byte
	if strings.HasSuffix(strings.ToLower(path), ".h5") {
		km, err := m.kerasConfig(false)
		if err != nil {
			return err
		}
		if data, err = m.weightsH5(km, false); err != nil {
			return err
		}
	} else {
		names, ts, err := m.weightTensors()
		if err != nil {
			return err
		}
		if data, err = encodeSafetensors(names, ts, map[string]string{
			"producer": "gokeras", "format_version": fmt.Sprint(formatVersion),
		}); err != nil {
			return err
		}
	}
	return writeFile(path, data)
}

// LoadWeights reads weights into the model, whose input shape must be
// known, as Keras's model.load_weights. The format is found from the
// file's bytes: Keras 3's .weights.h5 layout (as SaveWeights and Python's
// save_weights write it), a legacy Keras 2 / tf.keras weights file
// (layer_names and weight_names attributes, at the root or under
// model_weights of a full-model .h5), the weights of a .keras zip, or
// safetensors (SaveWeights's, or any file with the same tensor names and
// shapes in F32 or F64). Keras 3 files are matched by Keras's layout,
// legacy files by layer name, then by variable name or order.
//
// A missing, extra or misshapen weight, or a value that is NaN, ±Inf or
// (in a float32 model) beyond float32's range, is an error wrapping
// ErrBadFile that names it; on error the model's weights are unchanged.
// Safetensors files written by SaveWeights carry a SHA-256 checksum of
// their tensors (names, dtypes, shapes, offsets and bytes), verified
// here, so any changed byte is detected. A safetensors file without one
// (written elsewhere) is checked only for its structure: a header that
// parses, offsets that tile the data, shapes that fit, and finite values;
// a flipped bit inside a value is not detected. HDF5 files have no
// checksum of their data either; .keras zips have the zip's CRC-32.
func (m *Model) LoadWeights(path string) (err error) {
	defer recoverTo(&err, "LoadWeights")
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("keras: LoadWeights: %w", err)
	}
	if err := m.loadWeightsBytes(data); err != nil {
		return fmt.Errorf("keras: LoadWeights %s: %w", path, err)
	}
	return nil
}

func (m *Model) loadWeightsBytes(data []byte) (err error) {
	defer recoverTo(&err, "LoadWeights")
	if err := m.ensureBuilt(); err != nil {
		return err
	}
	switch sniff(data) {
	case kindHDF5:
		f, err := hdf5.Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return fileErr("HDF5", err)
		}
		return m.loadWeightsH5(f)
	case kindZip:
		return m.loadWeightsZip(data)
	}
	meta, ts, err := decodeSafetensors(data)
	if err != nil {
		return err
	}
	if err := verifyChecksum(meta, ts); err != nil {
		return err
	}
	return m.setWeightTensors(ts, false)
}

// weightTensors returns the model's weights as named tensors, in order.
func (m *Model) weightTensors() ([]string, map[string]stTensor, error) {
	names := make([]string, len(m.weights))
	ts := make(map[string]stTensor, len(m.weights))
	for i, w := range m.weights {
		name := m.owners[i] + "/" + w.Name
		if _, dup := ts[name]; dup {
			return nil, nil, fmt.Errorf("keras: two weights are named %s; give the layers distinct names", name)
		}
		t, err := toSTTensor(w.Value)
		if err != nil {
			return nil, nil, fmt.Errorf("keras: %s: %w", name, err)
		}
		names[i], ts[name] = name, t
	}
	return names, ts, nil
}

// setWeightTensors checks every model weight against ts, then copies them
// in. Tensors under "optimizer/" are left to the caller when withOptimizer
// is true; any other tensor the model lacks is an error.
func (m *Model) setWeightTensors(ts map[string]stTensor, withOptimizer bool) error {
	want := make(map[string]bool, len(m.weights))
	vals := make([][]float64, len(m.weights))
	for i, w := range m.weights {
		name := m.owners[i] + "/" + w.Name
		want[name] = true
		t, ok := ts[name]
		if !ok {
			return fmt.Errorf("%w: weight %s is missing (the file holds %s)", ErrBadFile, name, tensorNames(ts))
		}
		if !slices.Equal(t.shape, w.Shape) {
			return fmt.Errorf("%w: weight %s has shape %s in the file, the model expects %s", ErrBadFile, name, shapeString(t.shape), shapeString(w.Shape))
		}
		v, err := t.float64s()
		if err != nil {
			return fmt.Errorf("%w: weight %s: %v", ErrBadFile, name, err)
		}
		for j, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%w: weight %s: value %d is not finite (%v)", ErrBadFile, name, j, x)
			}
			if m.dtype == tensor.Float32 && math.Abs(x) > math.MaxFloat32 {
				return fmt.Errorf("%w: weight %s: value %d (%g) is beyond float32's range", ErrBadFile, name, j, x)
			}
		}
		vals[i] = v
	}
	var extra []string
	for name := range ts {
		if !want[name] && !(withOptimizer && strings.HasPrefix(name, optimizerPrefix)) {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		return fmt.Errorf("%w: the file holds weights the model does not have: %s", ErrBadFile, strings.Join(extra, ", "))
	}
	for i, w := range m.weights {
		switch d := w.Value.Data().(type) {
		case []float32:
			for j, x := range vals[i] {
				d[j] = float32(x)
			}
		case []float64:
			copy(d, vals[i])
		}
	}
	m.userSet = true
	return nil
}

func tensorNames(ts map[string]stTensor) string {
	if len(ts) == 0 {
		return "no tensors"
	}
	names := make([]string, 0, len(ts))
	for n := range ts {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// toSTTensor encodes a float32, float64 or int64 tensor.
func toSTTensor(t *tensor.Dense) (stTensor, error) {
	if t.RequiresIterator() {
		t = t.Materialize().(*tensor.Dense)
	}
	shape := []int(t.Shape().Clone())
	if t.IsScalar() {
		shape = []int{}
	}
	var buf []byte
	var dtype string
	switch v := t.Data().(type) {
	case []float32:
		dtype, buf = "F32", make([]byte, 4*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(x))
		}
	case []float64:
		dtype, buf = "F64", make([]byte, 8*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(x))
		}
	case []int64:
		dtype, buf = "I64", make([]byte, 8*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint64(buf[8*i:], uint64(x))
		}
	default:
		return stTensor{}, fmt.Errorf("cannot save a tensor of dtype %v", t.Dtype())
	}
	return stTensor{dtype: dtype, shape: shape, data: buf}, nil
}

// float64s decodes a float tensor's values.
func (t stTensor) float64s() ([]float64, error) {
	n := len(t.data) / stSize[t.dtype]
	out := make([]float64, n)
	switch t.dtype {
	case "F32":
		for i := range out {
			out[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(t.data[4*i:])))
		}
	case "F64":
		for i := range out {
			out[i] = math.Float64frombits(binary.LittleEndian.Uint64(t.data[8*i:]))
		}
	default:
		return nil, fmt.Errorf("dtype %s is not a float type (want F32 or F64)", t.dtype)
	}
	return out, nil
}

// dense decodes t as a tensor of its own dtype.
func (t stTensor) dense() *tensor.Dense {
	shape := t.shape
	n := len(t.data) / stSize[t.dtype]
	var backing any
	switch t.dtype {
	case "F32":
		v := make([]float32, n)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.data[4*i:]))
		}
		backing = v
	case "F64":
		v := make([]float64, n)
		for i := range v {
			v[i] = math.Float64frombits(binary.LittleEndian.Uint64(t.data[8*i:]))
		}
		backing = v
	default: // I64
		v := make([]int64, n)
		for i := range v {
			v[i] = int64(binary.LittleEndian.Uint64(t.data[8*i:]))
		}
		backing = v
	}
	if len(shape) == 0 {
		shape = []int{1}
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(backing))
}

// stEntry is one tensor's entry in a safetensors header.
type stEntry struct {
	Dtype       string   `json:"dtype"`
	Shape       []uint64 `json:"shape"`
	DataOffsets []uint64 `json:"data_offsets"`
}

// encodeSafetensors lays out the tensors in the given order: an 8-byte
// little-endian header length, the JSON header (padded with spaces to a
// multiple of 8, as the reference writer does), then the data.
func encodeSafetensors(order []string, ts map[string]stTensor, meta map[string]string) ([]byte, error) {
	header := map[string]any{}
	var off uint64
	for _, name := range order {
		t := ts[name]
		shape := make([]uint64, len(t.shape))
		for i, d := range t.shape {
			shape[i] = uint64(d)
		}
		end := off + uint64(len(t.data))
		header[name] = stEntry{Dtype: t.dtype, Shape: shape, DataOffsets: []uint64{off, end}}
		off = end
	}
	if meta != nil {
		meta = maps.Clone(meta)
		meta[checksumKey] = checksum(order, ts, header)
		header["__metadata__"] = meta
	}
	h, err := json.Marshal(header)
	if err != nil {
		return nil, fmt.Errorf("keras: encoding safetensors header: %w", err)
	}
	for len(h)%8 != 0 {
		h = append(h, ' ')
	}
	out := make([]byte, 8, 8+len(h)+int(off))
	binary.LittleEndian.PutUint64(out, uint64(len(h)))
	out = append(out, h...)
	for _, name := range order {
		out = append(out, ts[name].data...)
	}
	return out, nil
}

// decodeSafetensors parses and checks a safetensors file: the header
// length fits the file, every dtype is F32, F64 or I64, every tensor's
// byte range matches its shape, and the ranges tile the data exactly, as
// the reference reader demands.
func decodeSafetensors(b []byte) (map[string]string, map[string]stTensor, error) {
	if len(b) < 8 {
		return nil, nil, fmt.Errorf("%w: %d bytes is too short for a safetensors file", ErrBadFile, len(b))
	}
	n := binary.LittleEndian.Uint64(b)
	if n > maxHeader {
		return nil, nil, fmt.Errorf("%w: safetensors header length %d is over the %d limit (corrupt file?)", ErrBadFile, n, maxHeader)
	}
	if n > uint64(len(b)-8) {
		return nil, nil, fmt.Errorf("%w: safetensors header length %d runs past the end of the %d-byte file (truncated?)", ErrBadFile, n, len(b))
	}
	head, data := b[8:8+n], b[8+n:]
	if !bytes.HasPrefix(head, []byte("{")) {
		return nil, nil, fmt.Errorf("%w: safetensors header does not start with '{'", ErrBadFile)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(head, &raw); err != nil {
		return nil, nil, fmt.Errorf("%w: safetensors header: %v", ErrBadFile, err)
	}
	var meta map[string]string
	type span struct {
		name       string
		begin, end uint64
	}
	spans := make([]span, 0, len(raw))
	ts := make(map[string]stTensor, len(raw))
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &meta); err != nil {
				return nil, nil, fmt.Errorf("%w: safetensors __metadata__ must map strings to strings: %v", ErrBadFile, err)
			}
			continue
		}
		var e stEntry
		if err := json.Unmarshal(msg, &e); err != nil {
			return nil, nil, fmt.Errorf("%w: safetensors entry %q: %v", ErrBadFile, name, err)
		}
		size, ok := stSize[e.Dtype]
		if !ok {
			return nil, nil, fmt.Errorf("%w: tensor %q has dtype %q (this library reads F32, F64 and I64)", ErrBadFile, name, e.Dtype)
		}
		if len(e.DataOffsets) != 2 || e.DataOffsets[0] > e.DataOffsets[1] || e.DataOffsets[1] > uint64(len(data)) {
			return nil, nil, fmt.Errorf("%w: tensor %q has data_offsets %v outside the %d data bytes (truncated?)", ErrBadFile, name, e.DataOffsets, len(data))
		}
		count := uint64(1)
		shape := make([]int, len(e.Shape))
		for i, d := range e.Shape {
			if d > uint64(len(data)) || (d != 0 && count > uint64(len(data))/d) {
				return nil, nil, fmt.Errorf("%w: tensor %q has shape %v, larger than the file", ErrBadFile, name, e.Shape)
			}
			count *= d
			shape[i] = int(d)
		}
		begin, end := e.DataOffsets[0], e.DataOffsets[1]
		if count*uint64(size) != end-begin {
			return nil, nil, fmt.Errorf("%w: tensor %q of dtype %s and shape %v needs %d bytes, its data_offsets give %d", ErrBadFile, name, e.Dtype, e.Shape, count*uint64(size), end-begin)
		}
		spans = append(spans, span{name, begin, end})
		ts[name] = stTensor{dtype: e.Dtype, shape: shape, data: data[begin:end], begin: begin}
	}
	slices.SortFunc(spans, func(a, b span) int {
		if a.begin != b.begin {
			if a.begin < b.begin {
				return -1
			}
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	var at uint64
	for _, s := range spans {
		if s.begin != at {
			return nil, nil, fmt.Errorf("%w: tensor %q starts at byte %d, want %d (overlapping or gapped data)", ErrBadFile, s.name, s.begin, at)
		}
		at = s.end
	}
	if at != uint64(len(data)) {
		return nil, nil, fmt.Errorf("%w: tensors cover %d of the %d data bytes", ErrBadFile, at, len(data))
	}
	return meta, ts, nil
}

// checksumKey is the __metadata__ entry holding the SHA-256 of a
// safetensors file's tensors.
const checksumKey = "gokeras_sha256"

// checksum hashes every tensor's name, dtype, shape, data offsets and
// bytes, in name order.
func checksum(order []string, ts map[string]stTensor, header map[string]any) string {
	names := slices.Clone(order)
	slices.Sort(names)
	h := sha256.New()
	for _, name := range names {
		t := ts[name]
		var off []uint64
		if e, ok := header[name].(stEntry); ok {
			off = e.DataOffsets
		}
		fmt.Fprintf(h, "%q %s %v %v %d\n", name, t.dtype, t.shape, off, len(t.data))
		h.Write(t.data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// verifyChecksum checks a file's checksum when it has one.
func verifyChecksum(meta map[string]string, ts map[string]stTensor) error {
	want, ok := meta[checksumKey]
	if !ok {
		return nil
	}
	names := make([]string, 0, len(ts))
	header := make(map[string]any, len(ts))
	for name, t := range ts {
		names = append(names, name)
		header[name] = stEntry{DataOffsets: []uint64{t.begin, t.begin + uint64(len(t.data))}}
	}
	if got := checksum(names, ts, header); got != want {
		return fmt.Errorf("%w: safetensors checksum mismatch: the tensors were changed after the file was written (corrupt file)", ErrBadFile)
	}
	return nil
}
