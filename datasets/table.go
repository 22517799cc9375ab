package datasets

import (
	"fmt"
	"slices"

	"gorgonia.org/tensor"
)

// Table is a small numeric table, as a pandas DataFrame of float columns:
// Columns names the columns and every row of Rows holds one value per
// column, in that order.
type Table struct {
	Columns []string
	Rows    [][]float64
}

// Len returns the number of rows.
func (t *Table) Len() int { return len(t.Rows) }

// Index returns the position of the named column, or -1.
func (t *Table) Index(name string) int { return slices.Index(t.Columns, name) }

// Column returns a copy of the named column's values.
func (t *Table) Column(name string) ([]float64, error) {
	j := t.Index(name)
	if j < 0 {
		return nil, argError("Table.Column", "no column %q; the columns are %q", name, t.Columns)
	}
	out := make([]float64, len(t.Rows))
	for i, r := range t.Rows {
		out[i] = r[j]
	}
	return out, nil
}

// Tensors splits the table into features and a target, as TensorFlow's
// tutorials pop the label column off a DataFrame: x holds every column
// but label, in order, as float32 of shape (rows, columns-1), and y the
// label column as float32 of shape (rows, 1). An empty label gives every
// column in x and a nil y.
func (t *Table) Tensors(label string) (x, y *tensor.Dense, err error) {
	const fn = "Table.Tensors"
	j := -1
	if label != "" {
		if j = t.Index(label); j < 0 {
			return nil, nil, argError(fn, "no column %q; the columns are %q", label, t.Columns)
		}
	}
	n := len(t.Rows)
	if n == 0 {
		return nil, nil, argError(fn, "the table has no rows")
	}
	nf := len(t.Columns)
	if j >= 0 {
		nf--
	}
	if nf == 0 {
		return nil, nil, argError(fn, "no feature columns are left besides %q", label)
	}
	xs := make([]float32, 0, n*nf)
	var ys []float32
	for i, r := range t.Rows {
		if len(r) != len(t.Columns) {
			return nil, nil, fmt.Errorf("datasets.%s: row %d has %d values for %d columns", fn, i, len(r), len(t.Columns))
		}
		for k, v := range r {
			if k == j {
				ys = append(ys, float32(v))
			} else {
				xs = append(xs, float32(v))
			}
		}
	}
	x = dense32(xs, n, nf)
	if j >= 0 {
		y = dense32(ys, n, 1)
	}
	return x, y, nil
}

// subset returns the rows at idx, in that order, as a new table sharing
// no memory with t.
func (t *Table) subset(idx []int) Table {
	out := Table{Columns: slices.Clone(t.Columns), Rows: make([][]float64, len(idx))}
	for k, i := range idx {
		out.Rows[k] = slices.Clone(t.Rows[i])
	}
	return out
}
