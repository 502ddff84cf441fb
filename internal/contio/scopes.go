package contio

// Scope is one OAuth scope the Contio authorization server knows.
type Scope struct {
	Name string
	// Grants says in a few words what the scope opens.
	Grants string
}

// Scopes is the documented scope catalogue.
var Scopes = []Scope{
	{"openid", "OpenID Connect sign-in (ID token)"},
	{"profile", "the user's profile"},
	{"email", "the user's e-mail address"},
	{"meetings:read", "reading meetings, participants, agenda items, next steps, action buttons, transcripts, meeting templates"},
	{"meetings:write", "changing meetings and everything under them"},
	{"action-items:read", "reading action items"},
	{"action-items:write", "creating and changing action items"},
	{"calendar:read", "reading calendar events"},
	{"calendar:write", "linking calendar events and creating meetings from them"},
	{"context:read", "reading meeting context documents"},
	{"context:write", "uploading and deleting meeting context documents"},
	{"chat:read", "reading chat sessions"},
	{"chat:write", "creating chat sessions and sending messages"},
	{"toolkits:read", "listing toolkits"},
	{"toolkits:write", "installing and uninstalling toolkits"},
	{"workflows:read", "reading workflow runs"},
	{"workflows:write", "starting workflow runs"},
}

// SDKDefaultScopes is what the official SDK requests when no scope is
// configured (an empty list included).
var SDKDefaultScopes = []string{"openid", "profile", "meetings:read", "meetings:write"}

// SDKDefaultScopeString is SDKDefaultScopes space-separated, as the SDK
// sends it; a constant, so messages built from it cost nothing at init.
const SDKDefaultScopeString = "openid profile meetings:read meetings:write"

// KnownScope reports whether name is in the catalogue.
func KnownScope(name string) bool {
	for _, s := range Scopes {
		if s.Name == name {
			return true
		}
	}
	return false
}

// ScopeNames lists the catalogue's scope names in order.
func ScopeNames() []string {
	out := make([]string, len(Scopes))
	for i, s := range Scopes {
		out[i] = s.Name
	}
	return out
}
