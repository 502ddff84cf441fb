package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD1101",
	Name:    "basic-auth-scheme",
	Guide:   contio.GuideBasicAuthEncoding,
	Title:   "The client's Authorization value does not start with `Basic `",
	Symptom: "POST /oauth2/token (and the other OAuth endpoints) answer invalid_client or 401 although the client ID and secret are right.",
	Cause: "Contio authenticates the client on its OAuth endpoints with HTTP Basic: the header must read `Basic ` followed by base64(client_id:client_secret). " +
		"A value sent as Bearer, without a scheme at all, or with extra spaces after `Basic` is not read as client credentials.",
	Fix:      "Send `Authorization: Basic <base64 of client_id:client_secret>`, with exactly one space after Basic. Most HTTP libraries build it for you from the ID and secret." + basicAuthInCode,
	Verifies: "oauth.basic_auth_header starts with the Basic scheme and one space.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      basicAuthScheme,
})

func basicAuthScheme(_ context.Context, in *Input) ([]Finding, error) {
	h := in.Integration.OAuth.BasicAuthHeader
	if h.Raw == "" {
		return nil, Skip("no Basic header configured", "set oauth.basic_auth_header to the Authorization value your code computes")
	}
	b := parseBasic("oauth.basic_auth_header", h)
	var problems []string
	if lead := len(h.Raw) - len(strings.TrimLeft(h.Raw, " \t")); lead > 0 {
		problems = append(problems, fmt.Sprintf("starts with %d whitespace character(s) before the scheme", lead))
	}
	switch {
	case b.scheme == "":
		problems = append(problems, "has no scheme: it is the bare credentials, without `Basic ` in front")
	case strings.EqualFold(b.scheme, "bearer"):
		problems = append(problems, "uses the Bearer scheme; the OAuth endpoints authenticate the client with Basic (Bearer is for access tokens on /v1/partner/user)")
	case !strings.EqualFold(b.scheme, "basic"):
		problems = append(problems, fmt.Sprintf("uses the scheme %q instead of Basic", b.scheme))
	case b.sep != " ":
		problems = append(problems, fmt.Sprintf("has %s between Basic and the credentials instead of one space", describeSeparator(b.sep)))
	}
	if len(problems) == 0 {
		return nil, nil
	}
	return []Finding{{
		Message:  "oauth.basic_auth_header " + joinAnd(problems),
		Location: h.From,
		Commands: basicAuthCommands,
	}}, nil
}

func describeSeparator(sep string) string {
	if strings.Trim(sep, " ") == "" {
		return fmt.Sprintf("%d spaces", len(sep))
	}
	var names []string
	for _, r := range sep {
		names = append(names, aRune(r))
	}
	return joinAnd(names)
}
