package keras

import (
	"fmt"
	"os"
	"path/filepath"
)

// writeFileAtomic writes data to path so that a crash at any moment leaves
// either the old file or the new one, never a mix: the bytes go to a
// temporary file in the same directory, which is synced and then renamed
// over path; the directory is synced last so the rename itself is durable.
func writeFileAtomic(path string, data []byte) (err error) {
	if path == "" {
		return fmt.Errorf("keras: empty file path")
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("keras: writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("keras: writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("keras: writing %s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("keras: writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("keras: writing %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("keras: writing %s: %w", path, err)
	}
	// Best effort: not every file system lets a directory be synced.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
