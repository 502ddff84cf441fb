package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:      "CD6006",
	Name:    "sdk-insecure-tls-heuristic",
	Guide:   contio.GuideNetworkError,
	Title:   "A base URL would make the official SDK switch off TLS certificate checks",
	Symptom: "Nothing fails: requests succeed, but tokens, client secrets and API keys travel over TLS that no longer verifies whom it talks to.",
	Cause: "The Node SDK turns off certificate verification for a client whose URL contains \"localhost\", \"local.\" or \".lan.contio.ai\" " +
		"anywhere in the string, meant for local development. A real host such as mylocal.example.com, or a path containing localhost, " +
		"trips it too, leaving the connection open to interception.",
	Fix: "Choose host names and paths that do not contain those substrings for anything but local development, or front the API with a " +
		"URL that does not; for local TLS, trust a local CA instead.",
	Verifies: "api_url (with the SDK's /v1/partner prefix) and the token URL built from auth_url contain none of localhost, local. and .lan.contio.ai unless they point at loopback.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      sdkInsecureTLSHeuristic,
})

// sdkInsecureMarkers are the substrings the SDK's dev-mode test looks for.
var sdkInsecureMarkers = []string{".lan.contio.ai", "localhost", "local."}

func sdkInsecureTLSHeuristic(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, v := range baseURLValues(in.Integration) {
		raw := strings.TrimSpace(v.Value.Raw)
		p := uri.Split(raw)
		if uri.IsLoopback(p.Hostname()) || p.Hostname() == "" {
			continue
		}
		// The SDK tests the URL it really calls: the API base with its
		// prefix, or the token URL.
		built := strings.TrimRight(raw, "/") + contio.UserPrefix
		if v.Name == "auth_url" {
			built = strings.TrimRight(raw, "/") + "/oauth2/token"
		}
		for _, m := range sdkInsecureMarkers {
			if i := strings.Index(built, m); i >= 0 {
				out = append(out, Finding{
					Message: fmt.Sprintf("%s %q contains %q at offset %d while its host %q is not loopback: the SDK would skip certificate verification for %s",
						v.Name, v.Value.Raw, m, i, p.Host, built),
					Location: v.Value.From,
				})
				break
			}
		}
	}
	return out, nil
}
