package checks

import (
	"context"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD1104",
	Name:    "basic-auth-missing-colon",
	Guide:   contio.GuideBasicAuthEncoding,
	Title:   "The Basic credentials have no ':' between client ID and secret",
	Symptom: "The token endpoint answers invalid_client for every request.",
	Cause: "Basic credentials are base64 of the client ID, a colon and the secret. Without the colon the server cannot tell where the ID ends: " +
		"usually only the secret (or only the ID) was encoded, or the two were concatenated.",
	Fix:      "Encode exactly `client_id:client_secret`, with the colon, and nothing else." + basicAuthInCode,
	Verifies: "the Basic credentials decode to a value with a ':' separator.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      basicAuthMissingColon,
})

func basicAuthMissingColon(_ context.Context, in *Input) ([]Finding, error) {
	list, err := decodedBasic(in.Integration)
	if err != nil {
		return nil, err
	}
	o := in.Integration.OAuth
	var out []Finding
	for _, b := range list {
		dec := withoutLineEnd(b.decoded)
		if strings.Contains(dec, ":") {
			continue
		}
		msg := b.name + " decodes to a value with no ':'"
		switch {
		case o.ClientSecret.Raw != "" && dec == o.ClientSecret.Raw:
			msg += ": it encodes the client secret alone"
		case o.ClientID.Raw != "" && dec == o.ClientID.Raw:
			msg += ": it encodes the client ID alone"
		case o.ClientID.Raw != "" && o.ClientSecret.Raw != "" && dec == o.ClientID.Raw+o.ClientSecret.Raw:
			msg += ": it encodes the client ID and secret run together"
		}
		out = append(out, Finding{Message: msg, Location: b.v.From, Commands: basicAuthCommands})
	}
	return out, nil
}
