package opkit

import (
	"fmt"
	"hash"
	"hash/fnv"
)

// Base holds the Op methods every op of the op packages shares; an op
// embeds it.
type Base struct{}

// ReturnsPtr is false: the ops return new values.
func (Base) ReturnsPtr() bool { return false }

// CallsExtern is false: nothing here needs a locked OS thread.
func (Base) CallsExtern() bool { return false }

// OverwritesInput is -1: no op writes into its inputs.
func (Base) OverwritesInput() int { return -1 }

// Hashcode is the FNV-1a hash of what op.WriteHash writes.
func Hashcode(op interface{ WriteHash(hash.Hash) }) uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

// WriteName writes op.String() to h: the WriteHash of an op whose String
// names every parameter.
func WriteName(h hash.Hash, op fmt.Stringer) { fmt.Fprint(h, op.String()) }

// Counted is "1 input", "2 inputs".
func Counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
