package config

import (
	"net/url"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// URLCredentials lists the user:password parts of every URL in the config
// (`api_url: https://u:pw@api.contio.ai`), each as written in the URL and
// decoded, and the decoded password alone. The caller registers them with
// its redactor: a URL is printed in every report, so its password must be
// masked like any other secret, however short.
func URLCredentials(in *integration.Integration) []string {
	if in == nil {
		return nil
	}
	values := []integration.Value{in.APIURL, in.AuthURL, in.OAuth.RedirectURI, in.OAuth.TokenRedirectURI,
		in.OAuth.AuthorizationURL, in.Webhooks.URL}
	values = append(values, in.OAuth.RegisteredRedirectURIs...)
	var out []string
	for _, v := range values {
		u, err := url.Parse(v.Raw)
		if err != nil || u.User == nil {
			continue
		}
		pw, ok := u.User.Password()
		if !ok || pw == "" {
			continue
		}
		out = append(out, u.User.String(), u.User.Username()+":"+pw, pw)
	}
	return out
}
