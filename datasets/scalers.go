package datasets

import (
	"errors"
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// ErrNotFitted is wrapped by a scaler's Transform when Fit has not run.
var ErrNotFitted = errors.New("scaler is not fitted")

// features reads x as n rows of f features: the first axis is the
// samples, the others are flattened, so (n, 28, 28) images scale per
// pixel.
func features(fn string, x *tensor.Dense) (vals []float64, shape tensor.Shape, n, f int, err error) {
	vals, shape, err = float64s(fn, "x", x)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	n, f = shape[0], rowLen(shape)
	if n == 0 || f == 0 {
		return nil, nil, 0, 0, argError(fn, "x is empty (shape %v)", shape)
	}
	return vals, shape, n, f, nil
}

// scaled wraps transformed values in the dtype of the input: float64 for a
// float64 x, float32 otherwise.
func scaled(x *tensor.Dense, vals []float64, shape tensor.Shape) *tensor.Dense {
	if x.Dtype() == tensor.Float64 {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(vals))
	}
	return dense32(toFloat32(vals), shape...)
}

func checkFitted(fn string, fitted, f int) error {
	if fitted == 0 {
		return fmt.Errorf("datasets.%s: %w: call Fit first", fn, ErrNotFitted)
	}
	if fitted != f {
		return argError(fn, "fitted on %d features, got x with %d", fitted, f)
	}
	return nil
}

// StandardScaler standardizes features to zero mean and unit variance, as
// scikit-learn's StandardScaler(with_mean=True, with_std=True): Fit learns
// each feature's mean and population standard deviation (ddof=0) from
// training data, Transform computes (x - Mean) / Scale. A feature with
// zero variance gets Scale 1, so it becomes 0 rather than NaN. The zero
// value is ready to use.
type StandardScaler struct {
	// Mean and Scale hold one value per feature after Fit.
	Mean, Scale []float64
}

// Fit learns the mean and standard deviation of each feature of x, whose
// first axis is the samples; any further axes are flattened into features.
func (s *StandardScaler) Fit(x *tensor.Dense) error {
	const fn = "StandardScaler.Fit"
	vals, _, n, f, err := features(fn, x)
	if err != nil {
		return err
	}
	mean := make([]float64, f)
	for i := range n {
		for j, v := range vals[i*f : (i+1)*f] {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	scale := make([]float64, f)
	for i := range n {
		for j, v := range vals[i*f : (i+1)*f] {
			d := v - mean[j]
			scale[j] += d * d
		}
	}
	for j := range scale {
		scale[j] = math.Sqrt(scale[j] / float64(n))
		if scale[j] == 0 {
			scale[j] = 1
		}
	}
	s.Mean, s.Scale = mean, scale
	return nil
}

// Transform returns (x - Mean) / Scale per feature, float64 for a float64
// x and float32 otherwise, with x's shape.
func (s *StandardScaler) Transform(x *tensor.Dense) (*tensor.Dense, error) {
	const fn = "StandardScaler.Transform"
	vals, shape, n, f, err := features(fn, x)
	if err != nil {
		return nil, err
	}
	if err := checkFitted(fn, len(s.Mean), f); err != nil {
		return nil, err
	}
	for i := range n {
		row := vals[i*f : (i+1)*f]
		for j := range row {
			row[j] = (row[j] - s.Mean[j]) / s.Scale[j]
		}
	}
	return scaled(x, vals, shape), nil
}

// FitTransform is Fit followed by Transform on the same x.
func (s *StandardScaler) FitTransform(x *tensor.Dense) (*tensor.Dense, error) {
	if err := s.Fit(x); err != nil {
		return nil, err
	}
	return s.Transform(x)
}

// InverseTransform undoes Transform: x*Scale + Mean per feature.
func (s *StandardScaler) InverseTransform(x *tensor.Dense) (*tensor.Dense, error) {
	const fn = "StandardScaler.InverseTransform"
	vals, shape, n, f, err := features(fn, x)
	if err != nil {
		return nil, err
	}
	if err := checkFitted(fn, len(s.Mean), f); err != nil {
		return nil, err
	}
	for i := range n {
		row := vals[i*f : (i+1)*f]
		for j := range row {
			row[j] = row[j]*s.Scale[j] + s.Mean[j]
		}
	}
	return scaled(x, vals, shape), nil
}

// MinMaxScaler maps each feature linearly onto [Low, High], as
// scikit-learn's MinMaxScaler(feature_range=(0, 1)): Fit learns each
// feature's minimum and maximum from training data, Transform computes
// x*scale + min with scale = (High-Low)/(DataMax-DataMin) and
// min = Low - DataMin*scale. A constant feature gets a data range of 1.
// The zero value, with Low = High = 0, means the default range [0, 1].
type MinMaxScaler struct {
	// Low and High are the target range; both zero means [0, 1].
	Low, High float64
	// DataMin and DataMax hold one value per feature after Fit.
	DataMin, DataMax []float64
}

func (s *MinMaxScaler) target(fn string) (lo, hi float64, err error) {
	lo, hi = s.Low, s.High
	if lo == 0 && hi == 0 {
		return 0, 1, nil
	}
	if !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return 0, 0, argError(fn, "the minimum of the feature range must be smaller than its maximum, got [%v, %v]", lo, hi)
	}
	return lo, hi, nil
}

// Fit learns the minimum and maximum of each feature of x, whose first
// axis is the samples; any further axes are flattened into features.
func (s *MinMaxScaler) Fit(x *tensor.Dense) error {
	const fn = "MinMaxScaler.Fit"
	if _, _, err := s.target(fn); err != nil {
		return err
	}
	vals, _, n, f, err := features(fn, x)
	if err != nil {
		return err
	}
	lo := append([]float64(nil), vals[:f]...)
	hi := append([]float64(nil), vals[:f]...)
	for i := 1; i < n; i++ {
		for j, v := range vals[i*f : (i+1)*f] {
			lo[j] = math.Min(lo[j], v)
			hi[j] = math.Max(hi[j], v)
		}
	}
	s.DataMin, s.DataMax = lo, hi
	return nil
}

func (s *MinMaxScaler) coefs(fn string, f int) (scale, offset []float64, err error) {
	lo, hi, err := s.target(fn)
	if err != nil {
		return nil, nil, err
	}
	if err := checkFitted(fn, len(s.DataMin), f); err != nil {
		return nil, nil, err
	}
	scale = make([]float64, f)
	offset = make([]float64, f)
	for j := range scale {
		r := s.DataMax[j] - s.DataMin[j]
		if r == 0 {
			r = 1
		}
		scale[j] = (hi - lo) / r
		offset[j] = lo - s.DataMin[j]*scale[j]
	}
	return scale, offset, nil
}

// Transform returns x*scale + min per feature, float64 for a float64 x and
// float32 otherwise, with x's shape. Values outside the fitted range land
// outside [Low, High], as in scikit-learn with clip=False.
func (s *MinMaxScaler) Transform(x *tensor.Dense) (*tensor.Dense, error) {
	const fn = "MinMaxScaler.Transform"
	vals, shape, n, f, err := features(fn, x)
	if err != nil {
		return nil, err
	}
	scale, offset, err := s.coefs(fn, f)
	if err != nil {
		return nil, err
	}
	for i := range n {
		row := vals[i*f : (i+1)*f]
		for j := range row {
			row[j] = row[j]*scale[j] + offset[j]
		}
	}
	return scaled(x, vals, shape), nil
}

// FitTransform is Fit followed by Transform on the same x.
func (s *MinMaxScaler) FitTransform(x *tensor.Dense) (*tensor.Dense, error) {
	if err := s.Fit(x); err != nil {
		return nil, err
	}
	return s.Transform(x)
}

// InverseTransform undoes Transform: (x - min) / scale per feature.
func (s *MinMaxScaler) InverseTransform(x *tensor.Dense) (*tensor.Dense, error) {
	const fn = "MinMaxScaler.InverseTransform"
	vals, shape, n, f, err := features(fn, x)
	if err != nil {
		return nil, err
	}
	scale, offset, err := s.coefs(fn, f)
	if err != nil {
		return nil, err
	}
	for i := range n {
		row := vals[i*f : (i+1)*f]
		for j := range row {
			row[j] = (row[j] - offset[j]) / scale[j]
		}
	}
	return scaled(x, vals, shape), nil
}
