// Command coldstart measures what a cold offline run costs against a Go
// hello-world's process start (issue 14's bar: at most 2x).
//
// It builds the doctor twice (the default build, and CGO_ENABLED=0 as a
// static release is built) and a hello-world, then runs the three in
// alternation, rotating their order every round so that each sees the same
// machine load, and prints each one's median wall time, its minor page
// faults and its ratio to the hello-world.
//
// Each binary is copied into a fresh file with plain writes before it is
// measured. On Linux a file that the Go linker wrote through a memory
// mapping sits in the page cache in small pages, while the same bytes
// written with write(2) (as cp, a download or a package manager does) sit in
// large folios; the first kind takes more page faults to start. Without the
// copy, a hello-world linked by Go's internal linker would be measured in
// the slow layout and a cgo doctor (written by the external linker) in the
// fast one.
//
//	go run ./scripts/coldstart            # 300 rounds
//	go run ./scripts/coldstart -rounds 1000
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

const hello = `package main

import "fmt"

func main() { fmt.Println("hello") }
`

type subject struct {
	name  string
	argv  []string
	walls []time.Duration
	flts  []int64
}

func main() {
	rounds := flag.Int("rounds", 300, "measured rounds (after 20 to warm up)")
	flag.Parse()
	if err := run(*rounds); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func run(rounds int) error {
	work, err := os.MkdirTemp("", "coldstart")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	doctor := filepath.Join(work, "contio-doctor")
	static := filepath.Join(work, "contio-doctor-static")
	helloBin := filepath.Join(work, "hello-world")
	if err := build(doctor, ".", nil, "./cmd/contio-doctor"); err != nil {
		return err
	}
	if err := build(static, ".", []string{"CGO_ENABLED=0"}, "./cmd/contio-doctor"); err != nil {
		return err
	}
	hdir := filepath.Join(work, "hello")
	if err := os.MkdirAll(hdir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(hdir, "main.go"), []byte(hello), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(hdir, "go.mod"), []byte("module hello\n\ngo 1.21\n"), 0o644); err != nil {
		return err
	}
	if err := build(helloBin, hdir, []string{"GOFLAGS="}, "."); err != nil {
		return err
	}
	for _, p := range []string{doctor, static, helloBin} {
		if err := rewrite(p); err != nil {
			return err
		}
	}

	args := []string{"--config", "testdata/healthy.yaml", "--env-file", "testdata/healthy.env", "--offline", "--no-color"}
	subjects := []*subject{
		{name: "hello-world", argv: []string{helloBin}},
		{name: "offline run (default build)", argv: append([]string{doctor}, args...)},
		{name: "offline run (CGO_ENABLED=0)", argv: append([]string{static}, args...)},
	}
	for _, s := range subjects[1:] { // the healthy config must pass, or the figures mean nothing
		if out, err := exec.Command(s.argv[0], s.argv[1:]...).CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %v\n%s", s.name, err, out)
		}
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer devnull.Close()
	const warmup = 20
	for r := 0; r < warmup+rounds; r++ {
		for k := range subjects {
			s := subjects[(r+k)%len(subjects)]
			cmd := exec.Command(s.argv[0], s.argv[1:]...)
			cmd.Stdout, cmd.Stderr = devnull, devnull
			start := time.Now()
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("%s: %v", s.name, err)
			}
			wall := time.Since(start)
			if r < warmup {
				continue
			}
			s.walls = append(s.walls, wall)
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				s.flts = append(s.flts, ru.Minflt)
			}
		}
	}
	base := median(subjects[0].walls)
	fmt.Printf("%d alternating rounds; medians of wall time (and p25-p75), minor page faults\n", rounds)
	for _, s := range subjects {
		m := median(s.walls)
		fmt.Printf("  %-28s %5.2f ms (%.2f-%.2f)  %4d faults  %.2fx\n", s.name, ms(m), ms(pct(s.walls, 25)), ms(pct(s.walls, 75)), median(s.flts), float64(m)/float64(base))
	}
	return nil
}

// build compiles pkg (run in dir) into out.
func build(out, dir string, env []string, pkg string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// rewrite replaces path with a copy written through write(2) (see the
// package comment for why).
func rewrite(path string) error {
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := path + ".copy"
	dst, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	// Plain reads and writes: io.Copy would use copy_file_range, which may
	// share the source's page-cache layout.
	if _, err := io.CopyBuffer(struct{ io.Writer }{dst}, struct{ io.Reader }{src}, make([]byte, 1<<20)); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func median[T int64 | time.Duration](xs []T) T { return pct(xs, 50) }

func pct[T int64 | time.Duration](xs []T, p int) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
