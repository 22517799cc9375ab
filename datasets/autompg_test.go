package datasets

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestLoadAutoMPG(t *testing.T) {
	a, err := LoadAutoMPG()
	if err != nil {
		t.Fatal(err)
	}
	// Count independently in the raw file: records with no null field.
	var raw []map[string]any
	if err := json.Unmarshal(carsJSON, &raw); err != nil {
		t.Fatal(err)
	}
	complete := 0
	for _, r := range raw {
		ok := true
		for _, v := range r {
			ok = ok && v != nil
		}
		if ok {
			complete++
		}
	}
	if len(raw) != 406 || complete != 392 {
		t.Fatalf("raw file: %d records, %d complete; SOURCES.md says 406 and 392", len(raw), complete)
	}
	if a.Len() != 392 || len(a.Names) != 392 {
		t.Fatalf("%d rows, %d names, want 392 (TensorFlow's tutorial after dropna)", a.Len(), len(a.Names))
	}
	if !slices.Equal(a.Columns, AutoMPGColumns) {
		t.Errorf("columns %q", a.Columns)
	}
	// Rows read from cars.json by eye: its first and last records, and
	// the first record after one that lacks MPG.
	cases := []struct {
		row  int
		name string
		want []float64
	}{
		{0, "chevrolet chevelle malibu", []float64{18, 8, 307, 130, 3504, 12, 70, 1}},
		{391, "chevy s-10", []float64{31, 4, 119, 82, 2720, 19.4, 82, 1}},
	}
	for _, tc := range cases {
		if a.Names[tc.row] != tc.name || !slices.Equal(a.Rows[tc.row], tc.want) {
			t.Errorf("row %d = %s %v, want %s %v", tc.row, a.Names[tc.row], a.Rows[tc.row], tc.name, tc.want)
		}
	}
	// Origin counts of the 392 cars: 245 USA, 68 Europe, 79 Japan.
	origin, _ := a.Column("Origin")
	counts := map[float64]int{}
	for _, o := range origin {
		counts[o]++
	}
	if counts[1] != 245 || counts[2] != 68 || counts[3] != 79 {
		t.Errorf("origin counts %v", counts)
	}
	// Every kept row is in the raw file, in order.
	k := 0
	for _, r := range raw {
		if k < len(a.Names) && r["Name"] == a.Names[k] && r["Miles_per_Gallon"] != nil && r["Horsepower"] != nil {
			if r["Weight_in_lbs"].(float64) != a.Rows[k][4] {
				t.Fatalf("row %d weight %v, raw %v", k, a.Rows[k][4], r["Weight_in_lbs"])
			}
			k++
		}
	}
	if k != 392 {
		t.Errorf("only %d rows matched the raw records in order", k)
	}
}

func TestAutoMPGOneHotAndTensors(t *testing.T) {
	a, err := LoadAutoMPG()
	if err != nil {
		t.Fatal(err)
	}
	h, err := a.OneHotOrigin()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"MPG", "Cylinders", "Displacement", "Horsepower", "Weight", "Acceleration", "Model Year", "Europe", "Japan", "USA"}
	if !slices.Equal(h.Columns, want) {
		t.Fatalf("columns %q, want the tutorial's %q", h.Columns, want)
	}
	for i, r := range h.Rows {
		o := a.Rows[i][7]
		hot := []float64{b2f(o == 2), b2f(o == 3), b2f(o == 1)}
		if !slices.Equal(r[7:], hot) || !slices.Equal(r[:7], a.Rows[i][:7]) {
			t.Fatalf("row %d: %v from %v", i, r, a.Rows[i])
		}
	}
	if a.Index("Origin") != 7 {
		t.Error("OneHotOrigin changed its receiver")
	}
	if _, err := h.OneHotOrigin(); err == nil {
		t.Error("OneHotOrigin twice: no error")
	}
	x, y, err := h.Tensors("MPG")
	if err != nil {
		t.Fatal(err)
	}
	wantShape(t, "x", x, 392, 9)
	wantShape(t, "y", y, 392, 1)
	if got := f32(t, x)[:9]; !slices.Equal(got, []float32{8, 307, 130, 3504, 12, 70, 0, 0, 1}) {
		t.Errorf("first features %v", got)
	}
	if f32(t, y)[0] != 18 {
		t.Errorf("first label %v", f32(t, y)[0])
	}
	if _, _, err := h.Tensors("Price"); err == nil || !strings.Contains(err.Error(), "Price") {
		t.Errorf("unknown label: %v", err)
	}

	train, test := a.TutorialSplit()
	if train.Len() != 314 || test.Len() != 78 {
		t.Fatalf("split %d/%d, want 314/78 (pandas sample(frac=0.8))", train.Len(), test.Len())
	}
	// Together the two parts hold every row once: count the rows of the
	// table, then take the parts' rows off.
	left := map[string]int{}
	for i, n := range a.Names {
		left[n+fmtRow(a.Rows[i])]++
	}
	for _, part := range []*AutoMPG{train, test} {
		for i, n := range part.Names {
			left[n+fmtRow(part.Rows[i])]--
		}
	}
	for k, c := range left {
		if c != 0 {
			t.Errorf("row %s: count off by %d between the table and its split", k, c)
		}
	}
	// The first training row is position perm[0] of RandomState(0).permutation(392).
	perm := iota(392)
	numpyShuffle(0, 392, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	if train.Names[0] != a.Names[perm[0]] || !slices.Equal(train.Rows[0], a.Rows[perm[0]]) {
		t.Errorf("first training row %s, want %s", train.Names[0], a.Names[perm[0]])
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func fmtRow(r []float64) string {
	s, _ := json.Marshal(r)
	return string(s)
}
