package callbacks

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// checkpointRun drives a ModelCheckpoint over scripted val_loss values.
func checkpointRun(t *testing.T, c Callback, m *savingModel, seq []float64) {
	t.Helper()
	c.SetModel(m)
	if err := c.OnTrainBegin(nil); err != nil {
		t.Fatal(err)
	}
	for e, v := range seq {
		c.OnEpochBegin(e, nil)
		m.weights = weightsFor(e)
		if err := c.OnEpochEnd(e, Logs{"loss": v + 1, "val_loss": v}); err != nil {
			t.Fatal(err)
		}
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestModelCheckpointSaveBestOnly(t *testing.T) {
	// Keras: with save_best_only=True the file is written only when the
	// monitored value improves on the best so far (the first always does).
	dir := t.TempDir()
	path := filepath.Join(dir, "best.weights.h5")
	var out bytes.Buffer
	m := &savingModel{}
	c := ModelCheckpoint(path, SaveBestOnly(true), SaveWeightsOnly(true), Verbose(1), Output(&out))
	checkpointRun(t, c, m, []float64{0.5, 0.6, 0.4, 0.45})
	if len(m.saves) != 2 {
		t.Errorf("saved %d times, want 2 (epochs 1 and 3)", len(m.saves))
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != weightsText(weightsFor(2)) {
		t.Errorf("checkpoint holds\n%s\nwant the weights of epoch 3 (index 2)", got)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"best.weights.h5"}) {
		t.Errorf("directory holds %v, want only the checkpoint (no temporary files)", names)
	}
	for _, want := range []string{
		"\nEpoch 1: val_loss improved from None to 0.50000, saving model to " + path + "\n",
		"\nEpoch 2: val_loss did not improve from 0.50000\n",
		"\nEpoch 3: val_loss improved from 0.50000 to 0.40000, saving model to " + path + "\n",
		"\nEpoch 3: finished saving model to " + path + "\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("messages lack %q:\n%s", want, out.String())
		}
	}
}

func TestModelCheckpointPlaceholders(t *testing.T) {
	// Keras formats filepath with epoch=epoch+1 and the logs.
	dir := t.TempDir()
	m := &savingModel{}
	c := ModelCheckpoint(filepath.Join(dir, "sub", "w.{epoch:02d}-{val_loss:.2f}.weights.h5"), SaveWeightsOnly(true), Output(nil))
	checkpointRun(t, c, m, []float64{0.5, 0.6, 0.123})
	want := []string{"w.01-0.50.weights.h5", "w.02-0.60.weights.h5", "w.03-0.12.weights.h5"}
	if names := dirNames(t, filepath.Join(dir, "sub")); !slices.Equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
}

func TestModelCheckpointBaselineAndMax(t *testing.T) {
	// Baseline is Keras's initial_value_threshold; mode max.
	dir := t.TempDir()
	m := &savingModel{}
	c := ModelCheckpoint(filepath.Join(dir, "{epoch}.w"), Monitor("val_loss"), Mode("max"),
		SaveBestOnly(true), SaveWeightsOnly(true), Baseline(0.55), Output(nil))
	checkpointRun(t, c, m, []float64{0.5, 0.6, 0.58, 0.7})
	if want := []string{"2.w", "4.w"}; !slices.Equal(dirNames(t, dir), want) {
		t.Errorf("files %v, want %v", dirNames(t, dir), want)
	}
}

func TestModelCheckpointFailedSaveKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.weights.h5")
	m := &savingModel{}
	c := ModelCheckpoint(path, SaveWeightsOnly(true), Output(nil))
	checkpointRun(t, c, m, []float64{0.5})
	before, _ := os.ReadFile(path)

	m.fail = true
	m.weights = weightsFor(7)
	err := c.OnEpochEnd(1, Logs{"val_loss": 0.1})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("failing save returned %v, want the saver's error", err)
	}
	if m.failedAt == path {
		t.Errorf("the saver wrote to the final path directly; want a temporary name")
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) || string(after) != weightsText(weightsFor(0)) {
		t.Errorf("a failed save changed the previous checkpoint:\n%s", after)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"model.weights.h5"}) {
		t.Errorf("directory holds %v after a failed save, want only the old checkpoint", names)
	}
}

func TestModelCheckpointNeedsSaver(t *testing.T) {
	for _, opts := range [][]Option{nil, {SaveWeightsOnly(true)}} {
		c := ModelCheckpoint(filepath.Join(t.TempDir(), "m.keras"), opts...)
		c.SetModel(&fakeModel{})
		if err := c.OnTrainBegin(nil); !errors.Is(err, ErrCannotSave) {
			t.Errorf("model without savers: got %v, want ErrCannotSave", err)
		}
	}
	// savingModel has SaveWeights but not Save.
	c := ModelCheckpoint(filepath.Join(t.TempDir(), "m.keras"))
	c.SetModel(&savingModel{})
	if err := c.OnTrainBegin(nil); !errors.Is(err, ErrCannotSave) || !strings.Contains(err.Error(), "Save(path string) error") {
		t.Errorf("model without Save: got %v", err)
	}
}

func TestModelCheckpointSaveFreq(t *testing.T) {
	// save_freq=N saves every N batches, counting across epochs; {batch}
	// is 1-based.
	dir := t.TempDir()
	m := &savingModel{fakeModel: fakeModel{weights: weightsFor(0)}}
	c := ModelCheckpoint(filepath.Join(dir, "e{epoch}-b{batch}.w"), SaveWeightsOnly(true), SaveFreq(3), Output(nil))
	c.SetModel(m)
	if err := c.OnTrainBegin(nil); err != nil {
		t.Fatal(err)
	}
	for e := range 2 {
		c.OnEpochBegin(e, nil)
		for b := range 4 {
			if err := c.OnTrainBatchEnd(b, Logs{"loss": 1}); err != nil {
				t.Fatal(err)
			}
		}
		c.OnEpochEnd(e, Logs{"loss": 1})
	}
	if want := []string{"e1-b3.w", "e2-b2.w"}; !slices.Equal(dirNames(t, dir), want) {
		t.Errorf("files %v, want %v", dirNames(t, dir), want)
	}
}

func TestModelCheckpointBadPlaceholder(t *testing.T) {
	c := ModelCheckpoint(filepath.Join(t.TempDir(), "{val_acc:.2f}.w"), SaveWeightsOnly(true))
	m := &savingModel{fakeModel: fakeModel{weights: weightsFor(0)}}
	c.SetModel(m)
	c.OnTrainBegin(nil)
	err := c.OnEpochEnd(0, Logs{"loss": 1})
	if err == nil || !strings.Contains(err.Error(), "val_acc") {
		t.Errorf("missing placeholder value: got %v", err)
	}
}
