package checks

import (
	"context"
	"fmt"
	"net/url"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:    "CD2009",
	Name:  "authorization-url-no-state",
	Guide: contio.GuideInvalidRequest,
	Title: "The authorization URL carries no state, or a guessable one",
	Symptom: "Nothing fails visibly: logins work, but the callback accepts codes it never asked for, so an attacker can log a victim into " +
		"the attacker's Contio account (login CSRF).",
	Cause: "state ties the callback to the browser that started the login. The Contio SDK passes it through but neither generates nor " +
		"checks it; that is the app's job. Without it, or with a constant or short value, the callback cannot tell a forged redirect from a real one.",
	Fix: "Generate at least 16 random bytes per login (e.g. base64url of crypto random), store them in the user's session, send them as state " +
		"and reject the callback unless the returned state matches.",
	Verifies: "oauth.authorization_url carries a state parameter of at least 8 characters.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      authorizationURLNoState,
})

// minStateLen is the shortest state worth calling unguessable.
const minStateLen = 8

func authorizationURLNoState(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	_, params, err := authorizationURLParts(ig)
	if err != nil {
		return nil, err
	}
	at := ig.OAuth.AuthorizationURL.From
	st, ok := authURLParam(params, "state")
	if !ok || st.Raw == "" {
		return []Finding{{Message: "authorization_url has no state parameter, so the callback cannot detect a forged (CSRF) redirect", Location: at}}, nil
	}
	dec, err := url.QueryUnescape(st.Raw)
	if err != nil {
		dec = st.Raw
	}
	if len(dec) < minStateLen {
		return []Finding{{
			Message:  fmt.Sprintf("authorization_url state %q is %d characters; a value this short can be guessed", dec, len(dec)),
			Location: at,
		}}, nil
	}
	return nil, nil
}
