package checks_test

import (
	"path/filepath"
	"testing"
)

// A beta partner with the docs' local callback gets no finding: beta is a
// documented environment, and http://localhost:3000/callback registered
// exactly is what Contio matches.
func TestBetaConfigWithLocalCallbackHasNoFindings(t *testing.T) {
	path := filepath.Join(testdataDir, "healthy-beta.yaml")
	assertFailing(t, path, runConfig(t, path), nil)
}
