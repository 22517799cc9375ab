package callbacks

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readCSV(t *testing.T, path string, comma rune) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = comma
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func logRun(t *testing.T, c Callback, epochs []Logs) {
	t.Helper()
	c.SetModel(&fakeModel{})
	if err := c.OnTrainBegin(nil); err != nil {
		t.Fatal(err)
	}
	for e, l := range epochs {
		if err := c.OnEpochEnd(e, l); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.OnTrainEnd(nil); err != nil {
		t.Fatal(err)
	}
}

func TestCSVLogger(t *testing.T) {
	// Keras's CSVLogger: header "epoch" + sorted keys of the first epoch,
	// one row per epoch with the 0-based epoch, repr of each value, "NA"
	// for a missing key; append=True adds rows with no second header.
	epochs := []Logs{
		{"loss": 0.5, "val_loss": 0.625, "accuracy": 0.75},
		{"loss": 0.25, "val_loss": 0.5, "accuracy": 1},
		{"loss": 0.125, "accuracy": 1, "extra": 3},
	}
	tests := []struct {
		name string
		opts []Option
		sep  rune
	}{
		{"default", nil, ','},
		{"semicolon", []Option{Separator(";")}, ';'},
		{"tab", []Option{Separator("\t")}, '\t'},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "log.csv")
			logRun(t, CSVLogger(path, tc.opts...), epochs)
			want := [][]string{
				{"epoch", "accuracy", "loss", "val_loss"},
				{"0", "0.75", "0.5", "0.625"},
				{"1", "1.0", "0.25", "0.5"},
				{"2", "1.0", "0.125", "NA"},
			}
			if got := readCSV(t, path, tc.sep); !reflect.DeepEqual(got, want) {
				t.Errorf("file holds %q, want %q", got, want)
			}
			raw, _ := os.ReadFile(path)
			if !strings.HasSuffix(string(raw), "\r\n") {
				t.Errorf("rows should end in \\r\\n as Python's csv writes them: %q", raw)
			}

			// A second run with Append(true) adds rows, no header.
			logRun(t, CSVLogger(path, append(tc.opts, Append(true))...), epochs[:2])
			got := readCSV(t, path, tc.sep)
			want = append(want, want[1], want[2])
			if !reflect.DeepEqual(got, want) {
				t.Errorf("after append: %q, want %q", got, want)
			}
			// Without Append, the file is overwritten.
			logRun(t, CSVLogger(path, tc.opts...), epochs[:1])
			if got := readCSV(t, path, tc.sep); len(got) != 2 {
				t.Errorf("overwrite: %d records, want 2", len(got))
			}
		})
	}
}

func TestCSVLoggerAppendToMissingOrEmptyFile(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"missing.csv", "empty.csv"} {
		path := filepath.Join(dir, name)
		if name == "empty.csv" {
			os.WriteFile(path, nil, 0o644)
		}
		logRun(t, CSVLogger(path, Append(true)), []Logs{{"loss": 1}})
		if got := readCSV(t, path, ','); len(got) != 2 || got[0][0] != "epoch" {
			t.Errorf("%s: %q, want a header and one row", name, got)
		}
	}
}

func TestCSVLoggerBadSeparator(t *testing.T) {
	for _, sep := range []string{"", ";;", "\n", `"`} {
		c := CSVLogger(filepath.Join(t.TempDir(), "x.csv"), Separator(sep))
		if err := c.OnTrainBegin(nil); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("separator %q: got %v, want ErrInvalidOption", sep, err)
		}
	}
}
