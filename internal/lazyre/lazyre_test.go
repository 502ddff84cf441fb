package lazyre

import (
	"sync"
	"testing"
)

// The first uses may race: scans read files concurrently.
func TestConcurrentFirstUse(t *testing.T) {
	l := &Regexp{Expr: `a+b`}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !l.MatchString("xaab") {
				t.Error("a+b did not match xaab")
			}
		}()
	}
	wg.Wait()
}

// An invalid expression panics on first use, as regexp.MustCompile does.
func TestInvalidPanicsOnFirstUse(t *testing.T) {
	l := &Regexp{Expr: `(`}
	defer func() {
		if recover() == nil {
			t.Error("no panic for an invalid expression")
		}
	}()
	l.MatchString("x")
}
