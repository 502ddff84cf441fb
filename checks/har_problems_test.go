package checks_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/har"
)

// TestCapturesAreOneProblemEach: captures recorded by real programs
// (Chromium through the sandbox's sign-in, the official SDK through the
// proxy) show one mistake each, and read as one problem under its guide
// entry, however many checks see it.
func TestCapturesAreOneProblemEach(t *testing.T) {
	for name, guide := range map[string]contio.GuideKey{
		"chromium-client-id-typo":                 contio.GuideInvalidClient,
		"chromium-redirect-uri-not-registered":    contio.GuideInvalidRequest,
		"chromium-otp-expired":                    contio.GuideInvalidCode,
		"chromium-session-expired-before-consent": contio.GuideSessionExpired,
		"chromium-scope-unticked":                 contio.GuidePartialScope,
		"sdk-admin-missing-client-id":             contio.GuideMissingClientID, // CD4201, CD4202, CD4451
		"sdk-code-reused":                         contio.GuideInvalidGrant,    // CD2402, CD2450
		"sdk-burst-no-retries":                    contio.GuideRateLimitExceeded,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(testdataDir, "har", name+".har")
			ig, err := har.LoadFile(path, har.Options{File: path})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := diagnosis.Run(context.Background(), ig, diagnosis.Options{Capture: diagnosis.SourceHAR, RunID: "t"})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Problems) != 1 || rep.Problems[0].Guide != guide {
				t.Fatalf("want one problem under %s:\n%s", guide, describeProblems(rep))
			}
			for _, e := range rep.Problems[0].Evidence {
				if e.Source != diagnosis.SourceHAR {
					t.Errorf("evidence %s from %s, want har", e.Check, e.Source)
				}
			}
		})
	}
}
