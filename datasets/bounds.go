package datasets

import "math/bits"

// MaxValues is the most values (elements, not bytes) one tensor made by
// this package may hold: 1<<28, that is 1 GiB of float32. A generator,
// ToCategorical or any other call whose arguments ask for more returns an
// error wrapping ErrInvalidArgument before allocating anything, instead of
// taking the process down with an allocation the runtime refuses. The
// generators also keep a float64 working copy of their output while they
// compute it, so one call at the bound uses about 3 GiB at its peak.
const MaxValues = 1 << 28

// checkValues checks that a tensor of the given dimensions holds at most
// MaxValues values, without overflowing on the way. what names the tensor
// in the message.
func checkValues(fn, what string, dims ...int) error {
	for _, d := range dims {
		if d < 0 {
			return argError(fn, "%s would have a negative dimension %d (shape %v)", what, d, dims)
		}
		if d == 0 {
			return nil
		}
	}
	total := uint64(1)
	for _, d := range dims {
		hi, lo := bits.Mul64(total, uint64(d))
		if hi != 0 || lo > MaxValues {
			return argError(fn, "%s of shape %v would hold more than MaxValues = %d values", what, dims, MaxValues)
		}
		total = lo
	}
	return nil
}
