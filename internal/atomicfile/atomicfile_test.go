package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.keras")
	for _, content := range []string{"first", "second"} {
		if err := WriteFile(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Fatalf("read %q, %v; want %q", got, err, content)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files left in the directory, want 1 (no temporary files)", len(entries))
	}
}

// A failed write leaves the previous file as it was and no temporary file.
func TestWriteFileFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.safetensors")
	if err := WriteFile(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	// Renaming a file over a non-empty directory fails.
	target := filepath.Join(dir, "sub")
	if err := os.MkdirAll(filepath.Join(target, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(target, []byte("new")); err == nil {
		t.Fatal("writing over a non-empty directory succeeded")
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old" {
		t.Errorf("old file now %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("%d entries, want 2 (no temporary files)", len(entries))
	}
	if err := WriteFile("", nil); err == nil {
		t.Error("empty path accepted")
	}
}

// An existing file keeps its mode; a new one gets 0666 less the umask;
// a directory is refused by name; stale temporary files of a killed
// write are removed, fresh ones (a write running now) are left.
func TestWriteFileModesAndLeftovers(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.keras")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("existing 0600 file became %v", st.Mode().Perm())
	}
	fresh := filepath.Join(dir, "fresh.bin")
	if err := WriteFile(fresh, nil); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(fresh); st.Mode().Perm() != 0o666&^umask() {
		t.Errorf("new file mode %v, want %v", st.Mode().Perm(), 0o666&^umask())
	}
	if err := WriteFile(dir, []byte("x")); err == nil || !strings.Contains(err.Error(), "the path is a directory") {
		t.Errorf("writing over a directory: %v", err)
	}
	stale := filepath.Join(dir, tempPrefix("m.keras")+"123")
	running := filepath.Join(dir, tempPrefix("m.keras")+"456")
	for _, p := range []string{stale, running} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("newer")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temporary file left: %v", err)
	}
	if _, err := os.Stat(running); err != nil {
		t.Errorf("a fresh temporary file was removed: %v", err)
	}
}
