package losses

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/configval"
	"github.com/gokeras/keras/internal/graphx"
)

// scaledMSE is a custom loss as a user writes one: scale * mse.
type scaledMSE struct {
	name  string
	scale float64
}

func (l scaledMSE) Name() string { return l.name }
func (l scaledMSE) Config() map[string]any {
	return map[string]any{"name": l.name, "scale": l.scale}
}
func (l scaledMSE) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return compute(l.name, yTrue, yPred, func(e *graphx.Expr, t, p *G.Node) *G.Node {
		return e.Mul(e.Scalar(l.scale), e.Mean(e.Square(e.Sub(t, p))))
	})
}

func scaledFromConfig(name string) func(map[string]any) (Loss, error) {
	return func(cfg map[string]any) (Loss, error) {
		l := scaledMSE{name: name, scale: 1}
		if v, ok := cfg["scale"]; ok {
			x, err := configval.Number(v)
			if err != nil {
				return nil, err
			}
			l.scale = x
		}
		return l, nil
	}
}

func TestRegister(t *testing.T) {
	const name = "test_register_scaled_mse"
	if err := Register(name, scaledFromConfig(name)); err != nil {
		t.Fatal(err)
	}
	// Get builds it with its defaults, and it computes.
	l, err := Get(name)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := evalLoss(t, l, dtypes[0], []int{2, 3}, kerasRegTrue, kerasRegPred)
	want, _ := evalLoss(t, MeanSquaredError(), dtypes[0], []int{2, 3}, kerasRegTrue, kerasRegPred)
	if got != want {
		t.Errorf("registered loss with scale 1: %v, mse %v", got, want)
	}
	// FromConfig rebuilds it from its saved config (through JSON).
	b, err := json.Marshal(scaledMSE{name: name, scale: 2.5}.Config())
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	back, err := FromConfig(name, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if back != (scaledMSE{name: name, scale: 2.5}) {
		t.Errorf("FromConfig gave %#v", back)
	}
	if !slices.Contains(Names(), name) {
		t.Errorf("Names() does not list %q", name)
	}
	// Its fromConfig's errors come back named.
	if _, err := FromConfig(name, map[string]any{"scale": "x"}); err == nil || !strings.Contains(err.Error(), name) {
		t.Errorf("bad config: error %v", err)
	}
}

func TestRegisterErrors(t *testing.T) {
	f := scaledFromConfig("x")
	const name = "test_register_twice"
	if err := Register(name, f); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		f    func(map[string]any) (Loss, error)
		is   error
	}{
		{"", f, nil},
		{"test_register_nil", nil, nil},
		{name, f, ErrRegistered},
		{"mse", f, ErrRegistered},
		{"BinaryFocalCrossentropy", f, ErrRegistered},
	}
	for _, c := range cases {
		err := Register(c.name, c.f)
		if err == nil || (c.is != nil && !errors.Is(err, c.is)) {
			t.Errorf("Register(%q): error %v, want one wrapping %v", c.name, err, c.is)
		}
	}
	// A fromConfig that returns a nil loss is an error, not a nil Loss.
	if err := Register("test_register_nil_loss", func(map[string]any) (Loss, error) { return nil, nil }); err != nil {
		t.Fatal(err)
	}
	if l, err := Get("test_register_nil_loss"); err == nil {
		t.Errorf("nil loss: got %v", l)
	}
}

// Registration from many goroutines at once, beside lookups (run with
// -race to see the lock at work): every distinct name succeeds once.
func TestRegisterConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("test_concurrent_%d", i%8)
			errs[i] = Register(name, scaledFromConfig(name))
			_, _ = Get("mse")
			_ = Names()
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !errors.Is(err, ErrRegistered) {
			t.Error(err)
		}
	}
	if ok != 8 {
		t.Errorf("%d registrations succeeded, want 8", ok)
	}
}
