package callbacks

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/gokeras/keras/internal/atomicfile"
)

// csvLogger is Keras 3's keras.callbacks.CSVLogger.
type csvLogger struct {
	Base
	path string
	cfg  config

	comma   rune
	content []byte // the whole file as it should be on disk
	header  bool   // a header is still to be written
	keys    []string
}

// CSVLogger streams the logs of every epoch to a CSV file, as
// keras.callbacks.CSVLogger: a header "epoch" plus the log keys of the
// first epoch, sorted, then one row per epoch with the 0-based epoch
// number and the values (Python's repr of the float, "NA" for a key
// missing that epoch). Lines end in "\r\n" like Python's csv module.
//
// Options and their Keras defaults: Separator(","), a single character;
// Append(false): overwrite the file; with Append(true) rows are added to
// an existing file, and a header is written only if the file is empty.
//
// The file is rewritten whole after each epoch under a temporary name and
// renamed into place (rather than appended to and flushed, as Keras
// does), so it is never seen with half a row.
func CSVLogger(path string, opts ...Option) Callback {
	cfg := newConfig(config{separator: ","}, opts)
	return &csvLogger{path: path, cfg: cfg}
}

// OnTrainBegin checks the separator and starts the file.
func (c *csvLogger) OnTrainBegin(Logs) error {
	r, n := utf8.DecodeRuneInString(c.cfg.separator)
	if n == 0 || n != len(c.cfg.separator) || r == '"' || r == '\r' || r == '\n' || r == utf8.RuneError {
		return fmt.Errorf("%w: CSVLogger separator must be a 1-character string other than a quote or line break, got %q", ErrInvalidOption, c.cfg.separator)
	}
	c.comma = r
	c.content, c.keys, c.header = nil, nil, true
	if c.cfg.appendFile {
		old, err := os.ReadFile(c.path)
		switch {
		case err == nil:
			c.content = old
			first, _, _ := bufio.NewReader(bytes.NewReader(old)).ReadLine()
			c.header = len(old) == 0 || len(first) == 0
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("callbacks: CSVLogger: reading %s to append: %w", c.path, err)
		}
	}
	if err := atomicfile.WriteFile(c.path, c.content); err != nil {
		return fmt.Errorf("callbacks: CSVLogger: %w", err)
	}
	return nil
}

// OnEpochEnd adds the epoch's row and rewrites the file.
func (c *csvLogger) OnEpochEnd(epoch int, logs Logs) error {
	if c.comma == 0 {
		if err := c.OnTrainBegin(nil); err != nil {
			return err
		}
	}
	if c.keys == nil {
		c.keys = make([]string, 0, len(logs))
		for k := range logs {
			c.keys = append(c.keys, k)
		}
		slices.Sort(c.keys)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = c.comma
	w.UseCRLF = true
	if c.header {
		if err := w.Write(append([]string{"epoch"}, c.keys...)); err != nil {
			return err
		}
		c.header = false
	}
	row := make([]string, 0, len(c.keys)+1)
	row = append(row, strconv.Itoa(epoch))
	for _, k := range c.keys {
		if v, ok := logs[k]; ok {
			row = append(row, pyRepr(v))
		} else {
			row = append(row, "NA")
		}
	}
	if err := w.Write(row); err != nil {
		return err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.content = append(c.content, buf.Bytes()...)
	if err := atomicfile.WriteFile(c.path, c.content); err != nil {
		return fmt.Errorf("callbacks: CSVLogger: writing epoch %d: %w", epoch, err)
	}
	return nil
}
