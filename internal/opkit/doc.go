// Package opkit holds what the project's Gorgonia op packages
// (internal/fused, internal/nn, internal/rnn) share: the Op methods
// that are the same for every op, the checks of an op's inputs, dense
// float tensors read whatever their layout, the reuse of the executor's
// preallocated output, and a matrix product through G.WhichBLAS.
//
// The smallest use, the body of an op's UsePreallocDo:
//
//	ds, err := opkit.Inputs(op, in, read, "dense input", "dense kernel")
//	if err != nil {
//		return nil, err
//	}
//	out := opkit.Output(prealloc, ds[0].Dtype(), rows, cols)
//	opkit.Gemm(false, false, rows, cols, k, x, k, w, cols, 0, y, cols)
//
// Nothing here is called inside a kernel's inner loop: these run once
// per op call.
package opkit
