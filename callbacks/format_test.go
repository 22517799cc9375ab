package callbacks

import (
	"math"
	"testing"
)

func TestFormatTemplate(t *testing.T) {
	// Each want is what Python 3 prints for tmpl.format(**vals), e.g.
	// "{epoch:02d}-{val_loss:.2f}".format(epoch=3, val_loss=0.123456).
	vals := map[string]pyValue{
		"epoch":    {f: 3, isInt: true},
		"val_loss": {f: 0.123456},
		"loss":     {f: 1.5},
		"acc":      {f: 0.91234},
		"tiny":     {f: 1.5e-5},
		"neg":      {f: -2.25},
		"nan":      {f: math.NaN()},
	}
	tests := []struct{ tmpl, want string }{
		{"weights.{epoch}.h5", "weights.3.h5"},
		{"{epoch:02d}-{val_loss:.2f}.keras", "03-0.12.keras"},
		{"{epoch:03}", "003"},
		{"{loss}", "1.5"},
		{"{val_loss}", "0.123456"},
		{"{tiny}", "1.5e-05"},
		{"{tiny:.2e}", "1.50e-05"},
		{"{acc:.1%}", "91.2%"},
		{"{loss:f}", "1.500000"},
		{"{loss:g}", "1.5"},
		{"{neg:+.1f}", "-2.2"},
		{"{loss:+.1f}", "+1.5"},
		{"{loss:>6.2f}|{loss:<6.2f}|{loss:^7.1f}", "  1.50|1.50  |  1.5  "},
		{"{neg:08.3f}", "-002.250"},
		{"{loss:*>6}", "***1.5"},
		{"{nan:.2f}", "nan"},
		{"{{literal}}-{epoch}", "{literal}-3"},
	}
	for _, tc := range tests {
		got, err := formatTemplate(tc.tmpl, vals)
		if err != nil || got != tc.want {
			t.Errorf("format(%q) = %q, %v; want %q", tc.tmpl, got, err, tc.want)
		}
	}
	for _, bad := range []string{"{missing}", "{loss:d}", "{epoch:.2d}", "{loss", "a}b", "{loss:q}", "{loss:.f}"} {
		if got, err := formatTemplate(bad, vals); err == nil {
			t.Errorf("format(%q) = %q, want an error", bad, got)
		}
	}
}

func TestPyRepr(t *testing.T) {
	// Python 3 repr(float).
	tests := []struct {
		v    float64
		want string
	}{
		{0.1, "0.1"}, {1, "1.0"}, {-2, "-2.0"}, {0, "0.0"}, {1e-4, "0.0001"},
		{1e-5, "1e-05"}, {123456789.0, "123456789.0"}, {1e16, "1e+16"},
		{1.2345678901234567, "1.2345678901234567"}, {math.NaN(), "nan"}, {math.Inf(-1), "-inf"},
	}
	for _, tc := range tests {
		if got := pyRepr(tc.v); got != tc.want {
			t.Errorf("pyRepr(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestKerasNumber(t *testing.T) {
	// keras/src/utils/progbar.py: f"{avg:.4f}" when abs(avg) > 1e-3 (the
	// verbose 2 line tests avg > 1e-3), else f"{avg:.4e}".
	tests := []struct {
		v      float64
		signed bool
		want   string
	}{
		{0.12345, false, "0.1235"}, {0.9, false, "0.9000"}, {12.5, false, "12.5000"},
		{0.00012345, false, "1.2345e-04"}, {-0.5, false, "-0.5000"}, {-0.5, true, "-5.0000e-01"},
		{0, true, "0.0000e+00"}, {math.NaN(), false, "nan"},
	}
	for _, tc := range tests {
		if got := kerasNumber(tc.v, tc.signed); got != tc.want {
			t.Errorf("kerasNumber(%v, %v) = %q, want %q", tc.v, tc.signed, got, tc.want)
		}
	}
}
