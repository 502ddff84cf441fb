package checks

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:    "CD2008",
	Name:  "authorization-url-scope-format",
	Guide: contio.GuideInvalidRequest,
	Title: "The authorization URL's scope parameter is missing or not space-separated",
	Symptom: "Login fails with invalid_request or invalid_scope, or succeeds with a token that lacks scopes you asked for " +
		"(insufficient_scope on the first API call).",
	Cause: "OAuth scopes are one parameter, separated by single spaces (encoded as %20 or +). Joining them with commas, or " +
		"encoding the + that stands for a space as %2B, turns the list into one unknown scope such as \"openid,profile\" or \"openid+profile\".",
	Fix:      "Join the scopes with a space and let a URL library encode the parameter: scope=openid%20profile%20meetings%3Aread.",
	Verifies: "oauth.authorization_url carries a non-empty scope parameter whose scopes are separated by spaces.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      authorizationURLScopeFormat,
})

func authorizationURLScopeFormat(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	_, params, err := authorizationURLParts(ig)
	if err != nil {
		return nil, err
	}
	at := ig.OAuth.AuthorizationURL.From
	want := make([]string, 0, len(ig.OAuth.Scopes))
	for _, s := range ig.OAuth.Scopes {
		want = append(want, strings.TrimSpace(s.Raw))
	}
	good := "scope=" + strings.ReplaceAll(url.QueryEscape(strings.Join(want, " ")), "+", "%20")
	if len(want) == 0 {
		good = "scope=openid%20profile%20meetings%3Aread"
	}
	finding := func(msg string) []Finding {
		return []Finding{{Message: "authorization_url: " + msg, Location: at, Fix: "Send " + good + "."}}
	}
	sc, ok := authURLParam(params, "scope")
	if !ok {
		return finding("no scope parameter; Contio then grants only its defaults, which may lack the scopes your calls need"), nil
	}
	dec, err := url.QueryUnescape(sc.Raw)
	if err != nil {
		return finding(fmt.Sprintf("scope %q is not valid percent-encoding: %v", sc.Raw, err)), nil
	}
	switch {
	case strings.TrimSpace(dec) == "":
		return finding("scope parameter is empty"), nil
	case strings.Contains(dec, ","):
		bad := dec
		for _, f := range strings.Fields(dec) {
			if strings.Contains(f, ",") {
				bad = f
				break
			}
		}
		return finding(fmt.Sprintf("scope %q separates scopes with commas; Contio reads %q as one scope name", dec, bad)), nil
	case strings.Contains(dec, "+"):
		bad := ""
		for _, f := range strings.Fields(dec) {
			if strings.Contains(f, "+") {
				bad = f
				break
			}
		}
		return finding(fmt.Sprintf("scope %q holds a literal + (the raw value encodes it as %%2B), so %q reaches Contio as one scope name",
			sc.Raw, bad)), nil
	}
	return nil, nil
}
