package keras

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// executor runs a Gorgonia graph by calling each op's Do in topological
// order on the caller's goroutine. Gorgonia's TapeMachine hands every run
// to a new goroutine on another OS thread and back, which costs tens of
// microseconds a run: more than the arithmetic of a small model. The ops,
// and so the numbers and gradients, are Gorgonia's own.
//
// Every node keeps its own value from run to run; ops that can write into
// a given buffer (UsePreallocDoer) reuse it, so after the first run a step
// allocates little. A value that shares memory with one of its op's
// inputs (a reshape, say) is never reused as a buffer, so a run cannot
// write into the inputs or the weights.
type executor struct {
	nodes []*G.Node
	steps []step
	vals  []G.Value
	index map[*G.Node]int
	args  []G.Value
	bound []G.Value // per node: a value that replaces its bound one (bindInput)
}

type step struct {
	op       G.Op
	kids     []int // positions of the inputs in nodes
	prealloc bool  // the op can write into last run's value
	checked  bool  // prealloc was settled after the first run
}

// newExecutor prepares to compute outputs, and only what they need.
func newExecutor(g *G.ExprGraph, outputs G.Nodes) (*executor, error) {
	sorted, err := G.Sort(g)
	if err != nil {
		return nil, err
	}
	needed := map[*G.Node]bool{}
	var mark func(n *G.Node)
	mark = func(n *G.Node) {
		if needed[n] {
			return
		}
		needed[n] = true
		for it := g.From(n.ID()); it.Next(); {
			mark(it.Node().(*G.Node))
		}
	}
	for _, o := range outputs {
		mark(o)
	}
	e := &executor{index: map[*G.Node]int{}}
	// G.Sort puts the roots first: walk it backwards, children before
	// parents.
	for i := len(sorted) - 1; i >= 0; i-- {
		n := sorted[i]
		if !needed[n] {
			continue
		}
		st := step{op: n.Op()}
		for it := g.From(n.ID()); it.Next(); {
			k, ok := e.index[it.Node().(*G.Node)]
			if !ok {
				return nil, fmt.Errorf("node %v comes before its input", n)
			}
			st.kids = append(st.kids, k)
		}
		if len(st.kids) > 0 {
			_, st.prealloc = st.op.(G.UsePreallocDoer)
		}
		e.index[n] = len(e.nodes)
		e.nodes = append(e.nodes, n)
		e.steps = append(e.steps, st)
		if len(st.kids) > cap(e.args) {
			e.args = make([]G.Value, 0, len(st.kids))
		}
	}
	e.vals = make([]G.Value, len(e.nodes))
	e.bound = make([]G.Value, len(e.nodes))
	return e, nil
}

// bindInput makes the next runs read v as the input n's value instead of
// the tensor n is bound to (nil: that tensor again), so that a batch can
// be read where it lies. It reports false when the runs do not read n.
func (e *executor) bindInput(n *G.Node, v G.Value) bool {
	i, ok := e.index[n]
	if !ok || len(e.steps[i].kids) > 0 {
		return false
	}
	e.bound[i] = v
	if v == nil {
		e.vals[i] = nil // hold no reference to the caller's memory
	}
	return true
}

// run computes every needed node once.
func (e *executor) run() error {
	for i := range e.steps {
		st := &e.steps[i]
		n := e.nodes[i]
		if len(st.kids) == 0 {
			// An input, a weight or a constant: its bound value.
			if b := e.bound[i]; b != nil {
				e.vals[i] = b
			} else {
				e.vals[i] = n.Value()
			}
			continue
		}
		args := e.args[:0]
		for _, k := range st.kids {
			args = append(args, e.vals[k])
		}
		var v G.Value
		var err error
		if st.prealloc && st.checked {
			v, err = st.op.(G.UsePreallocDoer).UsePreallocDo(e.vals[i], args...)
		} else {
			v, err = st.op.Do(args...)
		}
		if err != nil {
			return fmt.Errorf("%v: %w", n, err)
		}
		if !st.checked {
			st.prealloc = st.prealloc && ownsMemory(v, args)
			st.checked = true
		}
		e.vals[i] = v
	}
	return nil
}

// value returns n's value from the last run.
func (e *executor) value(n *G.Node) G.Value { return e.vals[e.index[n]] }

// ownsMemory reports whether v is a tensor whose memory overlaps none of
// args: only then may a later run write into it.
func ownsMemory(v G.Value, args []G.Value) bool {
	d, ok := v.(*tensor.Dense)
	if !ok || d.IsView() || d.MemSize() == 0 {
		return false
	}
	lo, hi := d.Uintptr(), d.Uintptr()+d.MemSize()
	for _, a := range args {
		if a == nil || a.MemSize() == 0 {
			continue
		}
		alo, ahi := a.Uintptr(), a.Uintptr()+a.MemSize()
		if alo < hi && lo < ahi {
			return false
		}
	}
	return true
}
