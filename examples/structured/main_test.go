package main

import (
	"strings"
	"testing"
)

// A short run beats always guessing the majority class and prints the
// functional model's summary with its Concatenate layer.
func TestRun(t *testing.T) {
	res, err := run(8, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Accuracy <= res.Majority {
		t.Errorf("test accuracy %.4f does not beat the majority class's %.4f", res.Accuracy, res.Majority)
	}
	for _, want := range []string{`Model: "rain_tomorrow"`, "concatenate (Concatenate)", "input_layer[0][0],", "dense_1[0][0]", "Connected to"} {
		if !strings.Contains(res.Summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, res.Summary)
		}
	}
}
