package datasets_test

import (
	"context"
	"fmt"

	"github.com/gokeras/keras/datasets"
	"gorgonia.org/tensor"
)

// A pipeline over tensors: 10 samples shuffled, batched by 4 (the last
// batch holds the 2 left) and prefetched on another goroutine.
func ExamplePipeline() {
	x := tensor.New(tensor.WithShape(10, 3), tensor.WithBacking(make([]float32, 30)))
	y := tensor.New(tensor.WithShape(10), tensor.WithBacking(make([]float32, 10)))
	ds := datasets.FromTensors(x, y).Shuffle(10, 42).Batch(4).Prefetch(2)
	fmt.Println("batches per pass:", ds.Cardinality())
	for b, err := range ds.Batches(context.Background()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(b.X.Shape(), b.Y.Shape())
	}
	// Output:
	// batches per pass: 3
	// (4, 3) (4)
	// (4, 3) (4)
	// (2, 3) (2)
}

// A generated source: FromFunc yields blocks of any size, Batch regroups
// them, and the pass stops when the consumer stops.
func ExampleFromFunc() {
	src := datasets.FromFunc(func(ctx context.Context, yield func(datasets.Batch) bool) error {
		for i := 0; ; i++ {
			x := tensor.New(tensor.WithShape(3, 1), tensor.WithBacking([]float32{float32(3 * i), float32(3*i + 1), float32(3*i + 2)}))
			if !yield(datasets.Batch{X: x}) {
				return nil // the consumer has had enough
			}
		}
	})
	for b, err := range src.Batch(5).Take(2).Batches(context.Background()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(b.X.Data())
	}
	// Output:
	// [0 1 2 3 4]
	// [5 6 7 8 9]
}

// TensorFlow's "Basic regression" data: the 392 complete cars, the origin
// one-hot, 314 cars to train on.
func ExampleLoadAutoMPG() {
	cars, err := datasets.LoadAutoMPG()
	if err != nil {
		fmt.Println(err)
		return
	}
	cars, err = cars.OneHotOrigin()
	if err != nil {
		fmt.Println(err)
		return
	}
	train, test := cars.TutorialSplit()
	x, y, err := train.Tensors("MPG")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cars.Len(), test.Len(), x.Shape(), y.Shape())
	fmt.Println(cars.Columns)
	// Output:
	// 392 78 (314, 9) (314, 1)
	// [MPG Cylinders Displacement Horsepower Weight Acceleration Model Year Europe Japan USA]
}
