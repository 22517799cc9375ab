package keras

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"strings"

	"github.com/gokeras/keras/internal/hdf5"
	"github.com/gokeras/keras/internal/kconfig"
	"github.com/gokeras/keras/layers"
)

// ErrUnsupported is wrapped by every error about a file that is well
// formed but uses something this library does not build: a layer class,
// an activation, a dtype, a subclassed model, an HDF5 feature. The
// message names it and where in the file it is.
var ErrUnsupported = errors.New("keras: unsupported in this library")

// Bounds on what a file may make LoadModel allocate. Sizes that the file
// justifies (weights it holds, checked against the architecture) are
// bounded by the file's own size; these ceilings cover the rest.
const (
	// MaxConfigBytes is the largest config.json, metadata.json or
	// training_state.json member of a .keras zip (and model_config
	// attribute of a legacy .h5 file) that LoadModel reads.
	MaxConfigBytes = 64 << 20
	// MaxUnheldValues is the most weight values a loaded model may
	// declare that the file does not hold (a config without weights, or
	// layers whose variables the file lacks): their initial values are
	// drawn on load, and a tiny hostile config must not ask for
	// gigabytes.
	MaxUnheldValues = 1 << 26
	// MaxConfigSize bounds every size a layer config gives (units,
	// filters, input_dim, output_dim) in a file whose input shape is not
	// known at load, where the weights they imply cannot be counted yet.
	MaxConfigSize = 1 << 20
)

// File magic numbers.
var (
	zipMagic      = []byte("PK\x03\x04")
	emptyZipMagic = []byte("PK\x05\x06")
	hdf5Magic     = []byte("\x89HDF\r\n\x1a\n")
)

// fileKind is a file's format, found from its first bytes.
type fileKind int

const (
	kindUnknown fileKind = iota
	kindZip
	kindHDF5
	kindSafetensors
)

// sniff tells the format of a file from its first bytes: a zip archive
// (.keras of Keras 3 or of this library's earlier format), HDF5 (Keras 2
// and tf.keras .h5 files, some of them named .keras, and Keras 3's
// .weights.h5), or safetensors (an 8-byte header length, then '{').
func sniff(head []byte) fileKind {
	switch {
	case bytes.HasPrefix(head, zipMagic), bytes.HasPrefix(head, emptyZipMagic):
		return kindZip
	case bytes.HasPrefix(head, hdf5Magic):
		return kindHDF5
	case len(head) >= 9 && head[8] == '{':
		return kindSafetensors
	}
	return kindUnknown
}

// badFile returns an error wrapping ErrBadFile.
func badFile(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadFile, fmt.Sprintf(format, args...))
}

// unsupported returns an error wrapping ErrUnsupported.
func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupported, fmt.Sprintf(format, args...))
}

// fileErr files an error of a reader package (hdf5, kconfig, layers)
// under this package's sentinels: malformed content wraps ErrBadFile,
// well-formed content using something not built here ErrUnsupported.
// The where prefix says what part of the file it is about.
func fileErr(where string, err error) error {
	if err == nil {
		return nil
	}
	if where != "" {
		where += ": "
	}
	switch {
	case errors.Is(err, ErrBadFile), errors.Is(err, ErrUnsupported):
		return fmt.Errorf("%s%w", where, err)
	case errors.Is(err, hdf5.ErrUnsupported), errors.Is(err, kconfig.ErrUnsupported),
		errors.Is(err, layers.ErrUnknownClass), errors.Is(err, layers.ErrUnsupportedConfig),
		strings.Contains(err.Error(), "unknown activation"), strings.Contains(err.Error(), "not supported"):
		return fmt.Errorf("%w: %s%w", ErrUnsupported, where, err)
	}
	return fmt.Errorf("%w: %s%w", ErrBadFile, where, err)
}

// LoadModel reads a model file, as Keras's keras.saving.load_model. The
// format is found from the file's bytes, not its name:
//
//   - a Keras 3 ".keras" zip (config.json, metadata.json,
//     model.weights.h5), as Python Keras 3 and Save write it; tf.keras
//     2.13's zips, whose weights sit under _layer_checkpoint_dependencies,
//     load too;
//   - a legacy Keras 2 / tf.keras HDF5 full-model file (".h5", and the
//     HDF5 files some tf.keras versions named ".keras"): the model_config
//     attribute and the weights under model_weights;
//   - a zip of this library's earlier format (config.json and
//     model.weights.safetensors), read-only.
//
// Sequential and Functional models load (nested models as layers); each
// layer is rebuilt from its Keras class name and config by
// layers.FromConfig, with Keras 2 names mapped to today's. A compiled
// model comes back compiled with its optimizer, loss and metrics, and the
// optimizer's state is restored when the optimizer is one of this
// library's, so that Fit resumes where Keras (or Save) stopped. A legacy
// file whose training_config names something not built here loads
// uncompiled, as Keras loads it with a warning.
//
// A truncated or corrupt file, or one whose weights do not fit its
// architecture, gives an error wrapping ErrBadFile that says what is
// wrong; a well-formed file that uses something not built here (a layer
// class, an activation, a dtype, a subclassed model) an error wrapping
// ErrUnsupported that names it and where it is. Nothing read from the
// file is allocated before its size is checked: weights against the
// bytes the file holds, anything else against MaxConfigBytes,
// MaxUnheldValues and MaxConfigSize.
func LoadModel(path string) (m *Model, err error) {
	defer recoverTo(&err, "LoadModel")
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("keras: LoadModel: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("keras: LoadModel: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("keras: LoadModel %s: the path is a directory (Keras 2's SavedModel directories are not read; save a .keras file)", path)
	}
	m, err = loadModelFrom(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("keras: LoadModel %s: %w", path, err)
	}
	return m, nil
}

// loadModel reads a model from the bytes of a model file.
func loadModel(data []byte) (m *Model, err error) {
	defer recoverTo(&err, "LoadModel")
	return loadModelFrom(bytes.NewReader(data), int64(len(data)))
}

// loadModelFrom reads a model file of size bytes from r.
func loadModelFrom(r io.ReaderAt, size int64) (*Model, error) {
	head := make([]byte, 16)
	n, _ := r.ReadAt(head, 0)
	switch sniff(head[:n]) {
	case kindZip:
		return loadZip(r, size)
	case kindHDF5:
		f, err := hdf5.Open(r, size)
		if err != nil {
			return nil, fileErr("HDF5", err)
		}
		return loadLegacyH5(f)
	case kindSafetensors:
		return nil, badFile("not a model file: this is a safetensors weights file (build the model and call LoadWeights)")
	}
	return nil, badFile("not a model file (a .keras zip or an HDF5 .h5 file); the file starts with %q", head[:n])
}

// loadZip reads a .keras zip: Keras 3's, or this library's earlier
// format.
func loadZip(r io.ReaderAt, size int64) (*Model, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, badFile("not a model file (a zip archive such as Keras's .keras): %v", err)
	}
	members := map[string]*zip.File{}
	for _, f := range zr.File {
		if _, dup := members[f.Name]; dup {
			return nil, badFile("%s appears twice in the zip", f.Name)
		}
		members[f.Name] = f
	}
	if members[weightsFile] != nil && members[kconfig.WeightsFile] == nil {
		files := map[string][]byte{}
		for name, f := range members {
			limit := int64(MaxConfigBytes)
			if name == weightsFile {
				limit = min(int64(maxWeightsEntry), size*maxInflation)
			}
			b, err := readMember(f, limit)
			if err != nil {
				return nil, err
			}
			files[name] = b
		}
		return loadGokerasV1(files)
	}
	return loadKeras3Zip(r, size, members)
}

// maxInflation bounds how much larger than the zip a deflated member may
// inflate (deflate's best ratio is about 1032:1).
const maxInflation = 1100

// readMember inflates a zip member, refusing one that holds more than
// limit bytes: it stops at the first byte past the limit, whatever the
// member's header claims. The zip reader checks the CRC at the end.
func readMember(f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, badFile("%s declares %d bytes, over the %d this file can justify", f.Name, f.UncompressedSize64, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, badFile("%s: %v", f.Name, err)
	}
	defer rc.Close()
	var buf bytes.Buffer
	buf.Grow(int(min(f.UncompressedSize64, 1<<20)))
	n, err := io.Copy(&buf, io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, badFile("%s: %v", f.Name, err)
	}
	if n > limit {
		return nil, badFile("%s inflates past %d bytes, more than this file can justify (a zip bomb?)", f.Name, limit)
	}
	if uint64(n) != f.UncompressedSize64 {
		return nil, badFile("%s holds %d bytes, its header says %d", f.Name, n, f.UncompressedSize64)
	}
	return buf.Bytes(), nil
}

// memberReaderAt gives random access to a zip member. A stored member
// (Keras stores all of them) is read in place from r after its CRC is
// checked in one streaming pass, so a large weights file is never held
// in memory; a deflated one is inflated up to limit bytes.
func memberReaderAt(r io.ReaderAt, size int64, f *zip.File, limit int64) (io.ReaderAt, int64, error) {
	if f.Method != zip.Store {
		b, err := readMember(f, limit)
		if err != nil {
			return nil, 0, err
		}
		return bytes.NewReader(b), int64(len(b)), nil
	}
	off, err := f.DataOffset()
	if err != nil {
		return nil, 0, badFile("%s: %v", f.Name, err)
	}
	n := f.CompressedSize64
	if n != f.UncompressedSize64 || off < 0 || n > uint64(size) || uint64(off) > uint64(size)-n {
		return nil, 0, badFile("%s: stored member of %d bytes at offset %d runs past the end of the %d-byte file (truncated?)", f.Name, n, off, size)
	}
	sec := io.NewSectionReader(r, off, int64(n))
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, io.NewSectionReader(r, off, int64(n))); err != nil {
		return nil, 0, badFile("%s: %v", f.Name, err)
	}
	if f.CRC32 != 0 && h.Sum32() != f.CRC32 {
		return nil, 0, badFile("%s: checksum mismatch (the file is corrupt)", f.Name)
	}
	return sec, int64(n), nil
}

// loadKeras3Zip reads a Keras 3 .keras zip.
func loadKeras3Zip(r io.ReaderAt, size int64, members map[string]*zip.File) (*Model, error) {
	cf := members[kconfig.ConfigFile]
	if cf == nil {
		return nil, badFile("%s is missing (not a .keras model file)", kconfig.ConfigFile)
	}
	era := 3
	if mf := members[kconfig.MetadataFile]; mf != nil {
		b, err := readMember(mf, MaxConfigBytes)
		if err != nil {
			return nil, err
		}
		md, err := kconfig.DecodeMetadata(b)
		if err != nil {
			return nil, fileErr(kconfig.MetadataFile, err)
		}
		if v := kconfig.Major(md.KerasVersion); v > 0 {
			era = v
		}
	}
	cb, err := readMember(cf, MaxConfigBytes)
	if err != nil {
		return nil, err
	}
	km, err := kconfig.Decode(cb)
	if err != nil {
		return nil, fileErr(kconfig.ConfigFile, err)
	}
	var st *trainingState
	if sf := members[stateFile]; sf != nil {
		b, err := readMember(sf, MaxConfigBytes)
		if err != nil {
			return nil, err
		}
		st = new(trainingState)
		if err := json.Unmarshal(b, st); err != nil {
			return nil, badFile("%s: %v", stateFile, err)
		}
	}
	var wf *hdf5.File
	var src weightSource
	if f := members[kconfig.WeightsFile]; f != nil {
		limit := int64(0)
		if f.Method != zip.Store {
			// Bound what is inflated by what the architecture needs: its
			// weights and up to four optimizer slots each, as float64,
			// plus the HDF5 structure.
			n, err := declaredValues(km, era)
			if err != nil {
				return nil, err
			}
			groups, _ := kconfig.WeightPaths(km)
			limit = min(int64(maxWeightsEntry), satAdd(satMul(n, 5*8), 1<<20+int64(len(groups))<<13))
		}
		wr, wsize, err := memberReaderAt(r, size, f, limit)
		if err != nil {
			return nil, err
		}
		if wf, err = hdf5.Open(wr, wsize); err != nil {
			return nil, fileErr(kconfig.WeightsFile, err)
		}
		if src, err = keras3Source(wf, km); err != nil {
			return nil, err
		}
	}
	if wf == nil && km.BuildInputShape != nil {
		return nil, badFile("%s is missing (the config records a built model, whose weights Keras always saves)", kconfig.WeightsFile)
	}
	m, err := loadFromConfig(km, era, src, st, false)
	if err != nil {
		return nil, err
	}
	if wf != nil && m.opt != nil && wf.Root().Has(kconfig.OptimizerPath) {
		if err := m.loadKeras3Optimizer(wf); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// loadLegacyH5 reads a Keras 2 / tf.keras HDF5 full-model file.
func loadLegacyH5(f *hdf5.File) (*Model, error) {
	root := f.Root()
	if !root.HasAttr("model_config") {
		if root.Has("layers") || root.HasAttr("layer_names") {
			return nil, badFile("this HDF5 file holds weights only (no model_config attribute): build the model and call LoadWeights")
		}
		return nil, badFile("HDF5 file without a model_config attribute: not a Keras model file")
	}
	cfgJSON, err := strAttr(root, "model_config")
	if err != nil {
		return nil, err
	}
	era := 2
	if root.HasAttr("keras_version") {
		if v, err := strAttr(root, "keras_version"); err == nil && kconfig.Major(v) > 0 {
			era = kconfig.Major(v)
		}
	}
	km, err := kconfig.Decode([]byte(cfgJSON))
	if err != nil {
		return nil, fileErr("model_config", err)
	}
	var src weightSource
	if root.Has(kconfig.LegacyModelWeights) {
		g, err := root.Group(kconfig.LegacyModelWeights)
		if err != nil {
			return nil, fileErr(kconfig.LegacyModelWeights, err)
		}
		if src, err = legacySource(g); err != nil {
			return nil, err
		}
	}
	if root.HasAttr("training_config") {
		tc, err := strAttr(root, "training_config")
		if err != nil {
			return nil, err
		}
		if cc, err := kconfig.DecodeTrainingConfig([]byte(tc)); err == nil {
			km.CompileConfig = cc
		}
	}
	return loadFromConfig(km, era, src, nil, true)
}

// strAttr reads a string attribute of an HDF5 object.
func strAttr(o hdf5.Object, name string) (string, error) {
	v, err := o.Attr(name)
	if err != nil {
		return "", fileErr(name, err)
	}
	s, err := v.Str()
	if err != nil {
		return "", fileErr("attribute "+name, err)
	}
	return s, nil
}

func satMul(a, b int64) int64 {
	if a != 0 && a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}
