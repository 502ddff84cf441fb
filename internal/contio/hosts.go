package contio

import "strings"

// Production hosts and base URLs.
const (
	APIHost     = "api.contio.ai"
	AuthHost    = "auth.contio.ai"
	AppHost     = "app.contio.ai"
	DefaultAPI  = "https://" + APIHost
	DefaultAuth = "https://" + AuthHost

	// BetaAPIHost is the beta environment's base host, listed beside
	// production by the API guide, the REST quickstart and the IdP reference.
	BetaAPIHost = "beta.api.contio.ai"
	BetaAPI     = "https://" + BetaAPIHost

	UserPrefix   = "/v1/partner/user"
	AdminPrefix  = "/v1/partner/admin"
	PublicPrefix = "/v1/partner/info"
)

// KnownHosts are the hosts Contio documents. The spec's examples also use
// auth.contio.io, which does not serve the API; checks name it as drift.
var KnownHosts = []string{APIHost, AuthHost, AppHost, BetaAPIHost}

// Environment is one Contio deployment a partner can be issued credentials
// for. Credentials and tokens of one environment do not work on another.
type Environment struct {
	// Name is "production" or "beta".
	Name string
	// APIHost serves /v1/partner/user and /v1/partner/admin.
	APIHost string
	// AuthHosts serve /oauth2/* and /auth/*, the preferred one first.
	AuthHosts []string
	// Source names the pages that document the environment.
	Source string
}

// APIBase is the environment's API base URL.
func (e Environment) APIBase() string { return "https://" + e.APIHost }

// AuthBase is the environment's preferred OAuth base URL.
func (e Environment) AuthBase() string { return "https://" + e.AuthHosts[0] }

// Environments are the documented deployments. The docs name no beta auth
// host; their production examples send OAuth to the API host, so beta's
// OAuth paths are taken to live on the beta API host too.
var Environments = []Environment{
	{Name: "production", APIHost: APIHost, AuthHosts: []string{AuthHost, APIHost},
		Source: "API guide, REST API quickstart (auth.contio.ai is the SDK's default)"},
	{Name: "beta", APIHost: BetaAPIHost, AuthHosts: []string{BetaAPIHost},
		Source: "API guide, REST API quickstart, IdP configuration reference"},
}

// EnvironmentOf returns the environment a host belongs to (case and a
// trailing dot ignored); ok is false for any other host.
func EnvironmentOf(host string) (env Environment, ok bool) {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	for _, e := range Environments {
		if h == e.APIHost {
			return e, true
		}
		for _, a := range e.AuthHosts {
			if h == a {
				return e, true
			}
		}
	}
	return Environment{}, false
}

// Production is the production environment.
func Production() Environment { return Environments[0] }

// Beta is the beta environment.
func Beta() Environment { return Environments[1] }
