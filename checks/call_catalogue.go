package checks

// Helpers shared by the checks that hold the integration's calls against
// the endpoint catalogue (CD30xx scopes, CD40xx methods, CD41xx auth
// schemes, CD42xx X-Client-ID).

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// callLabel names a call the way findings do: its index and name, then
// method and path, e.g. `calls[2] (list meetings) GET /v1/partner/user/meetings`;
// an observed call by its HAR entry, e.g. `entry 12 (POST https://auth.contio.ai/oauth2/token)`.
func callLabel(i int, c integration.Call) string { return callRef(i, c, true) }

// callRef is the one way findings name a call (callLabel, callName). A
// declared call is calls[i] with its name, followed by method and path
// when withRequest; an observed call is its capture entry with method and
// URL (secret query values already masked), which is what the user can
// find in the HAR.
func callRef(i int, c integration.Call, withRequest bool) string {
	if c.Observed && c.At.HAREntry > 0 {
		target := c.At.URL
		if target == "" {
			target = c.Host.Raw + c.Path.Raw
		}
		return fmt.Sprintf("entry %d (%s %s)", c.At.HAREntry, callMethod(c), target)
	}
	name := fmt.Sprintf("calls[%d]", i)
	if c.Name.Raw != "" {
		name = fmt.Sprintf("calls[%d] (%s)", i, c.Name.Raw)
	}
	if !withRequest {
		return name
	}
	return fmt.Sprintf("%s %s %s", name, callMethod(c), c.Path.Raw)
}

// callMethod is the call's method in upper case: HTTP clients upper-case
// it before sending, so "get" in a config means GET.
func callMethod(c integration.Call) string {
	return strings.ToUpper(strings.TrimSpace(c.Method.Raw))
}

// callAt is where a finding about a call points: the call itself, or the
// offending field when it has a position.
func callAt(c integration.Call, field integration.Value) integration.Source {
	if !field.From.IsZero() {
		return field.From
	}
	return c.At
}

// isContioCall reports whether a call goes to Contio: calls declared in the
// config always do; observed calls do when their host is a Contio host or
// the configured API or auth host.
func isContioCall(ig *integration.Integration, c integration.Call) bool {
	host := strings.ToLower(c.Host.Raw)
	if host == "" {
		return true
	}
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	if strings.HasSuffix(host, ".contio.ai") || host == "contio.ai" || strings.HasSuffix(host, ".contio.io") {
		return true
	}
	for _, v := range []integration.Value{ig.APIURL, ig.AuthURL} {
		if u, err := url.Parse(strings.TrimSpace(v.Raw)); err == nil && u.Hostname() != "" && strings.EqualFold(u.Hostname(), host) {
			return true
		}
	}
	return false
}

// callAuth is the scheme a call uses: the declared auth, else the scheme of
// its Authorization header, else api_key when it sends X-API-Key.
func callAuth(c integration.Call) string {
	if a := strings.ToLower(strings.TrimSpace(c.Auth.Raw)); a != "" {
		return a
	}
	if scheme, _, ok := strings.Cut(strings.TrimSpace(c.Authorization.Raw), " "); ok {
		switch strings.ToLower(scheme) {
		case "bearer":
			return integration.AuthBearer
		case "basic":
			return integration.AuthBasic
		}
	}
	if c.HasHeader("X-API-Key") {
		return integration.AuthAPIKey
	}
	return ""
}

// expectedAuth is the scheme the catalogue wants at a path (any method),
// falling back to the path's class for paths the catalogue lacks. ok is
// false when nothing is known.
func expectedAuth(path string) (auth contio.Auth, ep *contio.Endpoint, ok bool) {
	if ep := contio.FirstMatching(path); ep != nil {
		return ep.Auth, ep, true
	}
	switch contio.ClassOf(path) {
	case contio.ClassUser:
		return contio.AuthBearer, nil, true
	case contio.ClassAdmin:
		return contio.AuthAPIKey, nil, true
	}
	return "", nil, false
}

// baseURLFor is the configured base URL a path lives on, for example
// commands: the auth URL for OAuth paths, the API URL for the rest.
func baseURLFor(ig *integration.Integration, path string) string {
	if contio.ClassOf(path) == contio.ClassOAuth || strings.HasPrefix(path, "/.well-known/") {
		if u := strings.TrimRight(strings.TrimSpace(ig.AuthURL.Raw), "/"); u != "" {
			return u
		}
		return contio.DefaultAuth
	}
	if u := strings.TrimRight(strings.TrimSpace(ig.APIURL.Raw), "/"); u != "" {
		return u
	}
	return contio.DefaultAPI
}

// exampleCurl is the request, as a curl command with credentials taken
// from the CONTIO_* variables, that calls method and path the right way.
func exampleCurl(ig *integration.Integration, method, path string) string {
	auth, _, _ := expectedAuth(path)
	var b strings.Builder
	b.WriteString("curl")
	if method != "GET" {
		b.WriteString(" -X " + method)
	}
	// curl globs {…}; a <param> reads as "fill this in" and is sent as typed.
	shown := strings.NewReplacer("{", "<", "}", ">").Replace(path)
	fmt.Fprintf(&b, " %q", baseURLFor(ig, path)+shown)
	switch auth {
	case contio.AuthBasic:
		b.WriteString(` -u "$CONTIO_CLIENT_ID:$CONTIO_CLIENT_SECRET"`)
	case contio.AuthBearer:
		b.WriteString(` -H "Authorization: Bearer $CONTIO_ACCESS_TOKEN"`)
	case contio.AuthAPIKey:
		b.WriteString(` -H "X-API-Key: $CONTIO_API_KEY" -H "X-Client-ID: $CONTIO_CLIENT_ID"`)
	}
	switch path {
	case "/oauth2/token":
		b.WriteString(` -d grant_type=authorization_code -d code="$CODE" -d redirect_uri="$CONTIO_REDIRECT_URI"`)
	case "/oauth2/introspect", "/oauth2/revoke":
		b.WriteString(` -d token="$CONTIO_ACCESS_TOKEN"`)
	case "/auth/initiate":
		b.WriteString(` -H "Content-Type: application/json" -d '{"client_id":"'"$CONTIO_CLIENT_ID"'","email":"user@example.com"}'`)
	case "/auth/verify":
		b.WriteString(` -H "Content-Type: application/json" -d '{"client_id":"'"$CONTIO_CLIENT_ID"'","email":"user@example.com","code":"$OTP","session":"$SESSION"}'`)
	}
	return b.String()
}

// requestedScopes splits the configured scopes into single scope names,
// on whitespace and commas, the way a reader of the scope list would.
func requestedScopes(ig *integration.Integration) []string {
	var out []string
	for _, v := range ig.OAuth.Scopes {
		out = append(out, strings.FieldsFunc(v.Raw, isScopeSeparator)...)
	}
	return out
}

// userCallFlow reports whether the integration signs users in: it calls the
// user API or userInfo, or configures a redirect URI or an access token.
func userCallFlow(ig *integration.Integration) bool {
	if ig.OAuth.RedirectURI.Raw != "" || ig.Tokens.AccessToken.Raw != "" || ig.OAuth.AuthorizationURL.Raw != "" {
		return true
	}
	for _, c := range ig.Calls {
		if contio.ClassOf(c.Path.Raw) == contio.ClassUser || c.Path.Raw == "/oauth2/userInfo" {
			return true
		}
	}
	return false
}
