package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readFile returns a file of exactly the limit and refuses one byte more,
// and reads whole a file whose size stat does not know (a /proc file).
func TestReadFileLimitAndUnknownSize(t *testing.T) {
	dir := t.TempDir()
	at := filepath.Join(dir, "at")
	over := filepath.Join(dir, "over")
	const limit = 4096
	if err := os.WriteFile(at, bytes.Repeat([]byte("a"), limit), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(over, bytes.Repeat([]byte("a"), limit+1), 0o600); err != nil {
		t.Fatal(err)
	}
	data, mode, err := readFile(at, limit)
	if err != nil || len(data) != limit || mode != 0o640 {
		t.Errorf("readFile(at limit) = %d bytes, mode %v, %v; want %d bytes, mode 0640, no error", len(data), mode, err, limit)
	}
	if _, _, err := readFile(over, limit); err == nil || !strings.Contains(err.Error(), "larger than the limit of 4 KiB") {
		t.Errorf("readFile(over limit) error = %v, want the limit named", err)
	}
	if _, err := os.Stat("/proc/self/cmdline"); err != nil {
		t.Skip("no /proc here")
	}
	want, err := os.ReadFile("/proc/self/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := readFile("/proc/self/cmdline", maxConfigSize)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("readFile(/proc/self/cmdline) = %q, %v; want %q", got, err, want)
	}
}
