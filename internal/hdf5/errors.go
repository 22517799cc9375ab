package hdf5

import (
	"errors"
	"fmt"
)

// ErrBadFile is wrapped by every error about a malformed file: the message
// says what is wrong and where.
var ErrBadFile = errors.New("hdf5: malformed file")

// ErrUnsupported is wrapped by every error about a well-formed file that
// uses an HDF5 feature this package does not implement; the message names
// the feature (for example "superblock version 4" or "filter 32001
// (blosc)").
var ErrUnsupported = errors.New("hdf5: unsupported feature")

// ErrNotFound is wrapped when a group member or attribute asked for by name
// does not exist.
var ErrNotFound = errors.New("hdf5: not found")

// ErrType is wrapped when a value is read as a Go type its HDF5 type does
// not convert to (strings as numbers, floats as integers, ...).
var ErrType = errors.New("hdf5: wrong type")

// MaxDataBytes is the largest size, in bytes as stored, of one dataset's
// values that the reader accepts when that size is not already bounded by
// bytes present in the file: values that a filter (deflate) expands, or
// unwritten ones that are the fill value. Such values must also be at most
// 1100 times the file's size (deflate's best ratio is about 1032:1). Values
// stored plainly are bounded by the file's size instead. Keras never
// compresses, so this only limits what a hostile file can make the reader
// allocate.
const MaxDataBytes = 1 << 30

// maxDepth bounds every recursion over file structures (B-tree levels,
// nested datatypes, path components).
const maxDepth = 64

// maxInflateRatio bounds how much larger than the file the decoded data of
// a filtered dataset may be: deflate's best ratio is about 1032:1.
const maxInflateRatio = 1100

type formatError struct {
	kind error
	msg  string
}

func (e *formatError) Error() string { return e.kind.Error() + ": " + e.msg }
func (e *formatError) Unwrap() error { return e.kind }

func errBad(format string, args ...any) error {
	return &formatError{ErrBadFile, fmt.Sprintf(format, args...)}
}

func errUnsupported(format string, args ...any) error {
	return &formatError{ErrUnsupported, fmt.Sprintf(format, args...)}
}
