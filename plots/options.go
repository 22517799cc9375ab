package plots

import "gonum.org/v1/plot/vg"

// Option configures a picture.
type Option func(*config)

type config struct {
	width, height vg.Length
	title         string
	resolution    int
	margin        float64
	columns       int
}

func newConfig(c config, opts []Option) config {
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// Size sets the picture's size (for DecisionBoundaryGrid, each panel's).
// Defaults: LossCurve 6x4 inches, DecisionBoundary and each grid panel
// 5x5 inches. PNG pictures are drawn at 96 dots per inch.
func Size(width, height vg.Length) Option {
	return func(c *config) { c.width, c.height = width, height }
}

// Title sets the picture's title. Defaults: "Model loss" for LossCurve,
// none for DecisionBoundary; a grid panel's title is its Panel.Title.
func Title(t string) Option { return func(c *config) { c.title = t } }

// Resolution is the number of grid points per axis at which
// DecisionBoundary evaluates the model. Default 200.
func Resolution(n int) Option { return func(c *config) { c.resolution = n } }

// Margin is how far DecisionBoundary's grid extends beyond the data on
// each side, in data units. Default 0.5, as in the scikit-learn moons
// tutorials.
func Margin(m float64) Option { return func(c *config) { c.margin = m } }

// Columns is the number of panels per row in DecisionBoundaryGrid.
// Default: the smallest n with n*n >= panels.
func Columns(n int) Option { return func(c *config) { c.columns = n } }
