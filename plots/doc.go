// Package plots draws the pictures of a training run with
// gonum.org/v1/plot: loss curves from a History, and decision boundaries of
// two-feature classifiers, alone or several side by side.
//
// The file format follows the path's extension (.png, .svg, .pdf, .jpg,
// .eps, .tif), and every file is written under a temporary name in its
// directory and renamed into place, so a picture is never half written.
//
// The smallest use, after Fit has returned a History h:
//
//	err := plots.LossCurve("loss.png", h.History)
//
// plots depends on gorgonia.org/tensor only; it does not import keras or
// callbacks (callbacks.LossPlot uses it).
package plots
