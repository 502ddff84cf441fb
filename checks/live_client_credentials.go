package checks

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

var _ = register(&Check{
	ID:      "CD1501",
	Name:    "client-credentials-accepted",
	Guide:   contio.GuideInvalidClient,
	Title:   "The token endpoint rejects the client credentials",
	Symptom: "Every token exchange, refresh and introspection answers 401 invalid_client, so no user can connect.",
	Cause: "The client_id or client_secret is not the pair the Partner Dashboard shows (a typo, a rotated secret, " +
		"another environment's app), or the partner app has been deactivated.",
	Fix: "Copy both values again from the Partner Dashboard into the environment the app reads, and check that the app is active. " +
		"Contact Contio support with the request_id if the app may have been deactivated.",
	Verifies: "POST /oauth2/token with a random code answers invalid_grant: the server accepted the client_id and secret (nothing is minted).",
	Severity: SeverityError,
	Needs:    NeedsNetwork | NeedsClientSecret,
	Safety:   1,
	Requires: needs(clientAuth, publicInfo),
	Run:      clientCredentialsAccepted,
})

func clientCredentialsAccepted(ctx context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	cc, err := clientAuth.Of(ctx, in)
	if err != nil {
		return nil, err
	}
	secret := ig.OAuth.ClientSecret.Raw
	if cc.accepted {
		if cc.formEncodedOnly {
			return []Finding{{
				Severity: SeverityWarning,
				Message: "the server accepted the credentials only when each part was form-urlencoded before base64 (RFC 6749 §2.3.1); " +
					"the raw form the official SDK sends was rejected",
				Cause:     "The client secret holds characters (" + specialChars(secret) + ") that the two encodings write differently.",
				Fix:       "Form-urlencode client_id and client_secret before joining them with ':' and base64-encoding, or ask Contio to rotate to a secret without those characters.",
				Location:  ig.OAuth.ClientSecret.From,
				RequestID: cc.altResp.RequestID,
			}}, nil
		}
		if cc.resp.Status == http.StatusOK {
			// A 200 to a random code would be alarming: say so.
			return []Finding{{
				Message:   "the token endpoint answered 200 to a random authorization code",
				Cause:     "The server did not reject an unknown code. This is not the documented behaviour.",
				Fix:       "Check that auth_url points at Contio and not at a stub; report the request_id to Contio support.",
				RequestID: cc.resp.RequestID,
			}}, nil
		}
		return nil, nil
	}

	resp := cc.resp
	if resp.Redirect != "" {
		return []Finding{{
			Message:   fmt.Sprintf("the token endpoint answered %d with a redirect to %s; the doctor did not follow it", resp.Status, resp.Redirect),
			Cause:     "auth_url points at a host or path that redirects (http→https, a missing path prefix, a login page). Clients that follow the redirect turn the POST into a GET or drop the credentials.",
			Fix:       "Configure the final URL directly in auth_url.",
			Location:  ig.AuthURL.From,
			RequestID: resp.RequestID,
		}}, nil
	}
	if resp.Status != http.StatusUnauthorized && resp.Code != "invalid_client" {
		return []Finding{{
			Guide:     contio.GuideNone,
			Message:   fmt.Sprintf("the token endpoint answered HTTP %d %s to a random code, where Contio answers 400 invalid_grant or 401 invalid_client", resp.Status, orNone(resp.Code)),
			Cause:     "Something other than Contio's token endpoint answered: auth_url points at another service, a stub or a gateway that rewrites errors.",
			Fix:       "Point auth_url at the Contio OAuth host; send the request_id to Contio support if it is theirs.",
			Location:  ig.AuthURL.From,
			RequestID: resp.RequestID,
		}}, nil
	}
	f := Finding{
		Root:      clientRoot,
		Message:   fmt.Sprintf("POST /oauth2/token answered %d %s with the configured client_id %q and secret %s", resp.Status, orNone(resp.Code), ig.OAuth.ClientID.Raw, redact.Fingerprint(secret)),
		Location:  ig.OAuth.ClientSecret.From,
		RequestID: resp.RequestID,
	}
	if strings.Contains(strings.ToLower(resp.Message), "deactivat") {
		// The server says so: no need to suspect the secret.
		f.Message = fmt.Sprintf("POST /oauth2/token answered %d %s: the server says the partner app is deactivated", resp.Status, orNone(resp.Code))
		f.Cause = "The credentials are right, but Contio has deactivated the partner app, so every token request is refused."
		f.Fix = "Contact partner-support@contio.ai with the request_id to have the app reactivated; rotating the secret will not help."
		f.Location = ig.OAuth.ClientID.From
		return []Finding{f}, nil
	}
	// Tell an unknown client_id from a wrong secret or a deactivated app.
	if info, err := publicInfo.Of(ctx, in); err == nil {
		switch {
		case info.Status == http.StatusNotFound:
			f.Message += "; the client_id itself is unknown to Contio (public info answered 404)"
			f.Cause = "No partner app has this client_id in this environment: a typo, an ID from another environment (sandbox vs production), or the client_id and secret swapped in the app's environment."
			f.Fix = "Copy the client_id from the Partner Dashboard of the environment auth_url points at."
			f.Location = ig.OAuth.ClientID.From
		case info.Status == http.StatusOK:
			f.Message += "; the client_id exists, so the secret is wrong or the app is deactivated"
			f.Cause = "The client_id is known, so the secret does not match (a typo, stray characters, or a rotated secret) or the app was deactivated."
		}
	}
	if strings.ContainsAny(secret, "%+: ") && cc.altResp != nil {
		f.Evidence = "tried both the raw (SDK) and the form-urlencoded (RFC 6749) Basic encodings; both were rejected"
	}
	return []Finding{f}, nil
}

func specialChars(s string) string {
	var found []string
	for _, c := range []string{"%", "+", ":", " "} {
		if strings.Contains(s, c) {
			name := c
			if c == " " {
				name = "space"
			}
			found = append(found, "'"+name+"'")
		}
	}
	return strings.Join(found, ", ")
}
