package stackstart

import (
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"
)

// grow's frame really is frame bytes: under a 32 KiB stack limit a call
// overflows (the child process dies of it), under 128 KiB it does not. A
// compiler that dropped the array would make the first child live.
func TestGrowHasItsFrame(t *testing.T) {
	if limit := os.Getenv("STACKSTART_TEST_LIMIT"); limit != "" {
		n := 32 << 10
		if limit == "128" {
			n = 128 << 10
		}
		debug.SetMaxStack(n)
		done := make(chan byte)
		go func() { done <- grow(frame / 2) }()
		<-done
		os.Exit(0)
	}
	for _, tc := range []struct {
		limit string
		dies  bool
	}{{"32", true}, {"128", false}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestGrowHasItsFrame$")
		cmd.Env = append(os.Environ(), "STACKSTART_TEST_LIMIT="+tc.limit)
		out, err := cmd.CombinedOutput()
		died := err != nil && strings.Contains(string(out), "stack exceeds")
		if died != tc.dies {
			t.Errorf("grow under a %s KiB stack limit: died %v, want %v (%v)\n%s", tc.limit, died, tc.dies, err, out)
		}
	}
}
