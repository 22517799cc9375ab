package plots

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// LossCurve draws the per-epoch values of history (as History.History or
// Keras's history.history) against the epoch, numbered from 1, and writes
// the picture to path, in the format its extension names. keys chooses
// the curves; by default "loss" and, when present, "val_loss". Validation
// curves are dashed. Values that are NaN or infinite are left out.
//
// Options: Size (default 6x4 inches), Title (default "Model loss").
func LossCurve(path string, history map[string][]float64, keys ...string) (err error) {
	return lossCurve(path, history, keys, nil)
}

// LossCurveWith is LossCurve with options.
func LossCurveWith(path string, history map[string][]float64, keys []string, opts ...Option) error {
	return lossCurve(path, history, keys, opts)
}

func lossCurve(path string, history map[string][]float64, keys []string, opts []Option) (err error) {
	defer recoverTo(&err, "LossCurve "+path)
	cfg := newConfig(config{width: 6 * vg.Inch, height: 4 * vg.Inch, title: "Model loss"}, opts)
	format, err := formatOf(path)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		keys = []string{"loss"}
		if _, ok := history["val_loss"]; ok {
			keys = append(keys, "val_loss")
		}
	}
	available := strings.Join(slices.Sorted(maps.Keys(history)), ", ")
	p := plot.New()
	p.Title.Text = cfg.title
	p.X.Label.Text = "Epoch"
	p.Y.Label.Text = "Loss"
	for _, k := range keys {
		if !strings.Contains(k, "loss") {
			p.Y.Label.Text = "Value"
		}
	}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	drawn := 0
	for i, k := range keys {
		vals, ok := history[k]
		if !ok {
			return fmt.Errorf("plots: LossCurve: no %q in history (available: %s)", k, available)
		}
		xys := make(plotter.XYs, 0, len(vals))
		for e, v := range vals {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			xys = append(xys, plotter.XY{X: float64(e + 1), Y: v})
		}
		if len(xys) == 0 {
			continue
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return fmt.Errorf("plots: LossCurve: %s: %w", k, err)
		}
		line.Color = plotutil.Color(i)
		line.Width = vg.Points(1.5)
		if strings.HasPrefix(k, "val_") {
			line.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		}
		p.Add(line)
		p.Legend.Add(k, line)
		drawn++
	}
	if drawn == 0 {
		return fmt.Errorf("plots: LossCurve: nothing to draw for %v (available: %s)", keys, available)
	}
	w, err := p.WriterTo(cfg.width, cfg.height, format)
	if err != nil {
		return fmt.Errorf("plots: LossCurve: %w", err)
	}
	return writeAtomic(path, w)
}
