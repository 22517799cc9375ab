package hdf5

import (
	"errors"
	"io"
	"sync"
)

// File is an HDF5 file opened for reading. Its methods read from the
// io.ReaderAt given to Open on demand, so that reader must stay open (and
// unchanged) while the File is used. A File is safe for concurrent use if
// its io.ReaderAt is.
type File struct {
	r    io.ReaderAt
	size int64

	superVersion int
	offSize      int
	lenSize      int
	base         uint64 // absolute position of address 0
	rootAddr     uint64

	mu       sync.Mutex
	headers  map[uint64]*objectHeader
	gheaps   map[uint64]*globalHeap
	links    map[uint64][]link
	cached   int64 // bytes held by the caches, bounded by cacheLimit
	metaRead int64 // bytes of structures read so far, bounded by metaBudget
}

// Open reads the superblock of the HDF5 file of size bytes in r. Nothing
// else is read until groups, attributes or datasets are asked for.
func Open(r io.ReaderAt, size int64) (*File, error) {
	if r == nil {
		return nil, errors.New("hdf5: Open of a nil io.ReaderAt")
	}
	if size < 0 {
		return nil, errBad("negative file size %d", size)
	}
	f := &File{r: r, size: size}
	f.resetCache()
	if err := f.readSuperblock(); err != nil {
		return nil, err
	}
	return f, nil
}

// Root returns the file's root group, "/".
func (f *File) Root() *Group {
	return &Group{object{f: f, name: "/", addr: f.rootAddr}}
}

// Lookup finds the group or dataset at path (relative to the root; a
// leading "/" is allowed).
func (f *File) Lookup(path string) (Object, error) { return f.Root().Lookup(path) }

// cacheLimit bounds the memory held by the caches of parsed structures: a
// hostile file can make many overlapping structures, each up to the file's
// size; past the limit the caches are emptied.
func (f *File) cacheLimit() int64 { return 2*f.size + 1<<20 }

func (f *File) resetCache() {
	f.headers = map[uint64]*objectHeader{}
	f.gheaps = map[uint64]*globalHeap{}
	f.links = map[uint64][]link{}
	f.cached = 0
}

// cache runs add (which stores a parsed structure of about size bytes in
// one of the caches) under the lock, first emptying the caches if they
// would exceed cacheLimit.
func (f *File) cache(add func(), size int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cached+size > f.cacheLimit() {
		f.resetCache()
	}
	add()
	f.cached += size
}

// metaBudget bounds the bytes of structures (not dataset values) read over
// a File's life: structures are cached, so a well-formed file reads each
// about once, while a hostile one could make structures overlap so that
// each lookup reads most of the file again.
func (f *File) metaBudget() int64 { return 32*f.size + 64<<20 }

// readAt reads n bytes of a structure at file address addr (relative to the
// base address) after checking that they lie inside the file, so no
// allocation is larger than the file. what names the structure for errors.
func (f *File) readAt(addr, n uint64, what string) ([]byte, error) {
	f.mu.Lock()
	f.metaRead += int64(min(n, uint64(f.size)))
	over := f.metaRead > f.metaBudget()
	f.mu.Unlock()
	if over {
		return nil, errBad("%s: more than %d bytes of structures read from a %d-byte file (overlapping structures?)", what, f.metaBudget(), f.size)
	}
	return f.readData(addr, n, what)
}

// readData is readAt for dataset values: the caller has bounded n.
func (f *File) readData(addr, n uint64, what string) ([]byte, error) {
	if !f.fits(addr, n) {
		if addr == undef {
			return nil, errBad("%s: undefined address", what)
		}
		return nil, errBad("%s: %d bytes at address %d lie past the end of the file (%d bytes)", what, n, addr, f.size)
	}
	b := make([]byte, n)
	return b, f.readInto(addr, b, what)
}

// readInto fills b from file address addr, which the caller has checked
// with fits.
func (f *File) readInto(addr uint64, b []byte, what string) error {
	if len(b) == 0 {
		return nil
	}
	if !f.fits(addr, uint64(len(b))) {
		return errBad("%s: %d bytes at address %d lie past the end of the file (%d bytes)", what, len(b), addr, f.size)
	}
	n, err := f.r.ReadAt(b, int64(addr+f.base))
	if err != nil && !(errors.Is(err, io.EOF) && n == len(b)) {
		return errBad("%s: reading %d bytes at address %d: %v", what, len(b), addr, err)
	}
	return nil
}

// fits reports whether n bytes at addr lie inside the file.
func (f *File) fits(addr, n uint64) bool {
	abs := addr + f.base
	return addr != undef && abs >= addr && abs <= uint64(f.size) && n <= uint64(f.size)-abs
}
