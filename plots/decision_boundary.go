package plots

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gorgonia.org/tensor"
)

// PredictFunc maps a batch of inputs of shape (n, 2) to the model's
// outputs: shape (n,) or (n, 1) for one probability, (n, k) for k class
// scores. A Keras-like model's Predict fits it.
type PredictFunc func(x *tensor.Dense) (*tensor.Dense, error)

// Panel is one model of a DecisionBoundaryGrid.
type Panel struct {
	Title   string
	Predict PredictFunc
}

// DecisionBoundary draws the regions a two-feature classifier assigns to
// each class and the points x coloured by their labels y, and writes the
// picture to path, in the format its extension names.
//
// x has shape (n, 2). y holds class indices, shape (n,) or (n, 1), or
// one-hot rows, shape (n, k). predict is called once with a grid of
// Resolution x Resolution points (default 200) covering the data's range
// widened by Margin (default 0.5) on each side, in x's dtype when that is
// float32 or float64; each grid point takes the argmax of its outputs, or
// class 1 when a single output is at least 0.5.
//
// Options: Size (default 5x5 inches), Title, Resolution, Margin.
func DecisionBoundary(path string, predict func(x *tensor.Dense) (*tensor.Dense, error), x, y *tensor.Dense, opts ...Option) (err error) {
	defer recoverTo(&err, "DecisionBoundary "+path)
	cfg := newConfig(config{width: 5 * vg.Inch, height: 5 * vg.Inch, resolution: 200, margin: 0.5}, opts)
	format, err := formatOf(path)
	if err != nil {
		return err
	}
	d, err := readData(x, y)
	if err != nil {
		return fmt.Errorf("plots: DecisionBoundary: %w", err)
	}
	p, err := boundaryPlot(predict, d, cfg, cfg.title)
	if err != nil {
		return fmt.Errorf("plots: DecisionBoundary: %w", err)
	}
	w, err := p.WriterTo(cfg.width, cfg.height, format)
	if err != nil {
		return fmt.Errorf("plots: DecisionBoundary: %w", err)
	}
	return writeAtomic(path, w)
}

// DecisionBoundaryGrid draws DecisionBoundary for several models of the
// same data in one picture, one panel per model titled Panel.Title, in
// rows of Columns panels (by default a square-ish grid), as the moons
// tutorial's picture per hidden-layer size. Size is each panel's size
// (default 5x5 inches).
func DecisionBoundaryGrid(path string, panels []Panel, x, y *tensor.Dense, opts ...Option) (err error) {
	defer recoverTo(&err, "DecisionBoundaryGrid "+path)
	cfg := newConfig(config{width: 5 * vg.Inch, height: 5 * vg.Inch, resolution: 200, margin: 0.5}, opts)
	format, err := formatOf(path)
	if err != nil {
		return err
	}
	if len(panels) == 0 {
		return fmt.Errorf("plots: DecisionBoundaryGrid: no panels")
	}
	d, err := readData(x, y)
	if err != nil {
		return fmt.Errorf("plots: DecisionBoundaryGrid: %w", err)
	}
	cols := cfg.columns
	if cols <= 0 {
		cols = int(math.Ceil(math.Sqrt(float64(len(panels)))))
	}
	cols = min(cols, len(panels))
	rows := (len(panels) + cols - 1) / cols
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
	}
	for i, pn := range panels {
		p, err := boundaryPlot(pn.Predict, d, cfg, pn.Title)
		if err != nil {
			return fmt.Errorf("plots: DecisionBoundaryGrid: panel %d (%q): %w", i, pn.Title, err)
		}
		grid[i/cols][i%cols] = p
	}
	c, err := draw.NewFormattedCanvas(cfg.width*vg.Length(cols), cfg.height*vg.Length(rows), format)
	if err != nil {
		return fmt.Errorf("plots: DecisionBoundaryGrid: %w", err)
	}
	tiles := draw.Tiles{
		Rows: rows, Cols: cols,
		PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2,
		PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2,
	}
	canvases := plot.Align(grid, tiles, draw.New(c))
	for r := range grid {
		for col, p := range grid[r] {
			if p != nil {
				p.Draw(canvases[r][col])
			}
		}
	}
	return writeAtomic(path, c)
}

// data is the two-feature points and their classes.
type data struct {
	xs, ys []float64
	labels []int
	dtype  tensor.Dtype
}

func readData(x, y *tensor.Dense) (data, error) {
	xv, xs, err := float64s(x)
	if err != nil {
		return data{}, fmt.Errorf("x: %w", err)
	}
	if len(xs) != 2 || xs[1] != 2 {
		return data{}, fmt.Errorf("x: want shape (n, 2) for two features, got %v", xs)
	}
	n := xs[0]
	if n == 0 {
		return data{}, fmt.Errorf("x: no samples")
	}
	yv, ys, err := float64s(y)
	if err != nil {
		return data{}, fmt.Errorf("y: %w", err)
	}
	labels, err := classes(yv, ys, n, false)
	if err != nil {
		return data{}, fmt.Errorf("y: %w", err)
	}
	d := data{xs: make([]float64, n), ys: make([]float64, n), labels: labels, dtype: tensor.Float64}
	if x.Dtype() == tensor.Float32 {
		d.dtype = tensor.Float32
	}
	for i := range n {
		d.xs[i], d.ys[i] = xv[2*i], xv[2*i+1]
		if math.IsNaN(d.xs[i]) || math.IsNaN(d.ys[i]) || math.IsInf(d.xs[i], 0) || math.IsInf(d.ys[i], 0) {
			return data{}, fmt.Errorf("x: row %d is not finite", i)
		}
	}
	return d, nil
}

func span(v []float64, margin float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, a := range v {
		lo, hi = math.Min(lo, a), math.Max(hi, a)
	}
	lo, hi = lo-margin, hi+margin
	if hi <= lo {
		lo, hi = lo-0.5, hi+0.5
	}
	return lo, hi
}

// strong and light are the colours of class k's points and region.
func strong(k int) color.Color { return plotutil.Color(k) }

func light(k int) color.RGBA {
	r, g, b, _ := plotutil.Color(k).RGBA()
	mix := func(c uint32) uint8 { return uint8((float64(c>>8)*0.35 + 255*0.65)) }
	return color.RGBA{mix(r), mix(g), mix(b), 255}
}

func boundaryPlot(predict PredictFunc, d data, cfg config, title string) (*plot.Plot, error) {
	if predict == nil {
		return nil, fmt.Errorf("nil predict function")
	}
	res := cfg.resolution
	if res < 2 {
		res = 2
	}
	x0, x1 := span(d.xs, cfg.margin)
	y0, y1 := span(d.ys, cfg.margin)
	dx, dy := (x1-x0)/float64(res), (y1-y0)/float64(res)
	// Row r of the grid is image row r, which is drawn at the top, so it
	// takes the largest y.
	grid := make([]float64, 0, 2*res*res)
	for r := range res {
		yv := y1 - (float64(r)+0.5)*dy
		for c := range res {
			grid = append(grid, x0+(float64(c)+0.5)*dx, yv)
		}
	}
	var in *tensor.Dense
	if d.dtype == tensor.Float32 {
		g32 := make([]float32, len(grid))
		for i, v := range grid {
			g32[i] = float32(v)
		}
		in = tensor.New(tensor.WithShape(res*res, 2), tensor.WithBacking(g32))
	} else {
		in = tensor.New(tensor.WithShape(res*res, 2), tensor.WithBacking(grid))
	}
	out, err := predict(in)
	if err != nil {
		return nil, fmt.Errorf("predict: %w", err)
	}
	ov, oshape, err := float64s(out)
	if err != nil {
		return nil, fmt.Errorf("predict output: %w", err)
	}
	pred, err := classes(ov, oshape, res*res, true)
	if err != nil {
		return nil, fmt.Errorf("predict output for %d grid points: %w", res*res, err)
	}
	img := image.NewRGBA(image.Rect(0, 0, res, res))
	for i, k := range pred {
		img.SetRGBA(i%res, i/res, light(k))
	}

	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "x1"
	p.Y.Label.Text = "x2"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = x0, x1, y0, y1
	p.Add(plotter.NewImage(img, x0, y0, x1, y1))

	nClasses := 0
	for _, k := range d.labels {
		nClasses = max(nClasses, k+1)
	}
	for k := range nClasses {
		var pts plotter.XYs
		for i, l := range d.labels {
			if l == k {
				pts = append(pts, plotter.XY{X: d.xs[i], Y: d.ys[i]})
			}
		}
		if len(pts) == 0 {
			continue
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle.Color = strong(k)
		s.GlyphStyle.Shape = draw.CircleGlyph{}
		s.GlyphStyle.Radius = vg.Points(2.5)
		// A dark ring keeps each point visible on its own class's region.
		ring, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		ring.GlyphStyle = draw.GlyphStyle{Color: color.Gray{Y: 40}, Shape: draw.RingGlyph{}, Radius: vg.Points(2.5)}
		p.Add(s, ring)
		p.Legend.Add(fmt.Sprintf("class %d", k), s)
	}
	p.Legend.Top = true
	return p, nil
}
