package plots

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// formatOf returns gonum's format name for path's extension.
func formatOf(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	switch ext {
	case "png", "svg", "pdf", "jpg", "jpeg", "eps", "tif", "tiff":
		return ext, nil
	}
	return "", fmt.Errorf("plots: %s: unsupported picture format %q (want .png, .svg, .pdf, .jpg, .eps or .tif)", path, filepath.Ext(path))
}

// writeAtomic renders w into memory, writes it to a temporary file in
// path's directory and renames that into place.
func writeAtomic(path string, w io.WriterTo) error {
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return fmt.Errorf("plots: rendering %s: %w", path, err)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, ".tmp-*-"+base)
	if err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(buf.Bytes())
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("plots: writing %s: %w", path, err)
	}
	return nil
}

// recoverTo turns a panic inside gonum/plot into an error, so a bad
// picture never takes the training program down.
func recoverTo(err *error, what string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("plots: %s: %v", what, r)
	}
}
