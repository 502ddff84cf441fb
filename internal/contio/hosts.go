package contio

// Production hosts and base URLs.
const (
	APIHost     = "api.contio.ai"
	AuthHost    = "auth.contio.ai"
	AppHost     = "app.contio.ai"
	DefaultAPI  = "https://" + APIHost
	DefaultAuth = "https://" + AuthHost

	UserPrefix   = "/v1/partner/user"
	AdminPrefix  = "/v1/partner/admin"
	PublicPrefix = "/v1/partner/info"
)

// KnownHosts are the hosts Contio documents. The spec's examples also use
// auth.contio.io, which does not serve the API; checks name it as drift.
var KnownHosts = []string{APIHost, AuthHost, AppHost}
