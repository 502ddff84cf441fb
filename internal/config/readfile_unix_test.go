//go:build unix

package config

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// readFileUnix answers exactly as readFileOS does: the same bytes, mode
// and error text for every kind of file a user may name.
func TestReadFileUnixMatchesOS(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const limit = 4096
	cases := map[string]string{
		"small":         write("small.yaml", []byte("version: 1\n"), 0o644),
		"empty":         write("empty.yaml", nil, 0o600),
		"at limit":      write("at.yaml", bytes.Repeat([]byte("a"), limit), 0o640),
		"over limit":    write("over.yaml", bytes.Repeat([]byte("a"), limit+1), 0o600),
		"unreadable":    write("locked.yaml", []byte("x"), 0o000),
		"missing":       filepath.Join(dir, "nosuch.yaml"),
		"directory":     dir,
		"not a dir":     filepath.Join(dir, "small.yaml", "x"),
		"/dev/zero":     "/dev/zero",
		"/dev/null":     "/dev/null",
		"/proc":         "/proc/self/status",
		"dangling":      filepath.Join(dir, "dangling"),
		"name too long": filepath.Join(dir, string(bytes.Repeat([]byte("n"), 300))),
	}
	if err := os.Symlink(filepath.Join(dir, "gone"), cases["dangling"]); err != nil {
		t.Fatal(err)
	}
	for name, p := range cases {
		if name == "/proc" {
			continue // its content changes between two reads; compared below
		}
		gd, gm, ge := readFileUnix(p, limit)
		wd, wm, we := readFileOS(p, limit)
		if !bytes.Equal(gd, wd) || gm != wm || errText(ge) != errText(we) {
			t.Errorf("%s: readFileUnix = %q, %v, %q; readFileOS = %q, %v, %q", name, gd, gm, errText(ge), wd, wm, errText(we))
		}
	}
	if _, _, err := readFileUnix(cases["/proc"], limit); err != nil {
		t.Errorf("/proc: %v", err)
	}
	// A named pipe has no size: read until the writer closes it.
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	go func() {
		if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			f.WriteString("piped\n")
			f.Close()
		}
	}()
	if got, _, err := readFileUnix(fifo, limit); err != nil || string(got) != "piped\n" {
		t.Errorf("fifo: %q, %v; want \"piped\\n\"", got, err)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
