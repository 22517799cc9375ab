package datasets

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
)

//go:embed data/cars.json
var carsJSON []byte

// AutoMPGColumns are the columns of LoadAutoMPG's table, named as
// TensorFlow's "Basic regression" tutorial names them.
var AutoMPGColumns = []string{"MPG", "Cylinders", "Displacement", "Horsepower", "Weight", "Acceleration", "Model Year", "Origin"}

// AutoMPG is the Auto MPG data set: fuel consumption and seven
// attributes of cars of the model years 1970 to 1982. Table holds the
// numbers; Names[i] is row i's car ("chevrolet chevelle malibu").
type AutoMPG struct {
	Table
	Names []string
}

// LoadAutoMPG returns the Auto MPG data set as TensorFlow's "Basic
// regression" tutorial reads it, with the rows that lack a value dropped
// (its dataset.dropna()): 392 cars, in the file's order. The columns are
// AutoMPGColumns: MPG (miles per US gallon), Cylinders, Displacement
// (cubic inches), Horsepower, Weight (lbs), Acceleration (seconds from 0
// to 60 mph), Model Year (70 for 1970) and Origin (1 USA, 2 Europe,
// 3 Japan, as the UCI file codes it). Use OneHotOrigin for the tutorial's
// one-hot origin columns, TutorialSplit for its train/test split and
// Tensors("MPG") for the features and labels.
//
// The data is embedded in the package (datasets/data/cars.json, from
// vega-datasets; the records of the StatLib archive, the same as UCI's
// "Auto MPG"; see datasets/data/SOURCES.md for origin and terms), so no
// network is needed. This copy has no model year 81: the cars UCI dates
// 81 are dated 82 here.
func LoadAutoMPG() (*AutoMPG, error) {
	var recs []struct {
		Name         string
		MPG          *float64 `json:"Miles_per_Gallon"`
		Cylinders    *float64
		Displacement *float64
		Horsepower   *float64
		Weight       *float64 `json:"Weight_in_lbs"`
		Acceleration *float64
		Year         string
		Origin       string
	}
	if err := json.Unmarshal(carsJSON, &recs); err != nil {
		return nil, fmt.Errorf("datasets.LoadAutoMPG: embedded cars.json: %w", err)
	}
	origins := map[string]float64{"USA": 1, "Europe": 2, "Japan": 3}
	a := &AutoMPG{Table: Table{Columns: slices.Clone(AutoMPGColumns)}}
	for i, r := range recs {
		vals := []*float64{r.MPG, r.Cylinders, r.Displacement, r.Horsepower, r.Weight, r.Acceleration}
		if slices.Contains(vals, nil) {
			continue
		}
		if len(r.Year) < 4 {
			return nil, fmt.Errorf("datasets.LoadAutoMPG: record %d (%s): year %q", i, r.Name, r.Year)
		}
		year, err := strconv.Atoi(r.Year[:4])
		if err != nil {
			return nil, fmt.Errorf("datasets.LoadAutoMPG: record %d (%s): year %q", i, r.Name, r.Year)
		}
		origin, ok := origins[r.Origin]
		if !ok {
			return nil, fmt.Errorf("datasets.LoadAutoMPG: record %d (%s): unknown origin %q", i, r.Name, r.Origin)
		}
		row := make([]float64, 0, len(AutoMPGColumns))
		for _, v := range vals {
			row = append(row, *v)
		}
		row = append(row, float64(year-1900), origin)
		a.Rows = append(a.Rows, row)
		a.Names = append(a.Names, r.Name)
	}
	return a, nil
}

// OneHotOrigin returns a copy of the table with the Origin column
// replaced by three 0/1 columns "Europe", "Japan" and "USA" appended at
// the end, as the tutorial's
// pd.get_dummies(dataset, columns=["Origin"], prefix="", prefix_sep="")
// after mapping 1, 2, 3 to USA, Europe, Japan (get_dummies orders them
// alphabetically). A table without an Origin column is an error.
func (a *AutoMPG) OneHotOrigin() (*AutoMPG, error) {
	j := a.Index("Origin")
	if j < 0 {
		return nil, argError("AutoMPG.OneHotOrigin", "no Origin column; the columns are %q", a.Columns)
	}
	cols := slices.Concat(a.Columns[:j:j], a.Columns[j+1:], []string{"Europe", "Japan", "USA"})
	out := &AutoMPG{Table: Table{Columns: cols}, Names: slices.Clone(a.Names)}
	for i, r := range a.Rows {
		o := r[j]
		if o != 1 && o != 2 && o != 3 {
			return nil, argError("AutoMPG.OneHotOrigin", "row %d has Origin %v, want 1, 2 or 3", i, o)
		}
		hot := []float64{0, 0, 0}
		hot[[4]int{1: 2, 2: 0, 3: 1}[int(o)]] = 1 // USA, Europe, Japan to the columns Europe, Japan, USA
		out.Rows = append(out.Rows, slices.Concat(r[:j:j], r[j+1:], hot))
	}
	return out, nil
}

// TutorialSplit splits the rows as the tutorial's
// dataset.sample(frac=0.8, random_state=0) and dataset.drop: the training
// part is the first round(0.8*n) positions of numpy's
// RandomState(0).permutation(n), in that order (pandas's sample draws
// them so), the test part the other rows in table order. For the 392
// rows of LoadAutoMPG that is 314 and 78 cars; they are the tutorial's
// own rows when this table lists the cars in the UCI file's order.
func (a *AutoMPG) TutorialSplit() (train, test *AutoMPG) {
	n := len(a.Rows)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	numpyShuffle(0, n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	k := int(math.RoundToEven(0.8 * float64(n)))
	trIdx := perm[:k]
	inTrain := make([]bool, n)
	for _, i := range trIdx {
		inTrain[i] = true
	}
	var teIdx []int
	for i := range n {
		if !inTrain[i] {
			teIdx = append(teIdx, i)
		}
	}
	pick := func(idx []int) *AutoMPG {
		out := &AutoMPG{Table: a.subset(idx)}
		if len(a.Names) == n {
			for _, i := range idx {
				out.Names = append(out.Names, a.Names[i])
			}
		}
		return out
	}
	return pick(trIdx), pick(teIdx)
}
