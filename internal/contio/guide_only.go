package contio

// GuideOnlyEndpoint is an operation Contio's own guides use in examples
// that neither SDK 1.9.0 nor the OpenAPI spec has. It is kept apart from
// Endpoints: the sandbox does not serve it and the probes never call it,
// but checks know it by name instead of calling it a typo.
type GuideOnlyEndpoint struct {
	Method string
	Path   string
	Class  Class
	// Source names the page that uses the path.
	Source DocPage
	// Use says how that page uses it.
	Use string
	// Instead is a documented operation for the same need, "" when none fits.
	Instead string
}

// GuideOnlyEndpoints are the paths named only by the guides.
var GuideOnlyEndpoints = []GuideOnlyEndpoint{
	{Method: "GET", Path: AdminPrefix + "/stats", Class: ClassAdmin, Source: PageTroubleshooting,
		Use: "its example of a correct admin call with X-API-Key and X-Client-ID", Instead: AdminPrefix + "/app"},
	{Method: "GET", Path: AdminPrefix + "/workflows", Class: ClassAdmin, Source: PageTroubleshooting,
		Use: "its example of an admin call that needs X-Client-ID", Instead: AdminPrefix + "/automations"},
}

// LookupGuideOnly returns the guide-only endpoint with that exact path
// (any method), or nil.
func LookupGuideOnly(path string) *GuideOnlyEndpoint {
	for i := range GuideOnlyEndpoints {
		if GuideOnlyEndpoints[i].Path == path {
			return &GuideOnlyEndpoints[i]
		}
	}
	return nil
}
