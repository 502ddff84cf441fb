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
//	go run ./scripts/coldstart -floor     # also what linking costs, with no work
//
// -floor adds two reference binaries in both builds: one that imports only
// net/http, and one that links every package the doctor links and returns
// from main at once. They show how much of the ratio is process start and
// package initialisation that no work in the run can remove.
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
	floor := flag.Bool("floor", false, "also measure binaries that only link (net/http alone; everything the doctor links)")
	flag.Parse()
	if err := run(*rounds, *floor); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func run(rounds int, floor bool) error {
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
	bins := []string{doctor, static, helloBin}
	var extra []*subject
	if floor {
		refs, err := buildFloor(work)
		if err != nil {
			return err
		}
		for _, r := range refs {
			bins = append(bins, r.argv[0])
		}
		extra = refs
	}
	for _, p := range bins {
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
	checked := len(subjects)
	subjects = append(subjects, extra...)
	for _, s := range subjects[1:checked] { // the healthy config must pass, or the figures mean nothing
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
		fmt.Printf("  %-48s %5.2f ms (%.2f-%.2f)  %4d faults  %.2fx\n", s.name, ms(m), ms(pct(s.walls, 25)), ms(pct(s.walls, 75)), median(s.flts), float64(m)/float64(base))
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

// buildFloor builds the reference binaries of -floor, each in the default
// build and with CGO_ENABLED=0.
func buildFloor(work string) ([]*subject, error) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, "./cmd/contio-doctor").Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v", err)
	}
	var all strings.Builder
	all.WriteString("package main\n\nimport (\n")
	for _, p := range strings.Fields(string(out)) {
		fmt.Fprintf(&all, "\t_ %q\n", p)
	}
	all.WriteString(")\n\nfunc main() {}\n")
	mains := []struct{ name, src string }{
		{"net/http alone", "package main\n\nimport _ \"net/http\"\n\nfunc main() {}\n"},
		{"links everything, runs nothing", all.String()},
	}
	var subjects []*subject
	for i, m := range mains {
		// Inside the module, so that the doctor's internal packages resolve;
		// removed once built (.gitignore covers an interrupted run).
		dir := filepath.Join("scripts", "coldstart", fmt.Sprintf("floor%d.tmp", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(m.src), 0o644); err != nil {
			return nil, err
		}
		for _, b := range []struct {
			suffix string
			env    []string
		}{{"default build", nil}, {"CGO_ENABLED=0", []string{"CGO_ENABLED=0"}}} {
			bin := filepath.Join(work, fmt.Sprintf("floor%d-%d", i, len(subjects)))
			if err := build(bin, ".", b.env, "./"+filepath.ToSlash(dir)); err != nil {
				return nil, err
			}
			subjects = append(subjects, &subject{name: m.name + " (" + b.suffix + ")", argv: []string{bin}})
		}
	}
	return subjects, nil
}
