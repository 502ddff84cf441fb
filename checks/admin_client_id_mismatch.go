package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD4203",
	Name:    "admin-client-id-mismatch",
	Guide:   contio.GuideMissingClientID,
	Title:   "The X-Client-ID value differs from the OAuth client ID",
	Symptom: "Admin endpoints answer 401 or missing_client_id although both headers are sent.",
	Cause: "X-Client-ID must name the app the API key belongs to, which is the app's OAuth client ID. " +
		"admin.client_id holds another value: another app's or environment's ID (staging vs production), or an old one.",
	Fix:      "Use one source for the client ID: set admin.client_id to the same value as oauth.client_id, e.g. both `${CONTIO_CLIENT_ID}`.",
	Verifies: "admin.client_id equals oauth.client_id.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      adminClientIDMismatch,
})

func adminClientIDMismatch(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	admin, oauth := ig.Admin.ClientID, ig.OAuth.ClientID
	if admin.Raw == "" || oauth.Raw == "" || admin.Raw == oauth.Raw {
		return nil, nil
	}
	how := "they are different values"
	switch {
	case strings.TrimSpace(admin.Raw) == strings.TrimSpace(oauth.Raw):
		how = "they differ only in surrounding whitespace"
	case strings.EqualFold(admin.Raw, oauth.Raw):
		how = "they differ only in letter case (client IDs are case-sensitive)"
	}
	return []Finding{{
		Message:  fmt.Sprintf("admin.client_id %q differs from oauth.client_id %q: %s", admin.Raw, oauth.Raw, how),
		Location: admin.From,
		Evidence: fmt.Sprintf("admin.client_id from %s; oauth.client_id from %s", sourceOr(admin.From), sourceOr(oauth.From)),
	}}, nil
}

func sourceOr(s integration.Source) string {
	if str := s.String(); str != "" {
		return str
	}
	return "an unknown place"
}
