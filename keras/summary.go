package keras

import (
	"fmt"
	"strings"

	"github.com/gokeras/keras/layers"
)

// Summary returns the model's table in Keras 3's layout: each layer's
// name and type, output shape and parameter count, then the totals
// ("Total params: 23,860 (93.20 KB)"). Before the input shape is known,
// shapes read "?" and counts "0 (unbuilt)", as in Keras.
func (m *Model) Summary() string {
	built := m.ensureBuilt() == nil
	widths := []int{33, 24, 15}
	var b strings.Builder
	fmt.Fprintf(&b, "Model: %q\n", m.name)
	line := func(l, mid, r, fill string) {
		b.WriteString(l)
		for i, w := range widths {
			if i > 0 {
				b.WriteString(mid)
			}
			b.WriteString(strings.Repeat(fill, w))
		}
		b.WriteString(r + "\n")
	}
	row := func(sep string, cells ...string) {
		b.WriteString(sep)
		for i, c := range cells {
			if i == 2 {
				fmt.Fprintf(&b, " %*s %s", widths[i]-2, c, sep)
			} else {
				fmt.Fprintf(&b, " %-*s %s", widths[i]-2, c, sep)
			}
		}
		b.WriteString("\n")
	}
	line("┏", "┳", "┓", "━")
	row("┃", "Layer (type)", "Output Shape", "Param #")
	line("┡", "╇", "┩", "━")
	total := 0
	first := true
	for i, l := range m.layers {
		if _, ok := l.(*layers.InputLayer); ok {
			continue
		}
		if !first {
			line("├", "┼", "┤", "─")
		}
		first = false
		shape, params := "?", "0 (unbuilt)"
		if built {
			shape = batchShape(m.shapes[i])
			n := countParams(l)
			total += n
			params = commas(n)
		}
		row("│", fmt.Sprintf("%s (%s)", l.Name(), l.ClassName()), shape, params)
	}
	line("└", "┴", "┘", "─")
	size := m.dtype.Size()
	fmt.Fprintf(&b, " Total params: %s (%s)\n", commas(total), memory(total*int(size)))
	fmt.Fprintf(&b, " Trainable params: %s (%s)\n", commas(total), memory(total*int(size)))
	fmt.Fprintf(&b, " Non-trainable params: 0 (%s)\n", memory(0))
	return b.String()
}

// CountParams returns the number of weights' values, as Keras's
// model.count_params(), or 0 while the input shape is unknown.
func (m *Model) CountParams() int {
	if m.ensureBuilt() != nil {
		return 0
	}
	n := 0
	for _, l := range m.layers {
		n += countParams(l)
	}
	return n
}

func countParams(l layers.Layer) int {
	n := 0
	for _, w := range l.Weights() {
		n += numel(w.Shape)
	}
	return n
}

func batchShape(s []int) string {
	parts := []string{"None"}
	for _, d := range s {
		parts = append(parts, fmt.Sprint(d))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// commas writes n with thousands separators: 23860 -> "23,860".
func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// memory writes a byte count as Keras does: "93.20 KB".
func memory(bytes int) string {
	units := []string{"B", "KB", "MB", "GB", "TB"}
	v := float64(bytes)
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return fmt.Sprintf("%.2f %s", v, units[i])
}
