package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:    "CD6007",
	Name:  "base-url-environment-mix",
	Guide: contio.GuideNone,
	Title: "One configuration mixes Contio's production and beta environments",
	Symptom: "Sign-in works but API calls answer 401, or the token exchange answers invalid_client, although every credential " +
		"is right for one of the two environments.",
	Cause: "Contio runs production (api.contio.ai, OAuth also on auth.contio.ai) and beta (beta.api.contio.ai) apart: credentials, " +
		"codes and tokens one issues are unknown to the other. A beta api_url with a production auth_url (the SDK's OAuth URLs " +
		"default to production whatever its baseURL says) sends each half of the flow to a different environment.",
	Fix: "Pick the environment your credentials were issued for and use its hosts everywhere: beta https://beta.api.contio.ai for " +
		"api_url, auth_url and the authorization URL; production https://api.contio.ai and https://auth.contio.ai. With SDK 1.9.0 " +
		"pass the OAuth client's authorizationUrl and tokenUrl explicitly when not on production.",
	Verifies: "api_url, auth_url (set or defaulted) and oauth.authorization_url all name hosts of the same documented environment.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      baseURLEnvironmentMix,
})

// envValue is a config value whose host belongs to a known environment.
type envValue struct {
	key string
	val integration.Value
	env contio.Environment
}

func baseURLEnvironmentMix(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	var vals []envValue
	for _, v := range []struct {
		key string
		val integration.Value
	}{{"api_url", ig.APIURL}, {"auth_url", ig.AuthURL}, {"oauth.authorization_url", ig.OAuth.AuthorizationURL}} {
		if env, ok := contio.EnvironmentOf(uri.Split(strings.TrimSpace(v.val.Raw)).Hostname()); ok {
			vals = append(vals, envValue{v.key, v.val, env})
		}
	}
	if len(vals) < 2 {
		return nil, nil
	}
	// api_url decides which environment the integration means to use when
	// it names one; the others are measured against it.
	ref := vals[0]
	var out []Finding
	for _, v := range vals[1:] {
		if v.env.Name == ref.env.Name {
			continue
		}
		base := ref.env.AuthBase()
		if v.key == "oauth.authorization_url" {
			base += authorizePath
		}
		f := Finding{
			Message: fmt.Sprintf("%s is on %s (%s) but %s is on %s (%s): tokens from one environment are refused by the other",
				ref.key, ref.env.Name, urlHost(ref.val.Raw), v.key, v.env.Name, urlHost(v.val.Raw)),
			Evidence: fmt.Sprintf("%s: %s\n%s: %s", ref.key, ref.val.Raw, v.key, v.val.Raw),
			Location: v.val.From,
			Fix: fmt.Sprintf("If your credentials are for %s, set %s to %s; if they are for %s, set %s to %s instead.",
				ref.env.Name, v.key, base, v.env.Name, ref.key, baseFor(ref.key, v.env)),
		}
		if !v.val.Set && v.key == "auth_url" {
			f.Message = fmt.Sprintf("%s is on %s (%s) but auth_url is not set, so it defaults to production %s, as the SDK's OAuth URLs do",
				ref.key, ref.env.Name, urlHost(ref.val.Raw), urlHost(v.val.Raw))
			f.Location = ref.val.From
			f.Fix = fmt.Sprintf("Set auth_url: %s, and give the SDK's OAuth client authorizationUrl %s%s and tokenUrl %s/oauth2/token.",
				base, base, authorizePath, base)
		}
		out = append(out, f)
	}
	return out, nil
}

// urlHost is the host of a URL as written.
func urlHost(raw string) string { return uri.Split(strings.TrimSpace(raw)).Host }

// baseFor is the environment's base URL for a config key.
func baseFor(key string, env contio.Environment) string {
	switch key {
	case "api_url":
		return env.APIBase()
	case "oauth.authorization_url":
		return env.AuthBase() + authorizePath
	}
	return env.AuthBase()
}
