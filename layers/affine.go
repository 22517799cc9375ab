package layers

// affine is the learned per-feature scale (gamma) and shift (beta) that
// BatchNormalization and LayerNormalization apply after normalizing,
// with the options and config keys they share.
type affine struct {
	center, scale     bool // learn beta, gamma
	betaInit          any
	gammaInit         any
	betaReg, gammaReg any

	gamma, beta *Weight // nil before Build and without Scale, Center
}

// newAffine takes the Center, Scale, initializer and regularizer options.
func newAffine(c config) affine {
	return affine{
		center: c.norm.center, scale: c.norm.scale,
		betaInit: c.norm.betaInit, gammaInit: c.norm.gammaInit,
		betaReg: c.norm.betaReg, gammaReg: c.norm.gammaReg,
	}
}

// affineFromConfig reads center, scale and gamma's and beta's
// initializers and regularizers, with Keras's defaults.
func affineFromConfig(cfg map[string]any) (affine, error) {
	center, err := cfgBool(cfg, "center", true)
	if err != nil {
		return affine{}, err
	}
	scale, err := cfgBool(cfg, "scale", true)
	if err != nil {
		return affine{}, err
	}
	beta, err := cfgWeight(cfg, "beta_initializer", "beta_regularizer", "zeros")
	if err != nil {
		return affine{}, err
	}
	gamma, err := cfgWeight(cfg, "gamma_initializer", "gamma_regularizer", "ones")
	if err != nil {
		return affine{}, err
	}
	return affine{
		center: center, scale: scale,
		betaInit: beta[0], betaReg: beta[1], gammaInit: gamma[0], gammaReg: gamma[1],
	}, nil
}

// build creates gamma (with Scale) and beta (with Center) of the shape.
func (a *affine) build(layer string, shape []int) error {
	var err error
	a.gamma, a.beta = nil, nil
	if a.scale {
		if a.gamma, err = newWeight(layer, "gamma", shape, a.gammaInit, a.gammaReg); err != nil {
			return err
		}
	}
	if a.center {
		if a.beta, err = newWeight(layer, "beta", shape, a.betaInit, a.betaReg); err != nil {
			return err
		}
	}
	return nil
}

// weights returns gamma and beta, those there are, in Keras's order.
func (a *affine) weights() []*Weight {
	var ws []*Weight
	if a.gamma != nil {
		ws = append(ws, a.gamma)
	}
	if a.beta != nil {
		ws = append(ws, a.beta)
	}
	return ws
}

// config writes the keys of Keras's config for gamma and beta.
func (a *affine) config(m map[string]any) {
	m["center"] = a.center
	m["scale"] = a.scale
	m["beta_initializer"] = describe(a.betaInit)
	m["gamma_initializer"] = describe(a.gammaInit)
	m["beta_regularizer"] = describe(a.betaReg)
	m["gamma_regularizer"] = describe(a.gammaReg)
	m["beta_constraint"] = nil
	m["gamma_constraint"] = nil
}
