package main

import "testing"

// Small settings: 20 epochs (about a second). The LSTM must beat the "same as
// yesterday" forecast on the test days (issue 11), and every error must
// be a plausible number of degrees.
func TestRun(t *testing.T) {
	res, err := run(20, 32, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 4 {
		t.Fatalf("got %d results, want naive, Dense, LSTM, GRU", len(res))
	}
	for _, r := range res {
		t.Logf("%-18s %.3f", r.Model, r.MAE)
		if !(r.MAE > 0.5 && r.MAE < 10) {
			t.Errorf("%s: MAE %.3f °C is not plausible", r.Model, r.MAE)
		}
	}
	if naive, lstm := res[0].MAE, res[2].MAE; lstm >= naive {
		t.Errorf("LSTM MAE %.3f does not beat same-as-yesterday %.3f", lstm, naive)
	}
}
