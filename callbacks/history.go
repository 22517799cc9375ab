package callbacks

import "slices"

// History records the logs of every epoch; Fit returns it, as Keras's
// History callback.
type History struct {
	Base
	// Epoch lists the epoch numbers recorded, from 0.
	Epoch []int
	// History maps each log name (loss, accuracy, val_loss, ...) to its
	// value per epoch.
	History map[string][]float64
}

// NewHistory returns an empty History.
func NewHistory() *History { return &History{History: map[string][]float64{}} }

// OnTrainBegin keeps earlier epochs, so a History can span several Fits.
func (h *History) OnTrainBegin(Logs) error {
	if h.History == nil {
		h.History = map[string][]float64{}
	}
	return nil
}

// OnEpochEnd appends the epoch's logs.
func (h *History) OnEpochEnd(epoch int, logs Logs) error {
	h.Epoch = append(h.Epoch, epoch)
	keys := make([]string, 0, len(logs))
	for k := range logs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		h.History[k] = append(h.History[k], logs[k])
	}
	return nil
}
