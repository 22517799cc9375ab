package optimizers

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gorgonia.org/tensor"
)

// float is the element type of the parameters an optimizer updates.
// float32 parameters are updated in float32 arithmetic, as Keras does.
type float interface{ ~float32 | ~float64 }

// stepCtx is what every update of one step shares.
type stepCtx struct {
	lr float64 // learning rate of this step
	t  int64   // 1-based step number (Keras's local_step, iterations+1)
}

// slot is one kind of per-parameter state (a momentum, an accumulator).
type slot struct {
	name string  // Keras's name for it ("momentum", "velocity")
	init float64 // initial value of every element
}

// rule is the part of an optimizer that differs between Keras's
// optimizers: its update of one parameter from its gradient and slots.
type rule interface {
	// slots lists the per-parameter state in Variables order.
	slots() []slot
	// validate checks the rule's own hyper-parameters.
	validate() error
	// config adds the rule's own keys to a Keras config.
	config(cfg map[string]any)
	// update32 and update64 update one parameter w in place from its
	// (already clipped) gradient g; s holds its slots in slots() order.
	update32(c stepCtx, w, g []float32, s [][]float32)
	update64(c stepCtx, w, g []float64, s [][]float64)
}

// sharedState is implemented by rules that keep state shared by all
// parameters (Nadam's running product of momentum factors). It is saved
// after the slots in Variables.
type sharedState interface {
	buildShared(dtype tensor.Dtype) []*tensor.Dense
	beginStep(c stepCtx)
}

// paramState is what the optimizer keeps for one parameter.
type paramState struct {
	dtype tensor.Dtype
	shape tensor.Shape
	size  int
	slots []*tensor.Dense
	s32   [][]float32 // views of slots' data, float32 parameters
	s64   [][]float64 // views of slots' data, float64 parameters
	buf32 []float32   // clipped gradient, when clipping is on
	buf64 []float64
	g32   []float32 // this step's gradient: the caller's or buf
	g64   []float64
}

// optimizer is the machinery shared by every optimizer here: options,
// learning rate and schedule, clipping, weight decay, iterations, slots
// and their saving.
type optimizer struct {
	name      string // registry name, "sgd"
	kerasName string // Keras's default name, "SGD", the config's "name"
	rule      rule
	slotSpecs []slot
	err       error // invalid construction, returned by Build and Apply

	lr         float64
	schedule   LearningRateSchedule
	iterations int64

	weightDecay, clipNorm, clipValue, globalClipNorm *float64

	built  bool
	params []paramState
	shared []*tensor.Dense
}

// common lists the Keras arguments every optimizer takes.
var common = []string{"learning_rate", "weight_decay", "clipnorm", "clipvalue", "global_clipnorm"}

// newOptimizer makes an optimizer from its settings and rule. own lists
// the Keras arguments of the rule; any other option given is an error,
// as Keras raises on unknown keyword arguments.
func newOptimizer(name, kerasName string, s *settings, r rule, own ...string) *optimizer {
	o := &optimizer{
		name:           name,
		kerasName:      kerasName,
		rule:           r,
		slotSpecs:      r.slots(),
		lr:             s.lr,
		schedule:       s.schedule,
		weightDecay:    s.weightDecay,
		clipNorm:       s.clipNorm,
		clipValue:      s.clipValue,
		globalClipNorm: s.globalClipNorm,
	}
	o.err = o.validate(s, r, own)
	return o
}

func (o *optimizer) validate(s *settings, r rule, own []string) error {
	for _, g := range s.given {
		if !slices.Contains(common, g) && !slices.Contains(own, g) {
			return o.errorf(ErrInvalidOption, "%s does not take %s (it takes %s)",
				o.name, g, strings.Join(append(slices.Clone(common), own...), ", "))
		}
	}
	if s.nilSched {
		return o.errorf(ErrInvalidOption, "learning rate schedule is nil")
	}
	if s.schedule == nil && !(s.lr >= 0 && !math.IsInf(s.lr, 0)) {
		return o.errorf(ErrInvalidOption, "learning_rate must be finite and >= 0, got %v", s.lr)
	}
	n := 0
	for _, c := range []struct {
		name string
		v    *float64
	}{{"clipnorm", o.clipNorm}, {"clipvalue", o.clipValue}, {"global_clipnorm", o.globalClipNorm}, {"weight_decay", o.weightDecay}} {
		if c.v == nil {
			continue
		}
		if !(*c.v >= 0 && !math.IsInf(*c.v, 0)) {
			return o.errorf(ErrInvalidOption, "%s must be finite and >= 0, got %v", c.name, *c.v)
		}
		if c.name != "weight_decay" {
			n++
		}
	}
	if n > 1 {
		return o.errorf(ErrInvalidOption, "only one of clipnorm, clipvalue and global_clipnorm can be set, got clipnorm=%v, clipvalue=%v, global_clipnorm=%v",
			optional(o.clipNorm), optional(o.clipValue), optional(o.globalClipNorm))
	}
	if err := r.validate(); err != nil {
		return o.errorf(ErrInvalidOption, "%v", err)
	}
	return nil
}

// errorf returns an error wrapping sentinel, prefixed with the optimizer's
// name: "adam: invalid input: ...".
func (o *optimizer) errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s", o.name, sentinel, fmt.Sprintf(format, args...))
}

// recoverErr turns a panic into an error so that nothing here takes the
// process down; it must be deferred directly.
func (o *optimizer) recoverErr(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: internal error: %v", o.name, r)
	}
}

// Name is the Keras name by which Get finds the optimizer ("sgd").
func (o *optimizer) Name() string { return o.name }

// Iterations is the number of steps applied so far.
func (o *optimizer) Iterations() int64 { return o.iterations }

// LearningRate is the rate the next step uses.
func (o *optimizer) LearningRate() float64 {
	if o.schedule != nil {
		return o.schedule.Rate(o.iterations)
	}
	return o.lr
}

// SetLearningRate replaces the rate or schedule with a constant. (Keras
// refuses to set a float over a schedule; callbacks here need it to.)
func (o *optimizer) SetLearningRate(lr float64) { o.lr, o.schedule = lr, nil }

// checkTensor checks that t is a contiguous float32 or float64 tensor and
// returns its number of elements.
func (o *optimizer) checkTensor(what string, i int, t *tensor.Dense) (int, error) {
	if t == nil {
		return 0, o.errorf(ErrInvalidInput, "%s %d is nil", what, i)
	}
	if t.RequiresIterator() {
		return 0, o.errorf(ErrInvalidInput, "%s %d is not contiguous (a transposed, sliced or masked view); pass a materialized tensor", what, i)
	}
	switch t.Dtype() {
	case tensor.Float32:
		return len(t.Float32s()), nil
	case tensor.Float64:
		return len(t.Float64s()), nil
	}
	return 0, o.errorf(ErrInvalidInput, "%s %d has dtype %v, want float32 or float64", what, i, t.Dtype())
}

// Build creates the slots for params. Building again with parameters of
// the same count, dtypes and shapes does nothing; with others it is an
// error (make a new optimizer for new parameters, as in Keras).
func (o *optimizer) Build(params []*tensor.Dense) (err error) {
	defer o.recoverErr(&err)
	if o.err != nil {
		return o.err
	}
	sizes := make([]int, len(params))
	for i, p := range params {
		if sizes[i], err = o.checkTensor("parameter", i, p); err != nil {
			return err
		}
	}
	if o.built {
		return o.checkBuilt(params)
	}
	if len(params) == 0 {
		return nil
	}
	clip := o.clipping() != clipNone
	ps := make([]paramState, len(params))
	for i, p := range params {
		st := paramState{dtype: p.Dtype(), shape: p.Shape().Clone(), size: sizes[i]}
		for _, sl := range o.slotSpecs {
			d := tensor.New(tensor.Of(st.dtype), tensor.WithShape(st.shape...))
			switch st.dtype {
			case tensor.Float32:
				v := d.Float32s()
				fill(v, float32(sl.init))
				st.s32 = append(st.s32, v)
			case tensor.Float64:
				v := d.Float64s()
				fill(v, sl.init)
				st.s64 = append(st.s64, v)
			}
			st.slots = append(st.slots, d)
		}
		if clip {
			if st.dtype == tensor.Float32 {
				st.buf32 = make([]float32, st.size)
			} else {
				st.buf64 = make([]float64, st.size)
			}
		}
		ps[i] = st
	}
	o.params = ps
	if sh, ok := o.rule.(sharedState); ok {
		o.shared = sh.buildShared(params[0].Dtype())
	}
	o.built = true
	return nil
}

func fill[T float](x []T, v T) {
	for i := range x {
		x[i] = v
	}
}

// checkBuilt checks params against those the optimizer was built with.
func (o *optimizer) checkBuilt(params []*tensor.Dense) error {
	if len(params) != len(o.params) {
		return o.errorf(ErrInvalidInput, "built for %d parameters, got %d", len(o.params), len(params))
	}
	for i, p := range params {
		st := &o.params[i]
		if p.Dtype() != st.dtype || !p.Shape().Eq(st.shape) {
			return o.errorf(ErrInvalidInput, "parameter %d is %v %v, but the optimizer was built for %v %v",
				i, p.Dtype(), p.Shape(), st.dtype, st.shape)
		}
	}
	return nil
}

// Apply performs one update step of every parameter in place: gradient
// clipping, weight decay, then the optimizer's rule, at the learning rate
// of the current iteration; then the iteration count goes up by one. It
// checks everything before changing anything, so an error leaves the
// parameters and the optimizer as they were. Empty params is a no-op, as
// in Keras.
func (o *optimizer) Apply(params, grads []*tensor.Dense) (err error) {
	defer o.recoverErr(&err)
	if o.err != nil {
		return o.err
	}
	if len(params) != len(grads) {
		return o.errorf(ErrInvalidInput, "got %d parameters and %d gradients", len(params), len(grads))
	}
	if len(params) == 0 {
		return nil
	}
	if !o.built {
		if err := o.Build(params); err != nil {
			return err
		}
	}
	if err := o.checkInputs(params, grads); err != nil {
		return err
	}
	c := stepCtx{lr: o.LearningRate(), t: o.iterations + 1}
	if !(c.lr >= 0 && !math.IsInf(c.lr, 0)) {
		return o.errorf(ErrInvalidOption, "learning rate at iteration %d is %v, want finite and >= 0", o.iterations, c.lr)
	}
	o.loadGradients(grads)
	o.applyWeightDecay(params, c.lr)
	if sh, ok := o.rule.(sharedState); ok {
		sh.beginStep(c)
	}
	for i, p := range params {
		st := &o.params[i]
		switch st.dtype {
		case tensor.Float32:
			o.rule.update32(c, p.Float32s(), st.g32, st.s32)
		case tensor.Float64:
			o.rule.update64(c, p.Float64s(), st.g64, st.s64)
		}
		// Do not keep the caller's gradient alive between steps.
		st.g32, st.g64 = nil, nil
	}
	o.iterations++
	return nil
}

// checkInputs checks params and grads against each other and against the
// parameters the optimizer was built with.
func (o *optimizer) checkInputs(params, grads []*tensor.Dense) error {
	if len(params) != len(o.params) {
		return o.errorf(ErrInvalidInput, "built for %d parameters, got %d", len(o.params), len(params))
	}
	for i, p := range params {
		st := &o.params[i]
		n, err := o.checkTensor("parameter", i, p)
		if err != nil {
			return err
		}
		if p.Dtype() != st.dtype || !p.Shape().Eq(st.shape) || n != st.size {
			return o.errorf(ErrInvalidInput, "parameter %d is %v %v, but the optimizer was built for %v %v",
				i, p.Dtype(), p.Shape(), st.dtype, st.shape)
		}
		g := grads[i]
		m, err := o.checkTensor("gradient", i, g)
		if err != nil {
			return err
		}
		if g.Dtype() != st.dtype {
			return o.errorf(ErrInvalidInput, "gradient %d has dtype %v, its parameter %v", i, g.Dtype(), st.dtype)
		}
		if !g.Shape().Eq(st.shape) || m != n {
			return o.errorf(ErrInvalidInput, "gradient %d has shape %v, its parameter %v", i, g.Shape(), st.shape)
		}
	}
	return nil
}

// Variables returns copies of the optimizer's state, in Keras's order: the
// iteration count (an int64 tensor of shape (1)), then each kind of slot
// for every parameter in turn (all momenta, then all velocities, ...),
// then any state shared by all parameters (Nadam's u_product). Before the
// optimizer is built it holds only the iteration count. Keras also tracks
// a constant learning rate as a variable; here the rate is in Config.
func (o *optimizer) Variables() []*tensor.Dense {
	out := []*tensor.Dense{tensor.New(tensor.WithShape(1), tensor.WithBacking([]int64{o.iterations}))}
	for k := range o.slotSpecs {
		for i := range o.params {
			out = append(out, o.params[i].slots[k].Clone().(*tensor.Dense))
		}
	}
	for _, s := range o.shared {
		out = append(out, s.Clone().(*tensor.Dense))
	}
	return out
}

// SetVariables restores state returned by Variables (of an optimizer of
// the same kind and options built for parameters of the same shapes), so
// that training resumes exactly where it stopped. The optimizer must be
// built first (by Build or Apply) unless v holds only the iteration count.
// The values are copied; v is not kept. Nothing is changed on error.
func (o *optimizer) SetVariables(v []*tensor.Dense) (err error) {
	defer o.recoverErr(&err)
	want := 1 + len(o.slotSpecs)*len(o.params) + len(o.shared)
	if len(v) != want {
		names := make([]string, len(o.slotSpecs))
		for i, s := range o.slotSpecs {
			names[i] = s.name
		}
		hint := ""
		if !o.built {
			hint = "; the optimizer is not built yet: call Build with the parameters first"
		}
		return o.errorf(ErrInvalidState, "got %d variables, want %d (iterations, then slots %v for each of %d parameters, then %d shared)%s",
			len(v), want, names, len(o.params), len(o.shared), hint)
	}
	it, err := o.readIterations(v[0])
	if err != nil {
		return err
	}
	dsts := make([]*tensor.Dense, 0, len(v)-1)
	for k := range o.slotSpecs {
		for i := range o.params {
			dsts = append(dsts, o.params[i].slots[k])
		}
	}
	dsts = append(dsts, o.shared...)
	for j, src := range v[1:] {
		dst := dsts[j]
		if src == nil {
			return o.errorf(ErrInvalidState, "variable %d is nil", j+1)
		}
		if src.Dtype() != dst.Dtype() || !src.Shape().Eq(dst.Shape()) || src.RequiresIterator() {
			return o.errorf(ErrInvalidState, "variable %d (%s) is %v %v, want contiguous %v %v",
				j+1, o.variableName(j), src.Dtype(), src.Shape(), dst.Dtype(), dst.Shape())
		}
	}
	for j, src := range v[1:] {
		dst := dsts[j]
		if dst.Dtype() == tensor.Float32 {
			copy(dst.Float32s(), src.Float32s())
		} else {
			copy(dst.Float64s(), src.Float64s())
		}
	}
	o.iterations = it
	return nil
}

// variableName names variable j+1 of Variables for error messages.
func (o *optimizer) variableName(j int) string {
	n := len(o.params)
	if n > 0 && j < len(o.slotSpecs)*n {
		return fmt.Sprintf("%s of parameter %d", o.slotSpecs[j/n].name, j%n)
	}
	return "shared state"
}

// readIterations reads a one-element iteration count of any integer or
// float dtype (Keras saves it as int64, or int32 under JAX).
func (o *optimizer) readIterations(t *tensor.Dense) (int64, error) {
	if t == nil {
		return 0, o.errorf(ErrInvalidState, "iterations variable is nil")
	}
	if n := t.DataSize(); !t.IsScalar() && n != 1 {
		return 0, o.errorf(ErrInvalidState, "iterations variable has shape %v, want one element", t.Shape())
	}
	var f float64
	switch x := t.Data().(type) {
	case int64:
		f = float64(x)
	case []int64:
		if x[0] < 0 {
			return 0, o.errorf(ErrInvalidState, "iterations is %d, want >= 0", x[0])
		}
		return x[0], nil
	case int:
		f = float64(x)
	case []int:
		f = float64(x[0])
	case int32:
		f = float64(x)
	case []int32:
		f = float64(x[0])
	case float64:
		f = x
	case []float64:
		f = x[0]
	case float32:
		f = float64(x)
	case []float32:
		f = float64(x[0])
	default:
		return 0, o.errorf(ErrInvalidState, "iterations variable has dtype %v, want an integer or float", t.Dtype())
	}
	if !(f >= 0) || f != math.Trunc(f) || f > 1<<53 {
		return 0, o.errorf(ErrInvalidState, "iterations is %v, want a whole number >= 0", f)
	}
	return int64(f), nil
}

// Config is the Keras config: name, learning_rate (a number, or a
// serialized schedule {"class_name", "config"}), weight_decay, clipnorm,
// global_clipnorm, clipvalue (nil when not set, as Keras's None), and the
// optimizer's own hyper-parameters.
func (o *optimizer) Config() map[string]any {
	var lr any = o.lr
	if o.schedule != nil {
		lr = map[string]any{
			"module":     "keras.optimizers.schedules",
			"class_name": o.schedule.Name(),
			"config":     o.schedule.Config(),
		}
	}
	cfg := map[string]any{
		"name":            o.kerasName,
		"learning_rate":   lr,
		"weight_decay":    optional(o.weightDecay),
		"clipnorm":        optional(o.clipNorm),
		"global_clipnorm": optional(o.globalClipNorm),
		"clipvalue":       optional(o.clipValue),
	}
	o.rule.config(cfg)
	return cfg
}

// optional returns *p, or nil (Keras's None) when p is nil.
func optional(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// checkRange returns an error unless lo <= x <= hi (x < hi when openHi).
func checkRange(name string, x, lo, hi float64, openHi bool) error {
	if !(x >= lo) || x > hi || (openHi && x == hi) {
		bracket := "]"
		if openHi {
			bracket = ")"
		}
		return fmt.Errorf("%s must be in [%v, %v%s, got %v", name, lo, hi, bracket, x)
	}
	return nil
}

// checkNonNegative returns an error unless x is finite and >= 0.
func checkNonNegative(name string, x float64) error {
	if !(x >= 0) || math.IsInf(x, 0) {
		return fmt.Errorf("%s must be finite and >= 0, got %v", name, x)
	}
	return nil
}
