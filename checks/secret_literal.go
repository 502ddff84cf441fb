package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

var _ = register(&Check{
	ID:      "CD1006",
	Name:    "secret-literal-in-config",
	Guide:   contio.GuideNone,
	Title:   "A secret is written into the config file",
	Symptom: "Nothing fails yet: the secret works, but it now lives wherever the file goes (the repository, CI logs, support tickets, backups).",
	Cause: "The config file holds the secret's value itself instead of a ${VAR} reference, so anyone who can read the file, " +
		"or any commit of it, holds a working Contio credential.",
	Fix: "Replace the value with a reference such as ${CONTIO_CLIENT_SECRET} and set the variable in the environment, " +
		"a .env file kept out of version control, or your secret manager. If the file was ever committed or shared, rotate the secret in the Contio Partner Dashboard.",
	Verifies: "every secret in the config file comes from a ${VAR} reference.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      secretLiteralInConfig,
})

// envVarFor suggests the variable a secret should come from.
func envVarFor(name string) string {
	switch name {
	case "oauth.client_secret":
		return "CONTIO_CLIENT_SECRET"
	case "oauth.basic_auth_header":
		return "CONTIO_BASIC_AUTH"
	case "tokens.access_token":
		return "CONTIO_ACCESS_TOKEN"
	case "tokens.refresh_token":
		return "CONTIO_REFRESH_TOKEN"
	case "admin.api_key":
		return "CONTIO_API_KEY"
	case "webhooks.secret":
		return "CONTIO_WEBHOOK_SECRET"
	}
	return ""
}

// literalSecrets are the secrets the config file spells out itself.
func literalSecrets(ig *integration.Integration) []integration.Secret {
	var out []integration.Secret
	for _, s := range ig.Secrets() {
		if s.Value.Literal && !s.Value.From.IsZero() && s.Value.From.HAREntry == 0 {
			out = append(out, s)
		}
	}
	return out
}

func secretLiteralInConfig(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, s := range literalSecrets(in.Integration) {
		key := s.Name[strings.LastIndexByte(s.Name, '.')+1:]
		ref := "${" + envVarFor(s.Name) + "}"
		if envVarFor(s.Name) == "" {
			ref = "${VAR}"
		}
		out = append(out, Finding{
			Message:  fmt.Sprintf("%s is written in the config file; use %s: %s instead", s.Name, key, ref),
			Location: s.Value.From,
			Evidence: redact.Fingerprint(s.Value.Raw),
		})
	}
	return out, nil
}
