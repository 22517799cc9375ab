// Package atomicfile writes files so that a crash at any moment leaves
// either the old file or the new one, never a mix. Models, checkpoints,
// logs and pictures are all written through it.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// WriteFile writes data to path: the bytes go to a temporary file in the
// same directory, which is synced and renamed over path; the directory is
// synced last so that the rename itself is durable. On error the
// temporary file is removed and path is untouched.
//
// An existing file keeps its mode; a new one gets 0666 less the umask,
// as os.Create gives. A path that is a directory is an error saying so.
// Temporary files are named ".<base>.tmp-<random>"; ones left behind by a
// writer that was killed are removed by the next write to the same path.
func WriteFile(path string, data []byte) (err error) {
	if path == "" {
		return errors.New("empty file path")
	}
	mode := os.FileMode(0)
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return fmt.Errorf("writing %s: the path is a directory", path)
		}
		mode = st.Mode().Perm()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	removeStale(dir, base)
	f, err := os.CreateTemp(dir, tempPrefix(base)+"*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("writing %s: %w", path, err)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if mode == 0 {
		mode = 0o666 &^ umask()
	}
	if err = f.Chmod(mode); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	// Best effort: not every file system lets a directory be synced.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func tempPrefix(base string) string { return "." + base + ".tmp-" }

// removeStale removes temporary files of earlier writes to base that were
// killed before they could rename or remove them. Only files older than
// a minute go, so that a write running now in another process is left
// alone.
func removeStale(dir, base string) {
	matches, _ := filepath.Glob(filepath.Join(dir, globEscape(tempPrefix(base))+"*"))
	for _, m := range matches {
		if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() && time.Since(st.ModTime()) > time.Minute {
			os.Remove(m)
		}
	}
}

func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
