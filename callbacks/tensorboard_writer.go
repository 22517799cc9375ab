package callbacks

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// eventWriter appends events to one TensorBoard event file, as
// tf.summary.create_file_writer does. Events are framed as TFRecords and
// kept in memory until flush writes them with one call; if that write
// fails the file is cut back to its last whole record, so a reader
// (TensorBoard reads files while they grow) never meets a broken record
// followed by more data.
type eventWriter struct {
	dir     string
	f       eventFile
	path    string
	size    int64  // bytes of whole records on disk
	pending []byte // framed records not yet written
}

// eventFile is what eventWriter needs of its *os.File.
type eventFile interface {
	io.Writer
	Truncate(size int64) error
	Sync() error
	Close() error
}

// newEventWriter creates dir (0755, as os.MkdirAll's callers usually
// ask) and a new event file in it named as TensorFlow 2 names them,
// events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2, n being the first
// number that makes the name new, and writes the file_version event.
func newEventWriter(dir string, now time.Time) (*eventWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("callbacks: TensorBoard: %w", err)
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	host = strings.NewReplacer("/", "_", string(filepath.Separator), "_").Replace(host)
	secs := now.Unix()
	w := &eventWriter{dir: dir}
	for n := 0; ; n++ {
		name := fmt.Sprintf("events.out.tfevents.%010d.%s.%d.%d.v2", secs, host, os.Getpid(), n)
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o666)
		if errors.Is(err, fs.ErrExist) && n < 1000 {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("callbacks: TensorBoard: %w", err)
		}
		w.f, w.path = f, path
		break
	}
	// TensorFlow's EventsWriter stamps the first event with whole seconds.
	w.add(versionEvent(float64(secs)))
	if err := w.flush(true); err != nil {
		w.f.Close()
		os.Remove(w.path)
		return nil, err
	}
	return w, nil
}

// add frames an encoded Event and keeps it for the next flush.
func (w *eventWriter) add(event []byte) { w.pending = appendRecord(w.pending, event) }

// flush writes the pending records in one call, and syncs the file to
// disk when sync is set.
func (w *eventWriter) flush(sync bool) error {
	if len(w.pending) > 0 {
		n, err := w.f.Write(w.pending)
		if err != nil {
			if n > 0 {
				// Best effort: cut a partly written record off.
				w.f.Truncate(w.size)
			}
			w.pending = w.pending[:0]
			return fmt.Errorf("callbacks: TensorBoard: writing %s: %w", w.path, err)
		}
		w.size += int64(n)
		w.pending = w.pending[:0]
	}
	if sync {
		if err := w.f.Sync(); err != nil {
			return fmt.Errorf("callbacks: TensorBoard: %w", err)
		}
	}
	return nil
}

// close flushes and closes the file.
func (w *eventWriter) close() error {
	err := w.flush(true)
	if cerr := w.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("callbacks: TensorBoard: %w", cerr)
	}
	return err
}
