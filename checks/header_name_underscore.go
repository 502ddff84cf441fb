package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD4204",
	Name:    "header-name-underscore",
	Guide:   contio.GuideMissingClientID,
	Title:   "A header name uses underscores (X_Client_ID), which proxies drop",
	Symptom: "Admin calls answer missing_client_id (or 401) in production although the code sets the header; they may work locally.",
	Cause: "nginx and many other proxies and load balancers silently drop request headers whose names contain underscores " +
		"(nginx's underscores_in_headers is off by default), so X_Client_ID or X_API_Key never reaches Contio.",
	Fix:      "Spell header names with hyphens: X-Client-ID and X-API-Key.",
	Verifies: "no call sends a header whose name contains an underscore.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCalls,
	Run:      headerNameUnderscore,
})

func headerNameUnderscore(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	var out []Finding
	for i, c := range ig.Calls {
		if !isContioCall(ig, c) {
			continue
		}
		for _, h := range c.Headers {
			if !strings.Contains(h.Raw, "_") {
				continue
			}
			right := strings.ReplaceAll(strings.TrimSpace(h.Raw), "_", "-")
			for _, known := range []string{"X-Client-ID", "X-API-Key", "Idempotency-Key", "X-Client-Timezone"} {
				if strings.EqualFold(right, known) {
					right = known
				}
			}
			out = append(out, Finding{
				Message:  fmt.Sprintf("%s sends the header %q: proxies drop names with underscores; use %q", callLabel(i, c), h.Raw, right),
				Location: callAt(c, h),
				Evidence: fmt.Sprintf("header name %q", h.Raw),
				Commands: []string{exampleCurl(ig, callMethod(c), c.Path.Raw)},
			})
		}
	}
	return out, nil
}

// underscoreVariant returns the name of a header the call sends that is
// want spelled with underscores (X_Client_ID for X-Client-ID), or "".
func underscoreVariant(c integration.Call, want string) string {
	for _, h := range c.Headers {
		if strings.Contains(h.Raw, "_") && strings.EqualFold(strings.ReplaceAll(strings.TrimSpace(h.Raw), "_", "-"), want) {
			return h.Raw
		}
	}
	return ""
}

// headerList renders header names for evidence.
func headerList(hs []integration.Value) string {
	if len(hs) == 0 {
		return "none declared"
	}
	names := make([]string, len(hs))
	for i, h := range hs {
		names[i] = h.Raw
	}
	return strings.Join(names, ", ")
}
