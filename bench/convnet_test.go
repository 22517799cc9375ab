package bench

import "testing"

// BenchmarkConvnetEpochKeras is one epoch of Keras's "Simple MNIST
// convnet" (60,000 images, 469 steps of 128) through package keras.
func BenchmarkConvnetEpochKeras(b *testing.B) {
	train, _ := mnist(b)
	m, err := ConvnetModel(1)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ConvnetFit(m, train.Rows(0, ConvnetBatch), 1); err != nil { // build the graph outside the timer
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ConvnetFit(m, train, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConvnetLearns trains the convnet for one epoch on 2,560 images and
// checks that it learnt something (measured 0.70 on 2,000 test images; 0.1
// is chance), so the benchmark times a working network.
func TestConvnetLearns(t *testing.T) {
	train, test, real := MNIST()
	if !real {
		t.Skip("MNIST files not found")
	}
	m, err := ConvnetModel(1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ConvnetFit(m, train.Rows(0, 2560), 1); err != nil {
		t.Fatal(err)
	}
	acc, err := ConvnetAccuracy(m, test.Rows(0, 2000))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("accuracy %.4f", acc)
	if acc < 0.6 {
		t.Errorf("accuracy %.4f after one short epoch, want >= 0.6", acc)
	}
}
