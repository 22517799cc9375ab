package keras

import (
	"fmt"
	"strings"

	"github.com/gokeras/keras/layers"
)

// Summary returns the model's table in Keras 3's layout: each layer's
// name and type, output shape and parameter count (and, for a functional
// model, the tensors it is connected to), then the totals ("Total params:
// 23,860 (93.20 KB)", trainable and non-trainable). Before the input
// shape is known, shapes read "?" and counts "0 (unbuilt)", as in Keras.
func (m *Model) Summary() (out string) {
	defer func() {
		if r := recover(); r != nil {
			out = fmt.Sprintf("Model: %q\n (summary failed: %v)\n", m.name, r)
		}
	}()
	built := m.ensureBuilt() == nil
	widths := []int{33, 24, 15}
	header := []string{"Layer (type)", "Output Shape", "Param #"}
	if m.functional {
		widths = []int{31, 26, 16, 28}
		header = append(header, "Connected to")
	}
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
	row("┃", header...)
	line("┡", "╇", "┩", "━")
	for i, r := range m.summaryRows(built) {
		if i > 0 {
			line("├", "┼", "┤", "─")
		}
		cells := []string{r.name, r.shape, r.params}
		if m.functional {
			cells = append(cells, r.inbound[0])
		}
		row("│", cells...)
		for _, more := range r.inbound[min(1, len(r.inbound)):] {
			row("│", "", "", "", more)
		}
	}
	line("└", "┴", "┘", "─")
	trainable, frozen := 0, 0
	if built {
		on := m.trainable()
		for i, w := range m.weights {
			if on[i] {
				trainable += numel(w.Shape)
			} else {
				frozen += numel(w.Shape)
			}
		}
	}
	size := int(m.dtype.Size())
	fmt.Fprintf(&b, " Total params: %s (%s)\n", commas(trainable+frozen), memory((trainable+frozen)*size))
	fmt.Fprintf(&b, " Trainable params: %s (%s)\n", commas(trainable), memory(trainable*size))
	fmt.Fprintf(&b, " Non-trainable params: %s (%s)\n", commas(frozen), memory(frozen*size))
	return b.String()
}

type summaryRow struct {
	name, shape, params string
	inbound             []string
}

// summaryRows lists one row per layer: a Sequential model's layers as
// added (no InputLayer, as Keras), a functional model's in call order
// with the tensors each call reads ("dense[0][0]").
func (m *Model) summaryRows(built bool) []summaryRow {
	if !built {
		var rows []summaryRow
		for _, l := range m.Layers() {
			if _, ok := l.(*layers.InputLayer); !ok {
				rows = append(rows, summaryRow{name: fmt.Sprintf("%s (%s)", l.Name(), l.ClassName()), shape: "?", params: "0 (unbuilt)", inbound: []string{"-"}})
			}
		}
		return rows
	}
	// Each tensor's Keras name: layer[call][0].
	tensorName := map[*Tensor]string{}
	for _, in := range m.inputs {
		tensorName[in] = in.InputLayer.Name() + "[0][0]"
	}
	callsOf := map[layers.Layer][]*call{}
	for _, c := range m.calls {
		tensorName[c.output] = fmt.Sprintf("%s[%d][0]", c.layer.Name(), len(callsOf[c.layer]))
		callsOf[c.layer] = append(callsOf[c.layer], c)
	}
	var rows []summaryRow
	for _, l := range m.graphLayers {
		r := summaryRow{name: fmt.Sprintf("%s (%s)", l.Name(), l.ClassName()), params: commas(countParams(l))}
		cs := callsOf[l]
		if len(cs) == 0 { // an input
			if !m.functional {
				continue
			}
			r.shape, r.inbound = batchShape(l.InputShape()), []string{"-"}
			rows = append(rows, r)
			continue
		}
		r.shape = batchShape(cs[0].output.shape)
		for _, c := range cs {
			for _, t := range c.inputs {
				r.inbound = append(r.inbound, tensorName[t])
			}
		}
		for i := range r.inbound[:len(r.inbound)-1] {
			r.inbound[i] += ","
		}
		rows = append(rows, r)
	}
	return rows
}

// CountParams returns the number of weights' values, as Keras's
// model.count_params(), or 0 while the input shape is unknown.
func (m *Model) CountParams() (n int) {
	defer func() {
		if recover() != nil {
			n = 0
		}
	}()
	if m.ensureBuilt() != nil {
		return 0
	}
	for _, w := range m.weights {
		n += numel(w.Shape)
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
