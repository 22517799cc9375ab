package hdf5

import (
	"fmt"
	"sort"
	"strings"
)

// dumpSkipping writes every group, dataset and attribute below g in h5py's
// visititems order, one line each, in the format of testdata/h5dump.py, so
// the two can be compared. seen holds the groups visited (hard links can form
// cycles); members whose path is in skip are left out.
func dumpSkipping(g *Group, b *strings.Builder, seen map[uint64]bool, skip map[string]bool) error {
	if seen[g.addr] {
		return nil
	}
	seen[g.addr] = true
	if err := dumpAttrs(g, b); err != nil {
		return err
	}
	kids, err := g.Children()
	if err != nil {
		return err
	}
	for _, c := range kids {
		if skip[join(g.Name(), c.Name)] {
			continue
		}
		o, err := g.Lookup(c.Name)
		if err != nil {
			return err
		}
		switch o := o.(type) {
		case *Group:
			fmt.Fprintf(b, "group %s\n", o.Name())
			if err := dumpSkipping(o, b, seen, skip); err != nil {
				return err
			}
		case *Dataset:
			fmt.Fprintf(b, "dataset %s %s %v", o.Name(), o.Dtype(), fmtShape(o.Shape()))
			if o.Dtype().IsString() {
				s, err := o.ReadStrings()
				if err != nil {
					return err
				}
				fmt.Fprintf(b, " %q\n", s)
			} else if o.Dtype().Class == ClassOpaque {
				raw, err := o.ReadRaw()
				if err != nil {
					return err
				}
				var hexes []string
				for i := 0; i < len(raw); i += o.Dtype().Size {
					hexes = append(hexes, fmt.Sprintf("%x", raw[i:i+o.Dtype().Size]))
				}
				fmt.Fprintf(b, " [%s]\n", strings.Join(hexes, " "))
			} else {
				xs, err := o.ReadFloat64()
				if err != nil {
					return err
				}
				fmt.Fprintf(b, " %s\n", fmtFloats(xs))
			}
			if err := dumpAttrs(o, b); err != nil {
				return err
			}
		}
	}
	return nil
}

func dumpAttrs(o Object, b *strings.Builder) error {
	attrs, err := o.Attrs()
	if err != nil {
		return err
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].Name < attrs[j].Name })
	for _, a := range attrs {
		v := a.Value
		fmt.Fprintf(b, "attr %s %s %s %v", o.Name(), a.Name, v.Dtype(), fmtShape(v.Shape()))
		if v.IsString() {
			s, _ := v.Strings()
			fmt.Fprintf(b, " %q\n", s)
		} else {
			xs, err := v.Float64s()
			if err != nil {
				return err
			}
			fmt.Fprintf(b, " %s\n", fmtFloats(xs))
		}
	}
	return nil
}

func fmtShape(s []int) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = fmt.Sprint(v)
	}
	return "(" + strings.Join(parts, ",") + ")"
}

func fmtFloats(xs []float64) string {
	parts := make([]string, len(xs))
	for i, v := range xs {
		parts[i] = fmt.Sprintf("%.9g", v)
	}
	return "[" + strings.Join(parts, " ") + "]"
}
