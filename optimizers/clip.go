package optimizers

import (
	"math"

	"gorgonia.org/tensor"
)

type clipMode int

const (
	clipNone clipMode = iota
	clipByNorm
	clipByGlobalNorm
	clipByValue
)

// clipping is the clipping in force. As in Keras, a value of 0 means none.
func (o *optimizer) clipping() clipMode {
	switch {
	case o.clipNorm != nil && *o.clipNorm > 0:
		return clipByNorm
	case o.globalClipNorm != nil && *o.globalClipNorm > 0:
		return clipByGlobalNorm
	case o.clipValue != nil && *o.clipValue > 0:
		return clipByValue
	}
	return clipNone
}

// loadGradients sets each parameter's gradient for this step: the
// caller's tensor data itself when there is no clipping, otherwise a
// clipped copy in the optimizer's own buffer. The caller's gradients are
// never written to. Keras 3's BaseOptimizer._clip_gradients: clipnorm per
// variable, g*c/max(||g||, c); global_clipnorm, g*c*min(1/norm, 1/c) with
// norm over all gradients (NaN when norm is not finite); clipvalue,
// clip(g, -c, c).
func (o *optimizer) loadGradients(grads []*tensor.Dense) {
	mode := o.clipping()
	var scale float64
	if mode == clipByGlobalNorm {
		var sum float64
		for i, g := range grads {
			if o.params[i].dtype == tensor.Float32 {
				sum += sumSquares(g.Float32s())
			} else {
				sum += sumSquares(g.Float64s())
			}
		}
		norm := math.Sqrt(sum)
		c := *o.globalClipNorm
		scale = c*math.Min(1/norm, 1/c) + (norm - norm)
	}
	for i, g := range grads {
		st := &o.params[i]
		if st.dtype == tensor.Float32 {
			st.g32 = clipped(o, mode, scale, g.Float32s(), st.buf32)
		} else {
			st.g64 = clipped(o, mode, scale, g.Float64s(), st.buf64)
		}
	}
}

// clipped returns g clipped into buf, or g itself when there is no
// clipping. scale is the global-norm factor.
func clipped[T float](o *optimizer, mode clipMode, scale float64, g, buf []T) []T {
	switch mode {
	case clipByNorm:
		c := *o.clipNorm
		l2 := math.Sqrt(sumSquares(g))
		den := c
		if !(l2 <= c) { // also when l2 is NaN, so that NaN propagates
			den = l2
		}
		cT, denT := T(c), T(den)
		buf = buf[:len(g)]
		for j, x := range g {
			buf[j] = x * cT / denT
		}
		return buf
	case clipByGlobalNorm:
		s := T(scale)
		buf = buf[:len(g)]
		for j, x := range g {
			buf[j] = x * s
		}
		return buf
	case clipByValue:
		hi := T(*o.clipValue)
		lo := -hi
		buf = buf[:len(g)]
		for j, x := range g {
			switch {
			case x < lo:
				x = lo
			case x > hi:
				x = hi
			}
			buf[j] = x
		}
		return buf
	}
	return g
}

// sumSquares is the sum of squares of x, accumulated in float64.
func sumSquares[T float](x []T) float64 {
	var s float64
	for _, v := range x {
		f := float64(v)
		s += f * f
	}
	return s
}

// applyWeightDecay applies Keras 3's decoupled weight decay
// (BaseOptimizer._apply_weight_decay), w = w - w*wd*lr, before the update.
func (o *optimizer) applyWeightDecay(params []*tensor.Dense, lr float64) {
	if o.weightDecay == nil {
		return
	}
	for i, p := range params {
		if o.params[i].dtype == tensor.Float32 {
			decay(p.Float32s(), float32(*o.weightDecay), float32(lr))
		} else {
			decay(p.Float64s(), *o.weightDecay, lr)
		}
	}
}

func decay[T float](w []T, wd, lr T) {
	for j, x := range w {
		w[j] = x - x*wd*lr
	}
}
