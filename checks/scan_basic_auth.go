package checks

import (
	"context"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// Basic credentials as the partner's code builds them (contio-doctor scan).
// Same guide entry as the config checks CD1101/CD1103/CD1104: one problem.

func basicBuildCheck(match func(b integration.BasicBuild) bool, message string) func(context.Context, *Input) ([]Finding, error) {
	return func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, b := range code.BasicBuilds {
			if match(b) {
				out = append(out, Finding{Message: message, Location: b.At})
			}
		}
		return out, nil
	}
}

var _ = register(&Check{
	ID:    "CD1601",
	Name:  "code-basic-auth-line-ending",
	Guide: contio.GuideBasicAuthEncoding,
	Title: "The code base64-encodes the client credentials with a line ending",
	Symptom: "The token endpoint answers invalid_client although the client ID and secret are right; decoding the " +
		"header shows the secret followed by a newline.",
	Cause: "echo without -n, a here-string, a \\n in the template, or a secret read from a file without trimming adds a line " +
		"ending before base64 runs. The server compares the decoded secret byte for byte, newline included.",
	Fix: "Encode exactly client_id:client_secret: `printf '%s:%s' \"$ID\" \"$SECRET\" | base64` or `echo -n`, trim values read " +
		"from files, and drop the \\n from templates.",
	Verifies: "Basic credentials built in code carry no line ending.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: basicBuildCheck(func(b integration.BasicBuild) bool { return b.Newline },
		"the encoded client_id:client_secret ends with a line ending, so the decoded secret is wrong"),
})

var _ = register(&Check{
	ID:      "CD1602",
	Name:    "code-basic-auth-missing-colon",
	Guide:   contio.GuideBasicAuthEncoding,
	Title:   "The code joins client ID and secret without the colon before base64",
	Symptom: "The token endpoint answers invalid_client for every request.",
	Cause: "Basic credentials are the client ID, a colon, then the secret. Without the colon the server reads one long " +
		"client ID and no secret.",
	Fix:      "Encode `${clientId}:${clientSecret}`, with the colon, or let your HTTP client build Basic auth from the two values.",
	Verifies: "Basic credentials built in code separate ID and secret with a colon.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: basicBuildCheck(func(b integration.BasicBuild) bool { return b.NoColon },
		"client ID and secret are joined without \":\" before base64"),
})

var _ = register(&Check{
	ID:      "CD1603",
	Name:    "code-basic-pair-sent-as-bearer",
	Guide:   contio.GuideBasicAuthEncoding,
	Title:   "The code sends the base64 client credentials under the Bearer scheme",
	Symptom: "The token endpoint answers invalid_client (or 401) although the encoding itself is right.",
	Cause: "base64(client_id:client_secret) is a Basic credential. Sent as `Authorization: Bearer …` the server looks for an " +
		"access token, finds none, and rejects the client.",
	Fix:      "Send `Authorization: Basic <base64(client_id:client_secret)>` to the OAuth endpoints; Bearer is for access tokens on /v1/partner/user/*.",
	Verifies: "encoded client credentials are sent as Basic.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: basicBuildCheck(func(b integration.BasicBuild) bool { return b.Scheme == "Bearer" },
		"base64(client_id:client_secret) is sent as a Bearer token"),
})
