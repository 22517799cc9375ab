package configval

import (
	"math"
	"strings"
	"testing"
)

func TestNumber(t *testing.T) {
	tests := []struct {
		in      any
		want    float64
		wantErr string
	}{
		{0.5, 0.5, ""},
		{float32(0.25), 0.25, ""},
		{3, 3, ""},
		{int64(-7), -7, ""},
		{"0.5", 0, "expected a number, got string"},
		{nil, 0, "expected a number, got <nil>"},
		{math.NaN(), 0, "expected a finite number"},
		{math.Inf(1), 0, "expected a finite number"},
	}
	for _, tc := range tests {
		got, err := Number(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Number(%v) error %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Number(%v) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}
