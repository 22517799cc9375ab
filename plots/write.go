package plots

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/gokeras/keras/internal/atomicfile"
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

// writeAtomic renders w into memory and writes it atomically to path.
func writeAtomic(path string, w io.WriterTo) error {
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return fmt.Errorf("plots: rendering %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, buf.Bytes()); err != nil {
		return fmt.Errorf("plots: %w", err)
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
