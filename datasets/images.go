package datasets

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif"  // registers GIF for image.Decode
	_ "image/jpeg" // registers JPEG for image.Decode
	_ "image/png"  // registers PNG for image.Decode
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	_ "golang.org/x/image/bmp" // registers BMP for image.Decode
)

// ErrNoImages is wrapped by ImagesFromDirectory's error when the folder
// (or the asked subset of it) holds no image files.
var ErrNoImages = errors.New("no images found")

// imageFormats are the file extensions ImagesFromDirectory reads, matched
// without regard to case, as Keras's ALLOWLIST_FORMATS.
var imageFormats = []string{".bmp", ".gif", ".jpeg", ".jpg", ".png"}

// ImagesFromDirectory makes a pipeline of labelled images from a folder
// with one subfolder per class, as Keras's
// keras.utils.image_dataset_from_directory(dir), and returns it with the
// class names.
//
// The classes are the subfolders of dir (those whose names do not start
// with a dot), in sorted order; class i is the i-th name. Each class's
// images are the files under its subfolder, at any depth (subfolders that
// are symbolic links are not followed, as Keras's follow_links=False),
// whose names end in .bmp, .gif, .jpeg, .jpg or .png in any case, listed
// as Keras lists them: by folder path, then file name. Files are decoded
// by their content with Go's image/jpeg, image/png, image/gif (the first
// frame) and golang.org/x/image/bmp.
//
// Options (Keras's defaults):
//   - ImageSize(h, w), default 256x256: every image is resized to h x w
//     with bilinear interpolation as tf.image.resize's default
//     (half-pixel centers, no antialiasing, float32 arithmetic, as
//     TensorFlow's ResizeBilinear), ignoring its aspect ratio.
//   - ColorMode: "rgb" (default), "grayscale" or "rgba". Grayscale is
//     the luma of the JPEG itself, or 0.299 R + 0.587 G + 0.114 B in
//     libpng's fixed point for other files, as TensorFlow's decoders; an
//     image without alpha gets alpha 255; transparent pixels keep their
//     colour (no compositing), as TensorFlow.
//   - LabelMode: "int" (default; float32 class indices of shape (batch,),
//     where Keras gives int32), "categorical" (one-hot, (batch, classes))
//     or "binary" (0 or 1, (batch, 1); exactly 2 classes).
//   - BatchSize, default 32; the last batch may be smaller.
//   - Shuffle, default true, with Seed (default DefaultSeed): the file list
//     is shuffled once with numpy.random.RandomState(seed).shuffle, as
//     Keras does, and each pass is reshuffled by a Pipeline.Shuffle with a
//     buffer of 8 batches and the same seed, where Keras uses tf.data's
//     shuffle (whose random stream this package does not reproduce).
//     With Shuffle(false) the images come in the listed order.
//   - ValidationSplit(f) with Subset("training" | "validation"): the last
//     int(f*n) files of the (shuffled) list are the validation set, the
//     others the training set, so two calls with the same folder, seed
//     and split give disjoint sets that together hold every file, the
//     same sets as Keras's.
//
// Each batch's X is float32 of shape (batch, h, w, channels) holding
// values 0..255 (resizing gives fractions); Y holds the labels. Images
// are decoded on every pass (put Cache after it to decode once, when they
// fit in memory), on GOMAXPROCS goroutines, in order; add Prefetch to
// overlap them with training.
//
// Errors: a missing or unreadable folder, no class subfolder, no image
// (ErrNoImages, also for a subset left empty by the split), a single
// class (a classifier needs two; Keras accepts one), not exactly 2
// classes for "binary", a Subset without a ValidationSplit or the
// reverse, a split outside (0, 1), an unknown mode or subset, a
// non-positive size or batch size, a batch of more than MaxValues
// values, or a seed outside [0, 2**32) when shuffling. Argument errors
// wrap ErrInvalidArgument. A file that cannot be read or decoded is found
// when the pass reaches it: the pass ends with an error naming its path.
// Nothing panics.
func ImagesFromDirectory(dir string, opts ...Option) (*Pipeline, []string, error) {
	const fn = "ImagesFromDirectory"
	c := newConfig(opts)
	channels, err := imageChannels(fn, c.colorMode)
	if err != nil {
		return nil, nil, err
	}
	if err := checkImageOptions(fn, c); err != nil {
		return nil, nil, err
	}
	if err := checkValues(fn, "a batch", c.batchSize, c.imageH, c.imageW, channels); err != nil {
		return nil, nil, err
	}
	classes, files, labels, err := indexImages(fn, dir)
	if err != nil {
		return nil, nil, err
	}
	if c.labelMode == "binary" && len(classes) != 2 {
		return nil, nil, argError(fn, "label mode \"binary\" needs exactly 2 classes, found %d in %q: %q", len(classes), dir, classes)
	}
	if len(classes) < 2 {
		return nil, nil, argError(fn, "found a single class (%q) in %q; a classifier needs at least 2 subfolders, one per class", classes, dir)
	}
	if c.shuffle {
		if c.seed < 0 || c.seed > math.MaxUint32 {
			return nil, nil, argError(fn, "seed must be in [0, 2**32) to shuffle the file list as numpy's RandomState, got %d", c.seed)
		}
		numpyShuffle(uint32(c.seed), len(files), func(i, j int) {
			files[i], files[j] = files[j], files[i]
			labels[i], labels[j] = labels[j], labels[i]
		})
	}
	if c.splitSet {
		nVal := int(c.validationSplit * float64(len(files)))
		nTrain := len(files) - nVal
		if c.subset == "training" {
			files, labels = files[:nTrain], labels[:nTrain]
		} else {
			files, labels = files[nTrain:], labels[nTrain:]
		}
		if len(files) == 0 {
			return nil, nil, fmt.Errorf("datasets.%s: %w for the %s subset of %q: a split of %v leaves it empty", fn, ErrNoImages, c.subset, dir, c.validationSplit)
		}
	}

	ld := imageLoader{h: c.imageH, w: c.imageW, channels: channels, mode: c.labelMode, classes: len(classes)}
	n := len(files)
	p := &Pipeline{
		run: func(ctx context.Context, yield func(chunk) bool) error {
			for i := range n {
				if err := ctx.Err(); err != nil {
					return err
				}
				if !yield(chunk{x: column{data: []int{i}, rows: 1}, owned: true}) {
					return nil
				}
			}
			return nil
		},
		elems: n,
		rows:  n,
	}
	if c.shuffle {
		p = p.Shuffle(8*c.batchSize, c.seed)
	}
	p = p.parallelMap(runtime.GOMAXPROCS(0), func(_ int, e chunk) (chunk, error) {
		i := e.x.data.([]int)[0]
		return ld.load(files[i], labels[i])
	})
	p.rows = n
	return p.Batch(c.batchSize), classes, nil
}

func imageChannels(fn, mode string) (int, error) {
	switch mode {
	case "rgb":
		return 3, nil
	case "grayscale":
		return 1, nil
	case "rgba":
		return 4, nil
	}
	return 0, argError(fn, "color mode must be \"rgb\", \"grayscale\" or \"rgba\", got %q", mode)
}

func checkImageOptions(fn string, c config) error {
	switch c.labelMode {
	case "int", "categorical", "binary":
	default:
		return argError(fn, "label mode must be \"int\", \"categorical\" or \"binary\", got %q", c.labelMode)
	}
	if c.imageH <= 0 || c.imageW <= 0 {
		return argError(fn, "image size must be positive, got %dx%d", c.imageH, c.imageW)
	}
	if c.batchSize <= 0 {
		return argError(fn, "batch size must be positive, got %d", c.batchSize)
	}
	if c.splitSet && !(c.validationSplit > 0 && c.validationSplit < 1) {
		return argError(fn, "validation split must be between 0 and 1, got %v", c.validationSplit)
	}
	switch c.subset {
	case "", "training", "validation":
	case "both":
		return argError(fn, "subset \"both\" returns two datasets in Keras; call ImagesFromDirectory once with Subset(\"training\") and once with Subset(\"validation\")")
	default:
		return argError(fn, "subset must be \"training\" or \"validation\", got %q", c.subset)
	}
	if c.splitSet != (c.subset != "") {
		return argError(fn, "a Subset needs a ValidationSplit, and a ValidationSplit a Subset (got split %v, subset %q)", c.validationSplit, c.subset)
	}
	return nil
}

// indexImages lists the classes and the image files of dir as Keras's
// index_directory does, with each file's class index.
func indexImages(fn, dir string) (classes, files []string, labels []int, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("datasets.%s: reading the image folder: %w", fn, err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		// A class folder may be a symbolic link, as os.path.isdir follows it.
		if st, err := os.Stat(filepath.Join(dir, e.Name())); err == nil && st.IsDir() {
			classes = append(classes, e.Name())
		}
	}
	slices.Sort(classes)
	if len(classes) == 0 {
		return nil, nil, nil, argError(fn, "%q holds no class subfolders; put the images of each class in a subfolder named after it", dir)
	}
	type entry struct{ root, name string }
	for ci, cls := range classes {
		var found []entry
		var walk func(root string) error
		walk = func(root string) error {
			des, err := os.ReadDir(root)
			if err != nil {
				return err
			}
			for _, de := range des {
				p := filepath.Join(root, de.Name())
				switch {
				case de.IsDir():
					if err := walk(p); err != nil {
						return err
					}
				case isImageName(de.Name()):
					found = append(found, entry{root, de.Name()})
				}
			}
			return nil
		}
		if err := walk(filepath.Join(dir, cls)); err != nil {
			return nil, nil, nil, fmt.Errorf("datasets.%s: listing class %q: %w", fn, cls, err)
		}
		slices.SortStableFunc(found, func(a, b entry) int {
			return cmp.Or(strings.Compare(a.root, b.root), strings.Compare(a.name, b.name))
		})
		for _, f := range found {
			files = append(files, filepath.Join(f.root, f.name))
			labels = append(labels, ci)
		}
	}
	if len(files) == 0 {
		return nil, nil, nil, fmt.Errorf("datasets.%s: %w in %q (%d class folders; allowed formats %v)", fn, ErrNoImages, dir, len(classes), imageFormats)
	}
	return classes, files, labels, nil
}

func isImageName(name string) bool {
	lower := strings.ToLower(name)
	for _, ext := range imageFormats {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

// imageLoader decodes, converts and resizes one image file.
type imageLoader struct {
	h, w, channels int
	mode           string
	classes        int
}

func (ld imageLoader) load(path string, label int) (chunk, error) {
	pix, ih, iw, err := decodeImage(path, ld.channels)
	if err != nil {
		return chunk{}, fmt.Errorf("datasets.ImagesFromDirectory: %s: %w", path, err)
	}
	x := resizeBilinear(pix, ih, iw, ld.channels, ld.h, ld.w)
	var y column
	switch ld.mode {
	case "int":
		y = column{data: []float32{float32(label)}, rows: 1}
	case "binary":
		y = column{data: []float32{float32(label)}, rows: 1, sample: []int{1}}
	default: // categorical
		oh := make([]float32, ld.classes)
		oh[label] = 1
		y = column{data: oh, rows: 1, sample: []int{ld.classes}}
	}
	return chunk{
		x:     column{data: x, rows: 1, sample: []int{ld.h, ld.w, ld.channels}},
		y:     y,
		owned: true,
	}, nil
}

// maxImagePixels bounds the decoded size of one file (a 16k x 16k image),
// so that a hostile header cannot ask for an allocation the process
// cannot survive.
const maxImagePixels = 1 << 28

// decodeImage reads an image file into 8-bit values, channels per pixel,
// row by row.
func decodeImage(path string, channels int) (pix []uint8, h, w int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, 0, err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("cannot decode: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxImagePixels/cfg.Height {
		return nil, 0, 0, fmt.Errorf("image of %dx%d pixels: empty, or more than %d pixels", cfg.Width, cfg.Height, maxImagePixels)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, 0, 0, err
	}
	var img image.Image
	err = recovered("the image decoder", func() error {
		var err error
		img, _, err = image.Decode(f)
		return err
	})
	if err != nil {
		return nil, 0, 0, fmt.Errorf("cannot decode: %w", err)
	}
	b := img.Bounds()
	h, w = b.Dy(), b.Dx()
	if h <= 0 || w <= 0 {
		return nil, 0, 0, fmt.Errorf("image has no pixels (%dx%d)", w, h)
	}
	pix = make([]uint8, h*w*channels)
	o := 0
	for yy := b.Min.Y; yy < b.Max.Y; yy++ {
		for xx := b.Min.X; xx < b.Max.X; xx++ {
			px := pix[o : o+channels]
			o += channels
			if channels == 1 {
				px[0] = grayAt(img, xx, yy)
				continue
			}
			c := nrgbaAt(img, xx, yy)
			px[0], px[1], px[2] = c.R, c.G, c.B
			if channels == 4 {
				px[3] = c.A
			}
		}
	}
	return pix, h, w, nil
}

// nrgbaAt returns the pixel's straight (not premultiplied) 8-bit colour.
func nrgbaAt(img image.Image, x, y int) color.NRGBA {
	switch m := img.(type) {
	case *image.NRGBA:
		return m.NRGBAAt(x, y)
	case *image.YCbCr:
		c := m.YCbCrAt(x, y)
		r, g, b := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
		return color.NRGBA{r, g, b, 255}
	case *image.Gray:
		v := m.GrayAt(x, y).Y
		return color.NRGBA{v, v, v, 255}
	}
	return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
}

// grayAt returns the pixel's grey level: a JPEG's own luma, or libpng's
// rgb-to-gray with TensorFlow's coefficients (0.299, 0.587) in 15-bit
// fixed point for other images.
func grayAt(img image.Image, x, y int) uint8 {
	switch m := img.(type) {
	case *image.YCbCr:
		return m.YCbCrAt(x, y).Y
	case *image.Gray:
		return m.GrayAt(x, y).Y
	}
	c := nrgbaAt(img, x, y)
	const rc, gc = 9798, 19235 // round(0.299 * 32768), round(0.587 * 32768)
	const bc = 32768 - rc - gc
	return uint8((rc*uint32(c.R) + gc*uint32(c.G) + bc*uint32(c.B) + 16384) >> 15)
}

// resizeBilinear resizes an h x w image of c channels (8-bit values, row
// by row) to oh x ow float32 values, as TensorFlow's ResizeBilinear with
// half_pixel_centers=true and align_corners=false (tf.image.resize's
// default): the source coordinate of output index i is
// (i + 0.5) * in/out - 0.5, its lower neighbour floor of it clamped at 0,
// its upper ceil of it clamped at in-1, and the weight its fraction; rows
// are interpolated first across x, then across y, in float32.
func resizeBilinear(src []uint8, h, w, c, oh, ow int) []float32 {
	ys := interpWeights(h, oh)
	xs := interpWeights(w, ow)
	out := make([]float32, oh*ow*c)
	for i, yw := range ys {
		top := src[yw.lower*w*c:]
		bot := src[yw.upper*w*c:]
		for j, xw := range xs {
			o := (i*ow + j) * c
			for k := range c {
				tl := float32(top[xw.lower*c+k])
				tr := float32(top[xw.upper*c+k])
				bl := float32(bot[xw.lower*c+k])
				br := float32(bot[xw.upper*c+k])
				t := tl + (tr-tl)*xw.lerp
				b := bl + (br-bl)*xw.lerp
				out[o+k] = t + (b-t)*yw.lerp
			}
		}
	}
	return out
}

type interp struct {
	lower, upper int
	lerp         float32
}

// interpWeights computes TensorFlow's compute_interpolation_weights with
// its HalfPixelScaler, in float32 as TensorFlow does.
func interpWeights(in, out int) []interp {
	scale := float32(in) / float32(out)
	ws := make([]interp, out)
	for i := range ws {
		v := (float32(i)+0.5)*scale - 0.5
		f := float32(math.Floor(float64(v)))
		ws[i] = interp{
			lower: max(int(f), 0),
			upper: min(int(math.Ceil(float64(v))), in-1),
			lerp:  v - f,
		}
	}
	return ws
}
