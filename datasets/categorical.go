package datasets

import (
	"gorgonia.org/tensor"
)

// ToCategorical turns integer class labels into one-hot rows, as Keras's
// keras.utils.to_categorical(y, num_classes): labels of shape (n,) or
// (n, 1) give a float32 tensor of shape (n, classes) (in general a
// trailing axis of size 1 is dropped and an axis of size classes
// appended). classes <= 0 means max(y)+1, as Keras's num_classes=None.
// Labels must be whole numbers in [0, classes); Keras would truncate a
// fractional label silently, here it is an error, as is a negative label.
// A result of more than MaxValues values (one label 3e9 with classes <= 0
// asks for 3e9 values per row) is an error, not an allocation.
func ToCategorical(y *tensor.Dense, classes int) (*tensor.Dense, error) {
	const fn = "ToCategorical"
	vals, shape, err := float64s(fn, "y", y)
	if err != nil {
		return nil, err
	}
	if len(vals) == 0 {
		return nil, argError(fn, "y is empty (shape %v)", shape)
	}
	maxLabel := 0
	for i, v := range vals {
		if !isInt(v) || v < 0 {
			return nil, argError(fn, "labels must be whole numbers >= 0, got %v at index %d", v, i)
		}
		maxLabel = max(maxLabel, int(v))
	}
	if classes <= 0 {
		classes = maxLabel + 1
	} else if maxLabel >= classes {
		return nil, argError(fn, "label %d is out of range for %d classes", maxLabel, classes)
	}
	if err := checkValues(fn, "the one-hot result", len(vals), classes); err != nil {
		return nil, err
	}
	outShape := []int(shape.Clone())
	if len(outShape) > 1 && outShape[len(outShape)-1] == 1 {
		outShape = outShape[:len(outShape)-1]
	}
	outShape = append(outShape, classes)
	out := make([]float32, len(vals)*classes)
	for i, v := range vals {
		out[i*classes+int(v)] = 1
	}
	return dense32(out, outShape...), nil
}
