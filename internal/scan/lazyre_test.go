package scan

import (
	"sync"
	"testing"
)

// Every package-level pattern compiles: MustCompile no longer runs at init,
// so a bad one would otherwise surface only on the first scan that uses it.
func TestLazyRegexpsCompile(t *testing.T) {
	for _, l := range []*lazyRegexp{
		contioPath, retryCallee, credentialWords, readFileCall, secretName,
		waitWords, retryWords, retryAfter, status429,
		echoBase64, printfBase64, hereBase64, shellVar, assignment,
		pyCall, pyAssign, pyString, pyFBraces, pyKey, pyLiteral, pyB64, pyHeadersK,
	} {
		if l.get() == nil {
			t.Errorf("%q did not compile", l.expr)
		}
	}
}

// The first uses may race: scans read files concurrently.
func TestLazyRegexpConcurrentFirstUse(t *testing.T) {
	l := &lazyRegexp{expr: `a+b`}
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
