package datasets

import (
	"bytes"
	"slices"
	"testing"
	"time"
)

func TestLoadSeattleWeather(t *testing.T) {
	w, err := LoadSeattleWeather()
	if err != nil {
		t.Fatal(err)
	}
	// The raw file: a header and one line per day.
	if lines := bytes.Count(seattleCSV, []byte("\n")); lines != 1462 {
		t.Fatalf("raw file has %d lines, want 1462", lines)
	}
	if w.Len() != 1461 || len(w.Dates) != 1461 || len(w.Weather) != 1461 {
		t.Fatalf("%d rows, %d dates, %d labels; want 1461", w.Len(), len(w.Dates), len(w.Weather))
	}
	if !slices.Equal(w.Columns, SeattleWeatherColumns) {
		t.Errorf("columns %q", w.Columns)
	}
	// Lines of the raw file: the first two days and the last.
	cases := []struct {
		row     int
		date    string
		vals    []float64
		weather string
	}{
		{0, "2012-01-01", []float64{0.0, 12.8, 5.0, 4.7}, "drizzle"},
		{1, "2012-01-02", []float64{10.9, 10.6, 2.8, 4.5}, "rain"},
		{1460, "2015-12-31", []float64{0.0, 5.6, -2.1, 3.5}, "sun"},
	}
	for _, tc := range cases {
		if got := w.Dates[tc.row].Format(time.DateOnly); got != tc.date {
			t.Errorf("row %d date %s, want %s", tc.row, got, tc.date)
		}
		if !slices.Equal(w.Rows[tc.row], tc.vals) || w.Weather[tc.row] != tc.weather {
			t.Errorf("row %d = %v %s, want %v %s", tc.row, w.Rows[tc.row], w.Weather[tc.row], tc.vals, tc.weather)
		}
	}
	// Consecutive days, no gap (2012 is a leap year: 366 + 3*365 = 1461).
	for i := 1; i < len(w.Dates); i++ {
		if d := w.Dates[i].Sub(w.Dates[i-1]); d != 24*time.Hour {
			t.Fatalf("day %d follows day %d by %v", i, i-1, d)
		}
	}
	counts := map[string]int{}
	for _, l := range w.Weather {
		counts[l]++
	}
	want := map[string]int{"drizzle": 53, "fog": 101, "rain": 641, "snow": 26, "sun": 640} // cut -d, -f6 | sort | uniq -c
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("%s: %d days, want %d", k, counts[k], v)
		}
	}
	x, _, err := w.Tensors("")
	if err != nil {
		t.Fatal(err)
	}
	wantShape(t, "x", x, 1461, 4)
	tmax, err := w.Column("temp_max")
	if err != nil || tmax[1460] != 5.6 {
		t.Errorf("temp_max column: %v, last %v", err, tmax[len(tmax)-1])
	}
}
