package scan

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/lazyre"
)

// Every package-level pattern compiles: MustCompile no longer runs at init,
// so a bad one would otherwise surface only on the first scan that uses it.
func TestLazyRegexpsCompile(t *testing.T) {
	for _, l := range []*lazyre.Regexp{
		contioPath, retryCallee, credentialWords, readFileCall, secretName,
		waitWords, retryWords, retryAfter, status429,
		echoBase64, printfBase64, hereBase64, shellVar, assignment,
		pyCall, pyAssign, pyString, pyFBraces, pyKey, pyLiteral, pyB64, pyHeadersK,
	} {
		if l.Get() == nil {
			t.Errorf("%q did not compile", l.Expr)
		}
	}
}
