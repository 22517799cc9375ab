package nn

import "fmt"

// Window describes how a kernel or a pooling window slides over the two
// spatial axes of a (batch, height, width, channels) tensor. Zero strides
// and dilations mean 1. Padding is explicit, in cells added before and
// after each axis; WithSamePadding fills it the way Keras's "same" does.
type Window struct {
	KH, KW            int // kernel or pool size
	StrideH, StrideW  int
	DilH, DilW        int // dilation (convolution only)
	PadTop, PadBottom int
	PadLeft, PadRight int
}

// norm returns w with zero strides and dilations replaced by 1.
func (w Window) norm() Window {
	if w.StrideH == 0 {
		w.StrideH = 1
	}
	if w.StrideW == 0 {
		w.StrideW = 1
	}
	if w.DilH == 0 {
		w.DilH = 1
	}
	if w.DilW == 0 {
		w.DilW = 1
	}
	return w
}

// SamePadding returns the padding Keras's (TensorFlow's) "same" adds
// before and after an axis of length in: the output has ceil(in/stride)
// cells and the odd cell of padding, if any, goes after (bottom, right).
func SamePadding(in, kernel, stride, dilation int) (before, after int) {
	if stride < 1 {
		stride = 1
	}
	if dilation < 1 {
		dilation = 1
	}
	out := (in + stride - 1) / stride
	total := (out-1)*stride + (kernel-1)*dilation + 1 - in
	if total < 0 {
		total = 0
	}
	return total / 2, total - total/2
}

// WithSamePadding returns w with Keras's "same" padding for an input of
// height h and width wd.
func (w Window) WithSamePadding(h, wd int) Window {
	n := w.norm()
	w.PadTop, w.PadBottom = SamePadding(h, n.KH, n.StrideH, n.DilH)
	w.PadLeft, w.PadRight = SamePadding(wd, n.KW, n.StrideW, n.DilW)
	return w
}

// OutSize returns the output length of an axis of length in, or an error
// when the (dilated) kernel does not fit in the padded input.
func OutSize(in, kernel, stride, dilation, padBefore, padAfter int) (int, error) {
	if stride < 1 {
		stride = 1
	}
	if dilation < 1 {
		dilation = 1
	}
	eff := (kernel-1)*dilation + 1
	padded := in + padBefore + padAfter
	if eff > padded {
		return 0, fmt.Errorf("kernel of size %d (dilated %d) is larger than the padded input of size %d", kernel, eff, padded)
	}
	return (padded-eff)/stride + 1, nil
}

// outHW returns the output height and width for an input of h by wd.
func (w Window) outHW(h, wd int) (oh, ow int, err error) {
	if err := w.check(); err != nil {
		return 0, 0, err
	}
	if oh, err = OutSize(h, w.KH, w.StrideH, w.DilH, w.PadTop, w.PadBottom); err != nil {
		return 0, 0, fmt.Errorf("height: %w", err)
	}
	if ow, err = OutSize(wd, w.KW, w.StrideW, w.DilW, w.PadLeft, w.PadRight); err != nil {
		return 0, 0, fmt.Errorf("width: %w", err)
	}
	return oh, ow, nil
}

// check reports sizes that make no sense.
func (w Window) check() error {
	switch {
	case w.KH < 1 || w.KW < 1:
		return fmt.Errorf("window size must be positive, got (%d, %d)", w.KH, w.KW)
	case w.StrideH < 0 || w.StrideW < 0:
		return fmt.Errorf("strides must be positive, got (%d, %d)", w.StrideH, w.StrideW)
	case w.DilH < 0 || w.DilW < 0:
		return fmt.Errorf("dilation must be positive, got (%d, %d)", w.DilH, w.DilW)
	case w.PadTop < 0 || w.PadBottom < 0 || w.PadLeft < 0 || w.PadRight < 0:
		return fmt.Errorf("padding must not be negative, got (%d, %d, %d, %d)", w.PadTop, w.PadBottom, w.PadLeft, w.PadRight)
	}
	return nil
}

// String writes the window as it appears in op names.
func (w Window) String() string {
	return fmt.Sprintf("k=%dx%d s=%dx%d d=%dx%d pad=%d,%d,%d,%d", w.KH, w.KW, w.StrideH, w.StrideW, w.DilH, w.DilW, w.PadTop, w.PadBottom, w.PadLeft, w.PadRight)
}
