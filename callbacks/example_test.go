package callbacks_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gokeras/keras/callbacks"
	"gorgonia.org/tensor"
)

// scriptedModel is a stand-in for keras.Model with scripted weights.
type scriptedModel struct {
	epoch   int
	stopped bool
}

func (m *scriptedModel) GetWeights() []*tensor.Dense {
	return []*tensor.Dense{tensor.New(tensor.WithShape(1), tensor.WithBacking([]float32{float32(m.epoch)}))}
}
func (m *scriptedModel) SetWeights(w []*tensor.Dense) error {
	fmt.Println("weights set to those of epoch", w[0].Data().([]float32)[0]+1)
	return nil
}
func (m *scriptedModel) StopTraining()                 { m.stopped = true }
func (m *scriptedModel) LearningRate() float64         { return 0.01 }
func (m *scriptedModel) SetLearningRate(float64) error { return nil }

// EarlyStopping driven by scripted validation losses, as Fit drives it:
// with patience 2 it stops two epochs after the best one and, asked to,
// puts the best epoch's weights back.
func ExampleEarlyStopping() {
	valLoss := []float64{0.9, 0.7, 0.6, 0.65, 0.62, 0.5, 0.4}
	m := &scriptedModel{}
	es := callbacks.EarlyStopping(
		callbacks.Monitor("val_loss"),
		callbacks.Patience(2),
		callbacks.RestoreBestWeights(true),
		callbacks.Verbose(1),
	)
	es.SetModel(m)
	es.OnTrainBegin(nil)
	for epoch, v := range valLoss {
		m.epoch = epoch
		es.OnEpochEnd(epoch, callbacks.Logs{"loss": v - 0.1, "val_loss": v})
		fmt.Printf("epoch %d: val_loss %.2f\n", epoch+1, v)
		if m.stopped {
			break
		}
	}
	es.OnTrainEnd(nil)
	// Output:
	// epoch 1: val_loss 0.90
	// epoch 2: val_loss 0.70
	// epoch 3: val_loss 0.60
	// epoch 4: val_loss 0.65
	// epoch 5: val_loss 0.62
	// Epoch 5: early stopping
	// Restoring model weights from the end of the best epoch: 3.
	// weights set to those of epoch 3
}

// CSVLogger writes one row per epoch under a header of the sorted log
// names.
func ExampleCSVLogger() {
	dir, _ := os.MkdirTemp("", "csvlogger")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "training.csv")

	logger := callbacks.CSVLogger(path)
	logger.OnTrainBegin(nil)
	logger.OnEpochEnd(0, callbacks.Logs{"loss": 0.5, "accuracy": 0.75, "val_loss": 0.625})
	logger.OnEpochEnd(1, callbacks.Logs{"loss": 0.25, "accuracy": 1, "val_loss": 0.5})
	logger.OnTrainEnd(nil)

	f, _ := os.Open(path)
	defer f.Close()
	rows, _ := csv.NewReader(f).ReadAll()
	for _, r := range rows {
		fmt.Println(strings.Join(r, ","))
	}
	// Output:
	// epoch,accuracy,loss,val_loss
	// 0,0.75,0.5,0.625
	// 1,1.0,0.25,0.5
}
