// Package atomicfile writes files so that a crash at any moment leaves
// either the old file or the new one, never a mix. Models, checkpoints,
// logs and pictures are all written through it.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile writes data to path: the bytes go to a temporary file in the
// same directory, which is synced and renamed over path; the directory is
// synced last so that the rename itself is durable. On error the
// temporary file is removed and path is untouched.
func WriteFile(path string, data []byte) (err error) {
	if path == "" {
		return errors.New("empty file path")
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
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
	if err = f.Chmod(0o644); err != nil {
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
