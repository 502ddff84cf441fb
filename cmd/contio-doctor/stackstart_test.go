package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// internal/stackstart grows the main goroutine's stack for the inits that
// follow it, so it must initialise before every non-standard package: a
// rename or an import added to it would quietly undo that.
func TestStackstartInitialisesFirst(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var order []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[0] == "init" {
			order = append(order, f[1])
		}
	}
	const me = "github.com/Contio-AI/contio-doctor/internal/stackstart"
	for _, p := range order {
		if p == me {
			return
		}
		if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") {
			t.Fatalf("%s initialised before %s; init order:\n%s", p, me, strings.Join(order, "\n"))
		}
	}
	t.Fatalf("%s did not initialise (GODEBUG=inittrace=1 listed %d packages)", me, len(order))
}
