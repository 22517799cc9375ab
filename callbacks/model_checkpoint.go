package callbacks

import (
	"fmt"
	"os"
	"path/filepath"
)

// Saver is a model that can save itself whole (architecture, weights,
// optimizer state) to a file, as Keras's model.save. ModelCheckpoint needs
// it unless SaveWeightsOnly(true).
type Saver interface {
	Save(path string) error
}

// WeightsSaver is a model that can save its weights to a file, as Keras's
// model.save_weights. ModelCheckpoint needs it with SaveWeightsOnly(true).
type WeightsSaver interface {
	SaveWeights(path string) error
}

// modelCheckpoint is Keras 3's keras.callbacks.ModelCheckpoint.
type modelCheckpoint struct {
	Base
	path string
	cfg  config

	max       bool
	ready     bool
	best      *float64
	warned    bool
	epoch     int
	sinceSave int
	lastBatch int
}

// ModelCheckpoint saves the model, or only its weights, during training,
// as keras.callbacks.ModelCheckpoint.
//
// path may hold Python-style fields filled from the epoch and the logs:
// {epoch} is the 1-based epoch (Keras formats epoch+1), {batch} the
// 1-based batch when saving by batches, and any log key ({loss},
// {val_loss}, {accuracy}, ...); a field may carry a format spec with the
// d, f, e, g and % types, width, zero padding and precision, as
// "weights.{epoch:02d}-{val_loss:.2f}.keras". A field with no log value is
// an error.
//
// Options and their Keras defaults: Monitor("val_loss"), Verbose(0),
// SaveBestOnly(false), SaveWeightsOnly(false), Mode("auto"),
// SaveFreq(0) meaning "epoch", Baseline none (Keras's
// initial_value_threshold), Output(os.Stdout). With SaveBestOnly(true) a
// checkpoint is written only when the monitored value beats the best so
// far (the first value always does unless Baseline is set); a missing
// monitored value warns and saves, as in Keras.
//
// The model must implement Saver, or WeightsSaver with
// SaveWeightsOnly(true); OnTrainBegin returns an error wrapping
// ErrCannotSave otherwise. Every checkpoint is written under a temporary
// name in the target directory (created if missing) and renamed into
// place, so an interrupted or failed save never leaves a half-written
// file and keeps the previous checkpoint. Unlike Keras, the path's
// extension is not checked: the model's saver chooses the format.
func ModelCheckpoint(path string, opts ...Option) Callback {
	cfg := newConfig(config{monitor: "val_loss", mode: "auto"}, opts)
	return &modelCheckpoint{path: path, cfg: cfg}
}

// OnTrainBegin checks that the model can be saved.
func (m *modelCheckpoint) OnTrainBegin(Logs) error {
	m.warned = false
	if m.cfg.saveWeightsOnly {
		if _, ok := m.Model.(WeightsSaver); !ok {
			return fmt.Errorf("%w: ModelCheckpoint with SaveWeightsOnly(true) needs a model with SaveWeights(path string) error, got %T", ErrCannotSave, m.Model)
		}
	} else if _, ok := m.Model.(Saver); !ok {
		return fmt.Errorf("%w: ModelCheckpoint needs a model with Save(path string) error (or use SaveWeightsOnly(true)), got %T", ErrCannotSave, m.Model)
	}
	return nil
}

// OnEpochBegin notes the epoch for batch-level saving.
func (m *modelCheckpoint) OnEpochBegin(epoch int, _ Logs) error {
	m.epoch = epoch
	return nil
}

// OnTrainBatchEnd saves every SaveFreq batches when SaveFreq > 0.
func (m *modelCheckpoint) OnTrainBatchEnd(batch int, logs Logs) error {
	if m.cfg.saveFreq <= 0 {
		return nil
	}
	if batch <= m.lastBatch {
		m.sinceSave += batch + 1 // a new epoch: batches count from 0
	} else {
		m.sinceSave += batch - m.lastBatch
	}
	m.lastBatch = batch
	if m.sinceSave < m.cfg.saveFreq {
		return nil
	}
	m.sinceSave = 0
	return m.save(m.epoch, batch, true, logs)
}

// OnEpochEnd saves at the end of each epoch when SaveFreq is "epoch".
func (m *modelCheckpoint) OnEpochEnd(epoch int, logs Logs) error {
	if m.cfg.saveFreq > 0 {
		return nil
	}
	return m.save(epoch, 0, false, logs)
}

func (m *modelCheckpoint) filePath(epoch, batch int, byBatch bool, logs Logs) (string, error) {
	vals := make(map[string]pyValue, len(logs)+2)
	for k, v := range logs {
		vals[k] = pyValue{f: v}
	}
	vals["epoch"] = pyValue{f: float64(epoch + 1), isInt: true}
	if _, ok := logs["batch"]; byBatch && !ok {
		vals["batch"] = pyValue{f: float64(batch + 1), isInt: true}
	}
	p, err := formatTemplate(m.path, vals)
	if err != nil {
		return "", fmt.Errorf("callbacks: ModelCheckpoint: failed to format the filepath %q: %w", m.path, err)
	}
	return p, nil
}

func (m *modelCheckpoint) shouldSave(epoch int, path string, logs Logs) bool {
	if !m.cfg.saveBestOnly {
		if m.cfg.verbose > 0 {
			fmt.Fprintf(m.cfg.output, "\nEpoch %d: saving model to %s\n", epoch+1, path)
		}
		return true
	}
	if !m.ready {
		m.max = resolveMode("ModelCheckpoint", m.cfg.mode, m.cfg.monitor, m.cfg.output, autoMax) == "max"
		m.best = m.cfg.baseline
		m.ready = true
	}
	current, ok := logs[m.cfg.monitor]
	if !ok {
		if !m.warned {
			fmt.Fprintf(m.cfg.output, "WARNING: Can save best model only with %s available.\n", m.cfg.monitor)
			m.warned = true
		}
		return true
	}
	bestStr := "None"
	if m.best != nil {
		bestStr = formatFloat(*m.best, 'f', 5)
		if *m.best < 0 {
			bestStr = "-" + formatFloat(-*m.best, 'f', 5)
		}
	}
	improved := m.best == nil || (m.max && current > *m.best) || (!m.max && current < *m.best)
	if !improved {
		if m.cfg.verbose > 0 {
			fmt.Fprintf(m.cfg.output, "\nEpoch %d: %s did not improve from %s\n", epoch+1, m.cfg.monitor, bestStr)
		}
		return false
	}
	if m.cfg.verbose > 0 {
		fmt.Fprintf(m.cfg.output, "\nEpoch %d: %s improved from %s to %.5f, saving model to %s\n",
			epoch+1, m.cfg.monitor, bestStr, current, path)
	}
	v := current
	m.best = &v
	return true
}

func (m *modelCheckpoint) save(epoch, batch int, byBatch bool, logs Logs) error {
	path, err := m.filePath(epoch, batch, byBatch, logs)
	if err != nil {
		return err
	}
	if !m.shouldSave(epoch, path, logs) {
		return nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("callbacks: ModelCheckpoint: please specify a non-directory filepath; %s is an existing directory", path)
	}
	var write func(string) error
	if m.cfg.saveWeightsOnly {
		s, ok := m.Model.(WeightsSaver)
		if !ok {
			return fmt.Errorf("%w: model %T has no SaveWeights(path string) error", ErrCannotSave, m.Model)
		}
		write = s.SaveWeights
	} else {
		s, ok := m.Model.(Saver)
		if !ok {
			return fmt.Errorf("%w: model %T has no Save(path string) error", ErrCannotSave, m.Model)
		}
		write = s.Save
	}
	if err := saveAtomically(path, write); err != nil {
		return fmt.Errorf("callbacks: ModelCheckpoint: saving epoch %d to %s: %w", epoch+1, path, err)
	}
	if m.cfg.verbose > 0 {
		fmt.Fprintf(m.cfg.output, "\nEpoch %d: finished saving model to %s\n", epoch+1, path)
	}
	return nil
}

// saveAtomically has write save to a fresh name in path's directory, then
// renames it to path, so path holds either its previous content or the
// complete new one. The temporary name keeps path's base name as its
// suffix, so a saver that picks its format by extension sees the right
// one.
func saveAtomically(path string, write func(string) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-*-"+base)
	if err != nil {
		return err
	}
	tmp := f.Name()
	f.Close()
	// The saver creates the file itself; the empty placeholder only
	// reserved a unique name.
	os.Remove(tmp)
	if err := write(tmp); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	return nil
}
