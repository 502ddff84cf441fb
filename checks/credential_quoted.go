package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD1002",
	Name:    "credential-quoted",
	Guide:   contio.GuideInvalidClient,
	Title:   "A credential still has the quotes around it",
	Symptom: "The token endpoint answers invalid_client (or admin calls 401) although the credential was copied correctly.",
	Cause: "The quotes written around the value in a .env or compose file became part of it. `docker run --env-file`, " +
		"older Docker Compose and some CI secret stores keep quotes literally, so the app sends `\"abc\"` instead of `abc`.",
	Fix: "Store the value without quotes (KEY=value) for loaders that keep them, or use a loader that strips them. " +
		"Check what the running process really receives, not what the file shows.",
	Verifies: "no credential begins and ends with a matching quote character.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      credentialQuoted,
})

func credentialQuoted(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, c := range in.Integration.Credentials() {
		if c.Name == "webhooks.secret" {
			continue // CD7002 owns the webhook secret's stray quotes and whitespace
		}
		raw := c.Value.Raw
		if !quotedValue(raw) {
			continue
		}
		q := raw[0]
		name := map[byte]string{'"': "double quotes", '\'': "single quotes", '`': "backticks"}[q]
		out = append(out, Finding{
			Message:  fmt.Sprintf("%s is wrapped in %s (%c at the start and at the end)", c.Name, name, q),
			Location: c.Value.From,
			Evidence: fmt.Sprintf("as stored: %s; without the quotes: %s", mask(c.Name, raw), mask(c.Name, raw[1:len(raw)-1])),
		})
	}
	return out, nil
}

// quotedValue reports whether v begins and ends with the same quote character.
func quotedValue(v string) bool {
	return len(v) >= 2 && strings.IndexByte("\"'`", v[0]) >= 0 && v[len(v)-1] == v[0]
}
