package datasets

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
)

// writeImage writes a w x h image of one colour c in the format named by
// path's extension.
func writeImage(t *testing.T, path string, w, h int, c color.NRGBA) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		err = png.Encode(f, img)
	case ".jpg", ".jpeg":
		err = jpeg.Encode(f, img, &jpeg.Options{Quality: 100})
	case ".gif":
		pal := color.Palette{color.NRGBA{0, 0, 0, 255}, c}
		p := image.NewPaletted(img.Bounds(), pal)
		for i := range p.Pix {
			p.Pix[i] = 1
		}
		err = gif.Encode(f, p, nil)
	case ".bmp":
		err = bmp.Encode(f, img)
	default:
		_, err = f.WriteString("not an image")
	}
	if err != nil {
		t.Fatal(err)
	}
}

// imageID is the colour that names image k of a test folder: its red and
// green channels hold k, so a batch row tells which file it came from.
func imageID(k int) color.NRGBA {
	return color.NRGBA{uint8(8 * (k % 32)), uint8(8 * (k / 32)), 100, 255}
}

// rowID reads the image number back from one image of a batch (the
// image's first pixel, rgb), allowing JPEG's small errors.
func rowID(t *testing.T, px []float32) int {
	t.Helper()
	r, g := int(math.Round(float64(px[0])/8)), int(math.Round(float64(px[1])/8))
	return r + 32*g
}

// makeFolder writes counts[i] PNG images in class folder names[i], each of
// 6x4 pixels, numbered in order across classes, and returns the folder.
func makeFolder(t *testing.T, names []string, counts []int) string {
	t.Helper()
	dir := t.TempDir()
	k := 0
	for i, name := range names {
		for j := range counts[i] {
			writeImage(t, filepath.Join(dir, name, fmt.Sprintf("img%03d.png", j)), 6, 4, imageID(k))
			k++
		}
	}
	return dir
}

// readAll runs one pass and returns the image numbers and labels (as
// float32 rows) in order, and the batch sizes.
func readAll(t *testing.T, p *Pipeline) (ids []int, labels [][]float32, sizes []int) {
	t.Helper()
	for _, b := range collect(t, p) {
		n := b.X.Shape()[0]
		sizes = append(sizes, n)
		xs, ys := f32(t, b.X), f32(t, b.Y)
		per, lper := len(xs)/n, len(ys)/n
		for i := range n {
			ids = append(ids, rowID(t, xs[i*per:]))
			labels = append(labels, ys[i*lper:(i+1)*lper])
		}
	}
	return ids, labels, sizes
}

func TestImagesFromDirectoryLabels(t *testing.T) {
	names := []string{"cats", "dogs", "birds"} // sorted: birds, cats, dogs
	dir := makeFolder(t, names, []int{3, 2, 4})
	// Files that are not images, hidden folders and nested folders.
	writeImage(t, filepath.Join(dir, "cats", "notes.txt"), 1, 1, color.NRGBA{})
	writeImage(t, filepath.Join(dir, ".hidden", "x.png"), 2, 2, color.NRGBA{})
	writeImage(t, filepath.Join(dir, "dogs", "deeper", "img.PNG"), 6, 4, imageID(9))
	// Image k's class, as makeFolder numbered them; image 9 is the nested dog.
	classOf := []int{1, 1, 1, 2, 2, 0, 0, 0, 0, 2}
	cases := []struct {
		mode  string
		width int
		label func(cls int) []float32
	}{
		{"int", 1, func(c int) []float32 { return []float32{float32(c)} }},
		{"categorical", 3, func(c int) []float32 { v := make([]float32, 3); v[c] = 1; return v }},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			p, classes, err := ImagesFromDirectory(dir, ImageSize(4, 6), BatchSize(4), Shuffle(false), LabelMode(tc.mode))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(classes, []string{"birds", "cats", "dogs"}) {
				t.Fatalf("classes %q", classes)
			}
			if p.Cardinality() != 3 {
				t.Errorf("Cardinality %d, want 3", p.Cardinality())
			}
			bs := collect(t, p)
			wantShape(t, "x", bs[0].X, 4, 4, 6, 3)
			if tc.mode == "int" {
				wantShape(t, "y", bs[0].Y, 4)
			} else {
				wantShape(t, "y", bs[0].Y, 4, 3)
			}
			ids, labels, sizes := readAll(t, p)
			if !slices.Equal(sizes, []int{4, 4, 2}) {
				t.Errorf("batch sizes %v", sizes)
			}
			// Shuffle(false): classes in order, then folder path, then name.
			if want := []int{5, 6, 7, 8, 0, 1, 2, 3, 4, 9}; !slices.Equal(ids, want) {
				t.Errorf("image order %v, want %v", ids, want)
			}
			for i, id := range ids {
				if !slices.Equal(labels[i], tc.label(classOf[id])) {
					t.Errorf("image %d: label %v, want %v", id, labels[i], tc.label(classOf[id]))
				}
			}
			// PNG is lossless and the size unchanged: the values are the colour.
			x := f32(t, bs[0].X)
			c := imageID(5)
			for i := 0; i < 4*6*3; i += 3 {
				if x[i] != float32(c.R) || x[i+1] != float32(c.G) || x[i+2] != float32(c.B) {
					t.Fatalf("pixel %d = %v, want %v", i/3, x[i:i+3], c)
				}
			}
		})
	}
	// Binary mode: exactly two classes, labels (batch, 1).
	two := makeFolder(t, []string{"neg", "pos"}, []int{2, 3})
	p, _, err := ImagesFromDirectory(two, ImageSize(2, 2), LabelMode("binary"), Shuffle(false))
	if err != nil {
		t.Fatal(err)
	}
	b := collect(t, p)[0]
	wantShape(t, "y", b.Y, 5, 1)
	if got := f32(t, b.Y); !slices.Equal(got, []float32{0, 0, 1, 1, 1}) {
		t.Errorf("binary labels %v", got)
	}
}

// The split is Keras's: the file list (classes in order, then paths)
// shuffled by numpy's RandomState(seed), the last int(split*n) files for
// validation. Training and validation are disjoint, hold every file
// together, are the same on every call, and each pass reshuffles.
func TestImagesFromDirectorySplit(t *testing.T) {
	dir := makeFolder(t, []string{"a", "b", "c"}, []int{12, 10, 9})
	const n = 31
	opts := func(subset string, seed int64) []Option {
		return []Option{ImageSize(4, 6), BatchSize(5), ValidationSplit(0.2), Subset(subset), Seed(seed)}
	}
	train, _, err := ImagesFromDirectory(dir, opts("training", 123)...)
	if err != nil {
		t.Fatal(err)
	}
	val, _, err := ImagesFromDirectory(dir, opts("validation", 123)...)
	if err != nil {
		t.Fatal(err)
	}
	trIDs, trLabels, _ := readAll(t, train)
	vaIDs, _, _ := readAll(t, val)
	split := 0.2
	nVal := int(split * n) // Keras's num_val_samples
	if len(trIDs) != n-nVal || len(vaIDs) != nVal {
		t.Fatalf("%d training and %d validation images, want %d and %d", len(trIDs), len(vaIDs), n-nVal, nVal)
	}
	all := append(slices.Clone(trIDs), vaIDs...)
	if !slices.Equal(slices.Sorted(slices.Values(all)), iota(n)) {
		t.Fatalf("training and validation overlap or miss files: %v + %v", trIDs, vaIDs)
	}
	// The expected sets: Keras's order shuffled by numpy's RandomState(123).
	order := iota(n)
	numpyShuffle(123, n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	wantVal := slices.Sorted(slices.Values(order[n-nVal:]))
	if got := slices.Sorted(slices.Values(vaIDs)); !slices.Equal(got, wantVal) {
		t.Errorf("validation files %v, want %v", got, wantVal)
	}
	for i, id := range trIDs {
		cls := 0
		if id >= 12 {
			cls = 1
		}
		if id >= 22 {
			cls = 2
		}
		if trLabels[i][0] != float32(cls) {
			t.Errorf("image %d labelled %v, want %d", id, trLabels[i][0], cls)
		}
	}
	// Another pass: the same files, another order.
	tr2, _, _ := readAll(t, train)
	if slices.Equal(tr2, trIDs) {
		t.Error("the second pass has the same order as the first")
	}
	if !slices.Equal(slices.Sorted(slices.Values(tr2)), slices.Sorted(slices.Values(trIDs))) {
		t.Error("the second pass holds other files")
	}
	// Another call with the same seed: the same sequence of passes.
	again, _, _ := ImagesFromDirectory(dir, opts("training", 123)...)
	if ids, _, _ := readAll(t, again); !slices.Equal(ids, trIDs) {
		t.Error("the same seed gave another first pass")
	}
	// Another seed: another split.
	val7, _, _ := ImagesFromDirectory(dir, opts("validation", 7)...)
	if ids, _, _ := readAll(t, val7); slices.Equal(slices.Sorted(slices.Values(ids)), wantVal) {
		t.Error("seeds 123 and 7 gave the same validation set")
	}
	// Shuffle(false): the last files in listed order are validation.
	vs, _, err := ImagesFromDirectory(dir, ImageSize(4, 6), ValidationSplit(0.2), Subset("validation"), Shuffle(false))
	if err != nil {
		t.Fatal(err)
	}
	if ids, _, _ := readAll(t, vs); !slices.Equal(ids, iota(n)[n-nVal:]) {
		t.Errorf("unshuffled validation %v, want the last %d", ids, nVal)
	}
}

// Formats, mixed sizes (all resized) and colour modes.
func TestImagesFromDirectoryFormatsAndColor(t *testing.T) {
	dir := t.TempDir()
	c := color.NRGBA{200, 100, 50, 255}
	writeImage(t, filepath.Join(dir, "a", "1.png"), 10, 7, c)
	writeImage(t, filepath.Join(dir, "a", "2.jpg"), 3, 5, c)
	writeImage(t, filepath.Join(dir, "a", "3.jpeg"), 16, 16, c)
	writeImage(t, filepath.Join(dir, "b", "4.gif"), 5, 5, c)
	writeImage(t, filepath.Join(dir, "b", "5.bmp"), 4, 9, c)
	writeImage(t, filepath.Join(dir, "b", "6.png"), 8, 8, color.NRGBA{10, 20, 30, 128})
	// 0.299 R + 0.587 G + 0.114 B, as TensorFlow's PNG decoder greys.
	gray := func(c color.NRGBA) float64 { return 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B) }
	cases := []struct {
		mode string
		ch   int
		want [][]float64 // per image: the expected channel values
	}{
		{"rgb", 3, [][]float64{{200, 100, 50}, {200, 100, 50}, {200, 100, 50}, {200, 100, 50}, {200, 100, 50}, {10, 20, 30}}},
		{"rgba", 4, [][]float64{{200, 100, 50, 255}, {200, 100, 50, 255}, {200, 100, 50, 255}, {200, 100, 50, 255}, {200, 100, 50, 255}, {10, 20, 30, 128}}},
		{"grayscale", 1, [][]float64{{gray(c)}, {gray(c)}, {gray(c)}, {gray(c)}, {gray(c)}, {gray(color.NRGBA{10, 20, 30, 0})}}},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			p, _, err := ImagesFromDirectory(dir, ImageSize(6, 6), ColorMode(tc.mode), Shuffle(false), BatchSize(6))
			if err != nil {
				t.Fatal(err)
			}
			bs := collect(t, p)
			if len(bs) != 1 {
				t.Fatalf("%d batches", len(bs))
			}
			wantShape(t, "x", bs[0].X, 6, 6, 6, tc.ch)
			x := f32(t, bs[0].X)
			per := 6 * 6 * tc.ch
			for img, want := range tc.want {
				// JPEG (images 1, 2) is lossy: allow a few levels.
				tol := 1.0
				if img == 1 || img == 2 {
					tol = 4
				}
				for px := range 36 {
					for k, w := range want {
						got := float64(x[img*per+px*tc.ch+k])
						if math.Abs(got-w) > tol {
							t.Fatalf("image %d pixel %d channel %d = %v, want %v", img, px, k, got, w)
						}
					}
				}
			}
		})
	}
}

// The resize reference of TensorFlow: tf.image.resize of [[0, 1], [2, 3]]
// to 4x4 (bilinear, half-pixel centers) samples rows and columns at
// -0.25, 0.25, 0.75, 1.25, clamped to the edge pixels, giving the values
// below (worked by hand from the formula in TensorFlow's
// resize_bilinear_op.cc).
func TestResizeBilinearTensorFlow(t *testing.T) {
	got := resizeBilinear([]uint8{0, 1, 2, 3}, 2, 2, 1, 4, 4)
	want := []float32{
		0, 0.25, 0.75, 1,
		0.5, 0.75, 1.25, 1.5,
		1.5, 1.75, 2.25, 2.5,
		2, 2.25, 2.75, 3,
	}
	if !slices.Equal(got, want) {
		t.Errorf("2x2 -> 4x4 = %v, want %v", got, want)
	}
	// Same size: the identity. Down to 1x1: the centre sample, the mean
	// of the four pixels.
	if got := resizeBilinear([]uint8{0, 1, 2, 3}, 2, 2, 1, 2, 2); !slices.Equal(got, []float32{0, 1, 2, 3}) {
		t.Errorf("identity resize %v", got)
	}
	if got := resizeBilinear([]uint8{0, 1, 2, 3}, 2, 2, 1, 1, 1); !slices.Equal(got, []float32{1.5}) {
		t.Errorf("2x2 -> 1x1 = %v, want 1.5", got)
	}
}

// resizeRef is an independent float64 bilinear resize with half-pixel
// centers: each output pixel samples the input at the clamped coordinate
// ((i + 0.5) * in/out - 0.5) and mixes its four neighbours.
func resizeRef(src []uint8, h, w, c, oh, ow int) []float64 {
	coord := func(i, in, out int) (int, int, float64) {
		v := (float64(i)+0.5)*float64(in)/float64(out) - 0.5
		v = math.Max(0, math.Min(v, float64(in-1)))
		lo := int(math.Floor(v))
		return lo, min(lo+1, in-1), v - float64(lo)
	}
	out := make([]float64, oh*ow*c)
	for i := range oh {
		y0, y1, fy := coord(i, h, oh)
		for j := range ow {
			x0, x1, fx := coord(j, w, ow)
			for k := range c {
				at := func(y, x int) float64 { return float64(src[(y*w+x)*c+k]) }
				out[(i*ow+j)*c+k] = (1-fy)*((1-fx)*at(y0, x0)+fx*at(y0, x1)) + fy*((1-fx)*at(y1, x0)+fx*at(y1, x1))
			}
		}
	}
	return out
}

func TestResizeBilinearReference(t *testing.T) {
	r := newRand(3)
	for _, s := range [][4]int{{5, 7, 3, 4}, {3, 4, 8, 9}, {1, 1, 3, 2}, {9, 2, 2, 9}, {16, 16, 5, 5}} {
		h, w, oh, ow := s[0], s[1], s[2], s[3]
		src := make([]uint8, h*w*3)
		for i := range src {
			src[i] = uint8(r.IntN(256))
		}
		got := resizeBilinear(src, h, w, 3, oh, ow)
		want := resizeRef(src, h, w, 3, oh, ow)
		for i := range want {
			if math.Abs(float64(got[i])-want[i]) > 1e-3 {
				t.Fatalf("%dx%d -> %dx%d: value %d = %v, want %v", h, w, oh, ow, i, got[i], want[i])
			}
		}
	}
}

func TestImagesFromDirectoryErrors(t *testing.T) {
	good := makeFolder(t, []string{"a", "b", "c"}, []int{2, 2, 2})
	one := makeFolder(t, []string{"only"}, []int{3})
	empty := t.TempDir()
	noImages := t.TempDir()
	writeImage(t, filepath.Join(noImages, "a", "readme.txt"), 1, 1, color.NRGBA{})
	writeImage(t, filepath.Join(noImages, "b", "x.doc"), 1, 1, color.NRGBA{})
	cases := []struct {
		name     string
		dir      string
		opts     []Option
		is       error
		contains string
	}{
		{"missing folder", filepath.Join(empty, "nope"), nil, fs.ErrNotExist, "nope"},
		{"empty folder", empty, nil, ErrInvalidArgument, "no class subfolders"},
		{"no images", noImages, nil, ErrNoImages, "allowed formats"},
		{"one class", one, nil, ErrInvalidArgument, "single class"},
		{"binary with 3 classes", good, []Option{LabelMode("binary")}, ErrInvalidArgument, "exactly 2 classes"},
		{"subset without split", good, []Option{Subset("training")}, ErrInvalidArgument, "ValidationSplit"},
		{"split without subset", good, []Option{ValidationSplit(0.2)}, ErrInvalidArgument, "Subset"},
		{"split 1.5", good, []Option{ValidationSplit(1.5), Subset("training")}, ErrInvalidArgument, "between 0 and 1"},
		{"split NaN", good, []Option{ValidationSplit(math.NaN()), Subset("training")}, ErrInvalidArgument, "between 0 and 1"},
		{"subset both", good, []Option{ValidationSplit(0.2), Subset("both")}, ErrInvalidArgument, "once with"},
		{"unknown subset", good, []Option{ValidationSplit(0.2), Subset("test")}, ErrInvalidArgument, "test"},
		{"unknown label mode", good, []Option{LabelMode("sparse")}, ErrInvalidArgument, "sparse"},
		{"unknown color mode", good, []Option{ColorMode("cmyk")}, ErrInvalidArgument, "cmyk"},
		{"zero size", good, []Option{ImageSize(0, 10)}, ErrInvalidArgument, "image size"},
		{"zero batch", good, []Option{BatchSize(0)}, ErrInvalidArgument, "batch size"},
		{"huge batch", good, []Option{BatchSize(1 << 40)}, ErrInvalidArgument, "MaxValues"},
		{"huge image", good, []Option{ImageSize(1<<20, 1<<20)}, ErrInvalidArgument, "MaxValues"},
		{"negative seed", good, []Option{Seed(-1)}, ErrInvalidArgument, "seed"},
		{"empty subset", good, []Option{ValidationSplit(0.1), Subset("validation")}, ErrNoImages, "validation"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, classes, err := ImagesFromDirectory(tc.dir, tc.opts...)
			if err == nil {
				t.Fatal("no error")
			}
			if p != nil || classes != nil {
				t.Error("a pipeline or classes came back with the error")
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("error %q does not say %q", err, tc.contains)
			}
		})
	}
}

// A file that cannot be decoded is found when the pass reaches it, and
// the error names its path; the batches before it come through.
func TestImagesFromDirectoryBadFile(t *testing.T) {
	dir := makeFolder(t, []string{"a", "b"}, []int{4, 4})
	bad := filepath.Join(dir, "b", "broken.jpg")
	if err := os.WriteFile(bad, []byte("\xff\xd8\xff not really a jpeg"), 0o644); err != nil {
		t.Fatal(err)
	}
	trunc := filepath.Join(dir, "a", "img000.png")
	data, err := os.ReadFile(trunc)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		write      func() error
	}{
		{"garbage", bad, func() error { return nil }},
		{"truncated", trunc, func() error { os.Remove(bad); return os.WriteFile(trunc, data[:len(data)/2], 0o644) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.write(); err != nil {
				t.Fatal(err)
			}
			p, _, err := ImagesFromDirectory(dir, ImageSize(4, 6), BatchSize(2), Shuffle(false))
			if err != nil {
				t.Fatalf("listing failed: %v (decoding errors come at iteration)", err)
			}
			good, err := passErr(p.Prefetch(2))
			if err == nil || !strings.Contains(err.Error(), tc.path) {
				t.Fatalf("err = %v, want one naming %s", err, tc.path)
			}
			t.Logf("%d batches before: %v", good, err)
		})
	}
}

// ExampleImagesFromDirectory lists a folder of two classes and reads one
// batch, as Keras's image_dataset_from_directory.
func ExampleImagesFromDirectory() {
	dir, _ := os.MkdirTemp("", "images")
	defer os.RemoveAll(dir)
	for i, cls := range []string{"circles", "squares"} {
		os.MkdirAll(filepath.Join(dir, cls), 0o755)
		for j := range 3 {
			img := image.NewGray(image.Rect(0, 0, 20, 10))
			for k := range img.Pix {
				img.Pix[k] = uint8(100 * i)
			}
			f, _ := os.Create(filepath.Join(dir, cls, fmt.Sprintf("%d.png", j)))
			png.Encode(f, img)
			f.Close()
		}
	}
	train, classes, err := ImagesFromDirectory(dir, ImageSize(8, 8), BatchSize(4),
		ValidationSplit(0.5), Subset("training"), Seed(123))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(classes)
	for b, err := range train.Prefetch(2).Batches(context.Background()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(b.X.Shape(), b.Y.Shape())
	}
	// Output:
	// [circles squares]
	// (3, 8, 8, 3) (3)
}
