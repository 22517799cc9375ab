// Package hdf5 reads and writes the subset of HDF5 that h5py writes for
// Keras files: Keras 3 ".weights.h5" files (and the model.weights.h5 inside
// a ".keras" zip) and the legacy Keras 2 / tf.keras ".h5" full-model files.
// It is pure Go (no cgo, no libhdf5).
//
// Reading:
//
//	f, err := hdf5.Open(r, size) // r is an io.ReaderAt, e.g. an *os.File
//	ds, err := f.Root().Dataset("layers/dense/vars/0")
//	kernel, err := ds.ReadFloat32()
//	v, err := f.Root().Attr("keras_version")
//	s, err := v.Str()
//
// The reader understands superblocks version 0 to 3, object headers version
// 1 and 2 (with continuation blocks), old-style groups (symbol table, v1
// B-tree, local heap) and compact new-style groups (link messages),
// contiguous, compact and chunked datasets (v1 B-tree index, deflate,
// shuffle and fletcher32 filters), fixed-point, IEEE floating-point (16, 32
// and 64 bits, either byte order), enum (read as its integer base type),
// fixed-length and variable-length strings (global heap), opaque data (how
// h5py stores Keras 3's bfloat16 variables; see Dataset.ReadRaw), user
// blocks, and attributes stored in object headers. Anything else is an error wrapping
// ErrUnsupported that names the feature; a malformed file gives an error
// wrapping ErrBadFile that says what is wrong. Checksums of version 2
// structures are not verified.
//
// Reading is lazy: Open reads the superblock only, groups and datasets are
// parsed when they are looked up, and a dataset's values are read from the
// io.ReaderAt when one of its Read methods is called. Every size and count
// read from the file is checked against the file's size (and, for data that
// a filter may expand, against MaxDataBytes) before anything is allocated,
// and every walk of a linked structure (B-trees, continuation blocks) keeps
// a set of visited addresses and a depth limit, so no byte string makes the
// reader panic, loop forever or allocate more than the file justifies.
//
// Writing:
//
//	w := hdf5.NewWriter()
//	vars, err := w.Root().CreateGroup("layers/dense/vars")
//	_, err = vars.CreateDataset("0", []int{4, 3}, kernel) // []float32
//	err = w.Root().SetAttr("keras_version", "3.5.0")
//	_, err = w.WriteTo(file)
//
// The writer produces what h5py writes by default: superblock version 0,
// version 1 object headers, old-style groups with members in name order,
// contiguous datasets, and attributes in the object headers. h5py and
// libhdf5 read (and can go on to modify) what it writes.
package hdf5
