package main

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/report"
)

// TestEveryFormatNamesTheVersion: a support ticket built from any format
// says which build produced it.
func TestEveryFormatNamesTheVersion(t *testing.T) {
	inRepoRoot(t)
	saved := diagnosis.Version
	diagnosis.Version = "v9.8.7-canary"
	t.Cleanup(func() { diagnosis.Version = saved })
	for _, format := range report.FormatNames() {
		got := runCLI(t, nil, args(healthyArgs, "--format", format, "--fail-on", "never")...)
		if format == "github" {
			continue // workflow commands carry findings only
		}
		if !strings.Contains(got.stdout, "v9.8.7-canary") {
			t.Errorf("--format %s does not name the version:\n%.400s", format, got.stdout)
		}
	}
}
