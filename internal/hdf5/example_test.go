package hdf5_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/gokeras/keras/internal/hdf5"
)

// Write the layout of a Keras 3 model.weights.h5 for one Dense layer and
// read it back.
func Example() {
	w := hdf5.NewWriter()
	vars, err := w.Root().CreateGroup("layers/dense/vars")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := vars.CreateDataset("0", []int{2, 3}, []float32{1, 2, 3, 4, 5, 6}); err != nil {
		log.Fatal(err)
	}
	if _, err := vars.CreateDataset("1", []int{3}, []float32{0.5, 0, -0.5}); err != nil {
		log.Fatal(err)
	}
	if err := w.Root().SetAttr("keras_version", "3.5.0"); err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		log.Fatal(err)
	}

	f, err := hdf5.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		log.Fatal(err)
	}
	v, err := f.Root().Attr("keras_version")
	if err != nil {
		log.Fatal(err)
	}
	version, _ := v.Str()
	fmt.Println("keras_version:", version)
	g, err := f.Root().Group("layers/dense/vars")
	if err != nil {
		log.Fatal(err)
	}
	kids, err := g.Children()
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range kids {
		ds, err := g.Dataset(c.Name)
		if err != nil {
			log.Fatal(err)
		}
		values, err := ds.ReadFloat32()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ds.Name(), ds.Dtype(), ds.Shape(), values)
	}
	// Output:
	// keras_version: 3.5.0
	// /layers/dense/vars/0 float32 [2 3] [1 2 3 4 5 6]
	// /layers/dense/vars/1 float32 [3] [0.5 0 -0.5]
}
