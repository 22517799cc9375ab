package datasets

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// loadRealMNIST loads MNIST from wherever LoadMNIST finds it, skipping the
// test when it is not on this machine.
func loadRealMNIST(t testing.TB, opts ...Option) [4][]float32 {
	t.Helper()
	xTrain, yTrain, xTest, yTest, err := LoadMNIST(opts...)
	if errors.Is(err, ErrMNISTNotFound) {
		t.Skipf("MNIST not on this machine; run `go mod download %s` to test with it: %v", MNISTModule, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if tt, ok := t.(*testing.T); ok {
		wantShape(tt, "xTrain", xTrain, 60000, 28, 28)
		wantShape(tt, "yTrain", yTrain, 60000)
		wantShape(tt, "xTest", xTest, 10000, 28, 28)
		wantShape(tt, "yTest", yTest, 10000)
	}
	return [4][]float32{
		xTrain.Data().([]float32), yTrain.Data().([]float32),
		xTest.Data().([]float32), yTest.Data().([]float32),
	}
}

// Training-set label counts of digits 0-9 from /work/shared/REFERENCE.md
// ("Training-set label counts, digits 0-9: 5923, 6742, 5958, 6131, 5842,
// 5421, 5918, 6265, 5851, 5949"); the test set has 10000 images.
func TestLoadMNIST(t *testing.T) {
	t.Setenv(MNISTDirEnv, "")
	d := loadRealMNIST(t)
	count := func(labels []float32) []int {
		c := make([]int, 10)
		for _, v := range labels {
			c[int(v)]++
		}
		return c
	}
	want := []int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}
	if got := count(d[1]); !slices.Equal(got, want) {
		t.Errorf("training label counts %v, want %v", got, want)
	}
	if n := len(d[3]); n != 10000 {
		t.Errorf("test set holds %d labels, want 10000", n)
	}
	for _, px := range [][]float32{d[0], d[2]} {
		if lo, hi := slices.Min(px), slices.Max(px); lo != 0 || hi != 255 {
			t.Errorf("pixels in [%v, %v], want raw values [0, 255]", lo, hi)
		}
	}
	n := loadRealMNIST(t, Normalize(true))
	for i := 0; i < len(d[0]); i += 997 {
		if want := d[0][i] / 255; n[0][i] != want {
			t.Fatalf("normalized pixel %d = %v, want %v", i, n[0][i], want)
		}
	}
	if !slices.Equal(n[1], d[1]) {
		t.Error("Normalize changed the labels")
	}
}

// BenchmarkLoadMNIST measures a full load (decompress, parse, convert).
func BenchmarkLoadMNIST(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		loadRealMNIST(b)
	}
}

// idx builds the bytes of an IDX file of unsigned bytes.
func idx(magic uint32, dims []uint32, data []byte) []byte {
	var buf bytes.Buffer
	binary.Write(&buf, binary.BigEndian, magic)
	binary.Write(&buf, binary.BigEndian, dims)
	buf.Write(data)
	return buf.Bytes()
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// fakeMNIST writes a small valid MNIST (3 training and 2 test images of
// 2x2 pixels) into dir, with the files in over replacing the valid ones.
func fakeMNIST(t *testing.T, dir string, over map[string][]byte) {
	t.Helper()
	files := map[string][]byte{
		mnistTrainImages: gz(idx(0x803, []uint32{3, 2, 2}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255})),
		mnistTrainLabels: gz(idx(0x801, []uint32{3}, []byte{7, 0, 9})),
		mnistTestImages:  gz(idx(0x803, []uint32{2, 2, 2}, []byte{1, 1, 1, 1, 2, 2, 2, 2})),
		mnistTestLabels:  gz(idx(0x801, []uint32{2}, []byte{3, 4})),
	}
	for k, v := range over {
		files[k] = v
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		if b == nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadMNISTDir(t *testing.T) {
	dir := t.TempDir()
	fakeMNIST(t, dir, nil)
	xTrain, yTrain, xTest, yTest, err := LoadMNIST(Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	wantShape(t, "xTrain", xTrain, 3, 2, 2)
	wantShape(t, "xTest", xTest, 2, 2, 2)
	if got := f32(t, xTrain); got[11] != 255 || got[5] != 5 {
		t.Errorf("xTrain = %v", got)
	}
	if got := f32(t, yTrain); !slices.Equal(got, []float32{7, 0, 9}) {
		t.Errorf("yTrain = %v", got)
	}
	if got := f32(t, yTest); !slices.Equal(got, []float32{3, 4}) {
		t.Errorf("yTest = %v", got)
	}
}

// Where LoadMNIST looks: $KERAS_MNIST_DIR when set, else the module's
// data/ directory under $GOMODCACHE (and the other module caches).
func TestLoadMNISTSearch(t *testing.T) {
	t.Run("env", func(t *testing.T) {
		dir := t.TempDir()
		fakeMNIST(t, dir, nil)
		t.Setenv(MNISTDirEnv, dir)
		_, y, _, _, err := LoadMNIST()
		if err != nil {
			t.Fatal(err)
		}
		wantShape(t, "yTrain", y, 3)
	})
	t.Run("GOMODCACHE", func(t *testing.T) {
		cache := t.TempDir()
		fakeMNIST(t, filepath.Join(cache, filepath.FromSlash(mnistModuleDir)), nil)
		t.Setenv(MNISTDirEnv, "")
		t.Setenv("GOMODCACHE", cache)
		_, y, _, _, err := LoadMNIST()
		if err != nil {
			t.Fatal(err)
		}
		wantShape(t, "yTrain", y, 3)
	})
	t.Run("nowhere", func(t *testing.T) {
		// The go command that LoadMNIST asks last writes its telemetry
		// under the user's config directory, in a child process that may
		// outlive it: keep that out of the temporary HOME, whose removal
		// it would race.
		if cfg, err := os.UserConfigDir(); err == nil {
			t.Setenv("XDG_CONFIG_HOME", cfg)
		}
		cache, gopath, home := t.TempDir(), t.TempDir(), t.TempDir()
		t.Setenv(MNISTDirEnv, "")
		t.Setenv("GOMODCACHE", cache)
		t.Setenv("GOPATH", gopath)
		t.Setenv("HOME", home)
		_, _, _, _, err := LoadMNIST()
		if !errors.Is(err, ErrMNISTNotFound) {
			t.Fatalf("error %v, want ErrMNISTNotFound", err)
		}
		for _, want := range []string{
			filepath.Join(cache, filepath.FromSlash(mnistModuleDir)),
			filepath.Join(gopath, "pkg", "mod", filepath.FromSlash(mnistModuleDir)),
			filepath.Join(home, "go", "pkg", "mod", filepath.FromSlash(mnistModuleDir)),
			"go mod download " + MNISTModule,
		} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error does not mention %q:\n%v", want, err)
			}
		}
	})
	t.Run("env wins", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nothing")
		t.Setenv(MNISTDirEnv, missing)
		_, _, _, _, err := LoadMNIST()
		if !errors.Is(err, ErrMNISTNotFound) || !strings.Contains(err.Error(), missing) {
			t.Errorf("error %v, want ErrMNISTNotFound naming %s", err, missing)
		}
	})
}

func TestLoadMNISTCorrupt(t *testing.T) {
	valid := gz(idx(0x803, []uint32{3, 2, 2}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}))
	for _, tc := range []struct {
		name  string
		over  map[string][]byte
		inErr string
		is    error
	}{
		{"missing file", map[string][]byte{mnistTestLabels: nil}, "missing " + mnistTestLabels, ErrMNISTNotFound},
		{"bad magic", map[string][]byte{mnistTrainImages: gz(idx(0x1234, []uint32{3, 2, 2}, make([]byte, 12)))}, "bad magic number 0x00001234, want 0x00000803", ErrBadIDX},
		{"labels magic for images", map[string][]byte{mnistTestImages: gz(idx(0x801, []uint32{2}, []byte{1, 2}))}, "want 0x00000803", ErrBadIDX},
		{"truncated body", map[string][]byte{mnistTrainImages: gz(idx(0x803, []uint32{3, 2, 2}, make([]byte, 11)))}, "truncated: header announces 12 values", ErrBadIDX},
		{"truncated header", map[string][]byte{mnistTrainLabels: gz([]byte{0, 0, 8})}, "reading the magic number", ErrBadIDX},
		{"truncated gzip", map[string][]byte{mnistTrainImages: valid[:len(valid)-6]}, "train-images-idx3-ubyte.gz", ErrBadIDX},
		{"not gzip", map[string][]byte{mnistTrainImages: idx(0x803, []uint32{3, 2, 2}, make([]byte, 12))}, "not a gzip file", ErrBadIDX},
		{"trailing data", map[string][]byte{mnistTrainLabels: gz(idx(0x801, []uint32{3}, []byte{1, 2, 3, 4}))}, "longer than its header", ErrBadIDX},
		{"count mismatch", map[string][]byte{mnistTrainLabels: gz(idx(0x801, []uint32{2}, []byte{1, 2}))}, "holds 3 images but", ErrBadIDX},
		{"label not a digit", map[string][]byte{mnistTestLabels: gz(idx(0x801, []uint32{2}, []byte{1, 10}))}, "label 10 of sample 1", ErrBadIDX},
		{"huge header", map[string][]byte{mnistTrainImages: gz(idx(0x803, []uint32{1 << 20, 1 << 10, 1 << 10}, nil))}, "more than", ErrBadIDX},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			fakeMNIST(t, dir, tc.over)
			x, _, _, _, err := LoadMNIST(Dir(dir))
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.inErr)
			}
			if x != nil {
				t.Error("tensor returned with an error")
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("error %q does not wrap %v", err, tc.is)
			}
			for _, want := range []string{tc.inErr, dir, "go mod download " + MNISTModule} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not contain %q:\n%v", want, err)
				}
			}
		})
	}
}
