package checks

import (
	"context"
	"fmt"
	"strconv"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:    "CD2001",
	Name:  "redirect-uri-not-registered",
	Guide: contio.GuideInvalidRequest,
	Title: "The redirect URI sent in the authorization request is not one of the registered ones",
	Symptom: "The browser stops on Contio's error page with invalid_request instead of returning to your app, " +
		"saying the redirect_uri does not match any pre-registered redirect URL.",
	Cause: "Contio compares redirect_uri with the URIs registered in the Partner Dashboard character for character. " +
		"A trailing slash, http instead of https, an explicit :443, a different port, upper-case letters, an extra query parameter, " +
		"a different percent-encoding or an invisible trailing space each make it a different URI. Loopback addresses get no exception: " +
		"Contio documents no any-port rule for 127.0.0.1 or [::1], so a local callback must use the registered port too.",
	Fix: "Make the value your code sends identical to a registered URI, or register the exact value your code sends in the Partner Dashboard. " +
		"Copy the URI rather than retyping it, and build it from configuration rather than from the incoming request's Host header.",
	Verifies: "oauth.redirect_uri equals one of oauth.registered_redirect_uris byte for byte, loopback addresses and their ports included.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      redirectURINotRegistered,
})

func redirectURINotRegistered(_ context.Context, in *Input) ([]Finding, error) {
	o := in.Integration.OAuth
	if !o.RedirectURI.Set {
		return nil, Skip("no redirect_uri configured", "set oauth.redirect_uri to the value your code sends")
	}
	if len(o.RegisteredRedirectURIs) == 0 {
		return nil, Skip("no registered redirect URIs in the config",
			"copy the Redirect URIs from the Partner Dashboard into oauth.registered_redirect_uris")
	}
	sent := o.RedirectURI.Raw
	for _, r := range o.RegisteredRedirectURIs {
		if uri.Equal(sent, r.Raw) {
			return nil, nil
		}
	}
	closest, diffs := closestRedirectURI(sent, o.RegisteredRedirectURIs)
	msg := fmt.Sprintf("redirect_uri %q differs from the registered %q: %s", sent, closest.Raw, uri.Describe(diffs))
	if n := len(o.RegisteredRedirectURIs); n > 1 {
		msg = fmt.Sprintf("redirect_uri %q matches none of the %d registered URIs; the closest, %q, differs: %s",
			sent, n, closest.Raw, uri.Describe(diffs))
	}
	return []Finding{{
		Root:     redirectURIRoot(sent),
		Message:  msg,
		Evidence: redirectDiffEvidence("sent", sent, "registered", closest.Raw),
		Location: o.RedirectURI.From,
		Fix: fmt.Sprintf("Set oauth.redirect_uri, and the value your code sends, to exactly %q; "+
			"or, if %q is the URI you mean to use, add it to the app's Redirect URIs in the Partner Dashboard.", closest.Raw, sent),
	}}, nil
}

// closestRedirectURI picks the registered URI with the fewest differing
// components (the first on a tie), so the diff shown is the useful one.
func closestRedirectURI(sent string, registered []integration.Value) (integration.Value, []uri.Difference) {
	best, bestDiffs := registered[0], uri.Diff(sent, registered[0].Raw)
	for _, r := range registered[1:] {
		if d := uri.Diff(sent, r.Raw); len(d) < len(bestDiffs) {
			best, bestDiffs = r, d
		}
	}
	return best, bestDiffs
}

// redirectDiffEvidence lines two URIs up, quoted so whitespace shows.
func redirectDiffEvidence(labelA, a, labelB, b string) string {
	w := max(len(labelA), len(labelB)) + 1
	return fmt.Sprintf("%-*s %q\n%-*s %q", w, labelA+":", a, w, labelB+":", b)
}

// redirectURIValues lists every redirect URI the config holds, with the
// config key that names it: the request's, the token exchange's when set
// apart, and the registered ones.
func redirectURIValues(ig *integration.Integration) []integration.Secret {
	out := make([]integration.Secret, 0, 2+len(ig.OAuth.RegisteredRedirectURIs)) // one allocation
	if ig.OAuth.RedirectURI.Set && ig.OAuth.RedirectURI.Raw != "" {
		name := "oauth.redirect_uri"
		if ig.Capture != nil {
			// A capture run has no config: name what the traffic shows.
			name = "the authorization request's redirect_uri"
		}
		out = append(out, integration.Secret{Name: name, Value: ig.OAuth.RedirectURI})
	}
	if t := ig.OAuth.TokenRedirectURI; t.Set && t.Raw != "" && t.Raw != ig.OAuth.RedirectURI.Raw {
		out = append(out, integration.Secret{Name: "oauth.token_redirect_uri", Value: t})
	}
	for i, r := range ig.OAuth.RegisteredRedirectURIs {
		if r.Raw != "" {
			out = append(out, integration.Secret{Name: "oauth.registered_redirect_uris[" + strconv.Itoa(i) + "]", Value: r})
		}
	}
	return out
}
