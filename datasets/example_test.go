package datasets_test

import (
	"fmt"

	"github.com/gokeras/keras/datasets"
)

func ExampleXOR() {
	x, y := datasets.XOR()
	fmt.Println(x.Shape(), y.Shape())
	fmt.Println(x.Data(), y.Data())
	// Output:
	// (4, 2) (4, 1)
	// [0 0 0 1 1 0 1 1] [0 1 1 0]
}

func ExampleMoons() {
	// The data of seed 002: make_moons(300, noise=0.20).
	x, y, err := datasets.Moons(300, datasets.Noise(0.2), datasets.Seed(0))
	if err != nil {
		fmt.Println(err)
		return
	}
	xTrain, xTest, yTrain, yTest, err := datasets.TrainTestSplit(x, y, 0.2, datasets.Stratify(true))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(xTrain.Shape(), xTest.Shape(), yTrain.Shape(), yTest.Shape())
	_, _, err = datasets.Moons(0)
	fmt.Println(err)
	// Output:
	// (240, 2) (60, 2) (240) (60)
	// datasets.Moons: invalid argument: n_samples must be positive, got 0
}

func ExampleToCategorical() {
	_, y, _ := datasets.Blobs(4, datasets.Centers(3), datasets.Shuffle(false))
	onehot, err := datasets.ToCategorical(y, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(y.Data())
	fmt.Println(onehot.Shape(), onehot.Data())
	// Output:
	// [0 0 1 2]
	// (4, 3) [1 0 0 1 0 0 0 1 0 0 0 1]
}

func ExampleLoadMNIST() {
	xTrain, yTrain, xTest, yTest, err := datasets.LoadMNIST(datasets.Normalize(true))
	if err != nil {
		fmt.Println(err) // says where it looked and how to get the files
		return
	}
	fmt.Println(xTrain.Shape(), yTrain.Shape(), xTest.Shape(), yTest.Shape())
}
