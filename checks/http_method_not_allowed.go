package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD4001",
	Name:    "http-method-not-allowed",
	Guide:   contio.GuideMethodNotAllowed,
	Title:   "A call uses an HTTP method its endpoint does not serve",
	Symptom: "The call answers 405 Method Not Allowed (or a 404 from a router that only knows the other method).",
	Cause: "The endpoint exists but only under another method. The usual slips are a GET on an OAuth endpoint that only takes a POST " +
		"(the token, introspection and revocation endpoints, /auth/initiate and /auth/verify), a POST where an update is a PUT or PATCH, " +
		"or a redirect that turned a POST into a GET.",
	Fix: "Send the method the endpoint serves. OAuth endpoints take a POST with a form body (application/x-www-form-urlencoded); " +
		"/auth/initiate and /auth/verify take a POST with a JSON body.",
	Verifies: "every declared or observed call uses a method its Contio endpoint serves.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCalls,
	Run:      httpMethodNotAllowed,
})

func httpMethodNotAllowed(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	var out []Finding
	for i, c := range ig.Calls {
		method := callMethod(c)
		if method == "" || !isContioCall(ig, c) {
			continue
		}
		allowed := contio.AllowedMethods(c.Path.Raw)
		if len(allowed) == 0 || contains(allowed, method) {
			continue
		}
		tmpl := contio.Template(c.Path.Raw)
		f := Finding{
			Message: fmt.Sprintf("%s: %s serves only %s, not %s", callLabel(i, c), tmpl,
				strings.Join(allowed, ", "), method),
			Location: callAt(c, c.Method),
			Evidence: fmt.Sprintf("method %s; allowed %s", method, strings.Join(allowed, ", ")),
		}
		if len(allowed) == 1 {
			f.Commands = []string{exampleCurl(ig, allowed[0], c.Path.Raw)}
			f.Fix = fmt.Sprintf("Call %s with %s.", tmpl, allowed[0])
			if allowed[0] == "POST" && contio.ClassOf(c.Path.Raw) == contio.ClassOAuth {
				f.Fix += " OAuth endpoints take their parameters in the request body, never in the query string of a GET."
			}
		}
		out = append(out, f)
	}
	return out, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
