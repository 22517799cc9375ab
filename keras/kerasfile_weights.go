package keras

import (
	"archive/zip"
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gokeras/keras/internal/hdf5"
	"github.com/gokeras/keras/internal/kconfig"
	"github.com/gokeras/keras/layers"
	"gorgonia.org/tensor"
)

// weightSource gives the variables a weights file holds for each layer.
type weightSource interface {
	// layer returns the variables of the layer at path ("dense_1",
	// "encoder/dense" for a nested model's), in the file's order; none
	// when the file holds none for it.
	layer(path string) ([]fileVar, error)
	// holds reports whether the file has variables for a layer under
	// prefix ("" for any).
	holds(prefix string) bool
	// paths lists the layers the file holds variables for.
	paths() []string
}

// fileVar is one variable of a layer in a weights file: its normalized
// key (see varKey) and its dataset.
type fileVar struct {
	key string
	ds  *hdf5.Dataset
}

func (v fileVar) shape() []int { return v.ds.Shape() }

// read reads the variable as a tensor of dtype dt, refusing NaN, ±Inf and
// values beyond float32's range in a float32 model.
func (v fileVar) read(dt tensor.Dtype) (*tensor.Dense, error) {
	shape := v.ds.Shape()
	if len(shape) == 0 {
		shape = []int{}
	}
	name := strings.TrimPrefix(v.ds.Name(), "/")
	var backing any
	var bad int = -1
	if dt == tensor.Float64 {
		x, err := v.ds.ReadFloat64()
		if err != nil {
			return nil, fileErr(name, err)
		}
		for i, f := range x {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				bad = i
				break
			}
		}
		backing = x
	} else {
		x, err := v.ds.ReadFloat32()
		if err != nil {
			return nil, fileErr(name, err)
		}
		for i, f := range x {
			if f != f || math.IsInf(float64(f), 0) {
				bad = i
				break
			}
		}
		backing = x
	}
	if bad >= 0 {
		return nil, badFile("%s: value %d is not finite (NaN or ±Inf)", name, bad)
	}
	if len(shape) == 0 {
		return tensor.New(tensor.FromScalar(scalarOf(backing))), nil
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(backing)), nil
}

func scalarOf(b any) any {
	switch x := b.(type) {
	case []float32:
		return x[0]
	case []float64:
		return x[0]
	}
	return nil
}

// keras3Weights is a Keras 3 model.weights.h5 (or .weights.h5) read by
// the groups kconfig.WeightPaths names; tf.keras 2.13's variant keeps
// each layer under _layer_checkpoint_dependencies/<layer name>.
type keras3Weights struct {
	byLayer map[string][]fileVar
	order   []string
}

// checkpointDeps is tf.keras 2.13's group of a model's layers.
const checkpointDeps = "_layer_checkpoint_dependencies"

// keras3Source reads the variables of every layer of km in f.
func keras3Source(f *hdf5.File, km *kconfig.Model) (*keras3Weights, error) {
	groups, err := kconfig.WeightPaths(km)
	if err != nil {
		return nil, fileErr("weights layout", err)
	}
	tf213 := !f.Root().Has("layers") && f.Root().Has(checkpointDeps)
	src := &keras3Weights{byLayer: map[string][]fileVar{}}
	for _, vg := range groups {
		path := vg.Path
		if tf213 {
			path = tf213Path(vg)
		}
		if !f.Root().Has(path) {
			continue
		}
		g, err := f.Root().Group(path)
		if err != nil {
			return nil, fileErr(path, err)
		}
		vars, err := numberedVars(g, path)
		if err != nil {
			return nil, err
		}
		if len(vars) == 0 {
			continue
		}
		if vg.Known && len(vg.Vars) != len(vars) {
			return nil, badFile("%s holds %d variables; a %s has %d (%s)", path, len(vars), vg.Class, len(vg.Vars), strings.Join(vg.Vars, ", "))
		}
		if vg.Layer == "" {
			return nil, unsupported("%s: variables of the model itself", path)
		}
		var part []string
		if vg.Part != "" {
			part = strings.Split(vg.Part, "/")
		}
		for i, ds := range vars {
			name := "#" + strconv.Itoa(i)
			if vg.Known {
				name = vg.Vars[i]
			}
			vars := &src.byLayer
			if (*vars)[vg.Layer] == nil {
				src.order = append(src.order, vg.Layer)
			}
			(*vars)[vg.Layer] = append((*vars)[vg.Layer], fileVar{key: varKey(append(slices.Clone(part), name)), ds: ds})
		}
	}
	return src, nil
}

// tf213Path is where tf.keras 2.13 keeps a group: each
// "layers/<snake_class>" of the Keras 3 path is
// "_layer_checkpoint_dependencies/<layer name>".
func tf213Path(vg kconfig.VarGroup) string {
	names := strings.Split(vg.Layer, "/")
	segs := strings.Split(vg.Path, "/")
	k := 0
	for i := 0; i+1 < len(segs); i++ {
		if segs[i] == "layers" && k < len(names) {
			segs[i], segs[i+1] = checkpointDeps, names[k]
			k++
			i++
		}
	}
	return strings.Join(segs, "/")
}

// numberedVars returns the datasets "0", "1", ... of a vars group, in
// order.
func numberedVars(g *hdf5.Group, path string) ([]*hdf5.Dataset, error) {
	kids, err := g.Children()
	if err != nil {
		return nil, fileErr(path, err)
	}
	out := make([]*hdf5.Dataset, len(kids))
	for _, c := range kids {
		i, err := strconv.Atoi(c.Name)
		if err != nil || i < 0 || i >= len(kids) || strconv.Itoa(i) != c.Name || c.Kind != hdf5.KindDataset || out[i] != nil {
			return nil, badFile("%s/%s: want datasets named 0 to %d", path, c.Name, len(kids)-1)
		}
		if out[i], err = g.Dataset(c.Name); err != nil {
			return nil, fileErr(path+"/"+c.Name, err)
		}
	}
	return out, nil
}

func (s *keras3Weights) layer(path string) ([]fileVar, error) { return s.byLayer[path], nil }
func (s *keras3Weights) paths() []string                      { return s.order }
func (s *keras3Weights) holds(prefix string) bool {
	for _, p := range s.order {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// legacyWeights is the weights group of a Keras 2 / tf.keras HDF5 file
// (model_weights of a full-model file, the root of a save_weights file):
// layer groups listed by its layer_names attribute, each with a
// weight_names attribute naming its datasets.
type legacyWeights struct {
	byLayer map[string][]fileVar
	order   []string
}

// legacySource reads the variables of every layer listed in g's
// layer_names.
func legacySource(g *hdf5.Group) (*legacyWeights, error) {
	names, err := strsAttr(g, "layer_names")
	if err != nil {
		return nil, err
	}
	src := &legacyWeights{byLayer: map[string][]fileVar{}}
	for _, ln := range names {
		if !g.Has(ln) {
			return nil, badFile("layer_names lists %q, which is not in the file", ln)
		}
		lg, err := g.Group(ln)
		if err != nil {
			return nil, fileErr(ln, err)
		}
		wns, err := strsAttr(lg, "weight_names")
		if err != nil {
			return nil, err
		}
		for _, wn := range wns {
			ds, err := lg.Dataset(wn)
			if err != nil {
				return nil, fileErr(ln+"/"+wn, err)
			}
			segs := strings.Split(strings.TrimSuffix(wn, ":0"), "/")
			// The first segment is the layer's own name, or for a nested
			// model's weights the inner layer's.
			path := ln
			switch {
			case len(segs) > 1 && segs[0] == ln:
				segs = segs[1:]
			case len(segs) > 1:
				path = ln + "/" + segs[0]
				segs = segs[1:]
			}
			if src.byLayer[path] == nil {
				src.order = append(src.order, path)
			}
			src.byLayer[path] = append(src.byLayer[path], fileVar{key: varKey(segs), ds: ds})
		}
	}
	return src, nil
}

func (s *legacyWeights) paths() []string { return s.order }
func (s *legacyWeights) holds(prefix string) bool {
	for _, p := range s.order {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// layer also finds a layer whose weights a legacy file filed under
// another name's group (Keras 2 writes "dense_1/kernel:0" under the
// group of a layer since renamed): the group of that name wins.
func (s *legacyWeights) layer(path string) ([]fileVar, error) { return s.byLayer[path], nil }

// strsAttr reads a string-list attribute (layer_names, weight_names);
// an empty float array (weightless layers in some writers) is no names.
func strsAttr(o hdf5.Object, name string) ([]string, error) {
	v, err := o.Attr(name)
	if err != nil {
		return nil, fileErr(fmt.Sprintf("%s attribute %s", strings.TrimPrefix(o.Name(), "/"), name), err)
	}
	if !v.IsString() {
		if v.Len() == 0 || (len(v.Shape()) > 0 && v.Shape()[0] == 0) {
			return nil, nil
		}
		return nil, badFile("%s attribute %s: want strings, got %s", o.Name(), name, v.Dtype())
	}
	s, err := v.Strings()
	if err != nil {
		return nil, fileErr(name, err)
	}
	return s, nil
}

// loadWeightsH5 reads the weights of an HDF5 weights file of either
// era into the model.
func (m *Model) loadWeightsH5(f *hdf5.File) error {
	root := f.Root()
	var src weightSource
	var err error
	switch {
	case root.Has("layers"), root.Has(checkpointDeps), root.Has("vars"):
		km, kerr := m.kerasConfig(false)
		if kerr != nil {
			return kerr
		}
		src, err = keras3Source(f, km)
	case root.Has(kconfig.LegacyModelWeights):
		g, gerr := root.Group(kconfig.LegacyModelWeights)
		if gerr != nil {
			return fileErr(kconfig.LegacyModelWeights, gerr)
		}
		src, err = legacySource(g)
	case root.HasAttr("layer_names"):
		src, err = legacySource(root)
	default:
		return badFile("an HDF5 file that is not a Keras weights file (no layers group, no layer_names attribute)")
	}
	if err != nil {
		return err
	}
	return m.assignFrom(src)
}

// loadWeightsZip reads the weights of a .keras zip into the model.
func (m *Model) loadWeightsZip(data []byte) error {
	r := bytes.NewReader(data)
	zr, err := zip.NewReader(r, int64(len(data)))
	if err != nil {
		return badFile("not a weights file (a zip that does not open: %v)", err)
	}
	for _, f := range zr.File {
		switch f.Name {
		case kconfig.WeightsFile:
			wr, n, err := memberReaderAt(r, int64(len(data)), f, int64(len(data))*maxInflation)
			if err != nil {
				return err
			}
			hf, err := hdf5.Open(wr, n)
			if err != nil {
				return fileErr(kconfig.WeightsFile, err)
			}
			return m.loadWeightsH5(hf)
		case weightsFile:
			b, err := readMember(f, int64(len(data))*maxInflation)
			if err != nil {
				return err
			}
			_, ts, err := decodeSafetensors(b)
			if err != nil {
				return err
			}
			for name := range ts {
				if strings.HasPrefix(name, optimizerPrefix) {
					delete(ts, name)
				}
			}
			return m.setWeightTensors(ts, false)
		}
	}
	return badFile("a zip without %s: not a .keras file", kconfig.WeightsFile)
}

// assignFrom replaces every weight of the model with the file's: all are
// found, checked and read before any is changed.
func (m *Model) assignFrom(src weightSource) error {
	byOwner := map[string][]*layers.Weight{}
	var owners []string
	for i, w := range m.weights {
		o := m.owners[i]
		if byOwner[o] == nil {
			owners = append(owners, o)
		}
		byOwner[o] = append(byOwner[o], w)
	}
	var ws []*layers.Weight
	var vars []fileVar
	for _, o := range owners {
		fv, err := src.layer(o)
		if err != nil {
			return err
		}
		if len(fv) == 0 {
			return badFile("the file holds no weights for layer %s (it holds: %s)", o, strings.Join(src.paths(), ", "))
		}
		picked, err := matchVars(o, byOwner[o], fv)
		if err != nil {
			return err
		}
		for j, w := range byOwner[o] {
			if !sameShape(picked[j].shape(), w.Shape) {
				return badFile("weight %s/%s has shape %s in the file, the model expects %s", o, w.Name, shapeString(picked[j].shape()), shapeString(w.Shape))
			}
		}
		ws = append(ws, byOwner[o]...)
		vars = append(vars, picked...)
	}
	for _, p := range src.paths() {
		if byOwner[p] == nil {
			return badFile("the file holds weights for %q, which the model does not have", p)
		}
	}
	vals := make([]*tensor.Dense, len(ws))
	for i, v := range vars {
		t, err := v.read(m.dtype)
		if err != nil {
			return err
		}
		vals[i] = t
	}
	for i, w := range ws {
		switch d := w.Value.Data().(type) {
		case []float32:
			copy(d, vals[i].Data().([]float32))
		case []float64:
			copy(d, vals[i].Data().([]float64))
		default:
			w.Value = vals[i]
		}
	}
	m.userSet = true
	m.dropPrograms()
	return nil
}
