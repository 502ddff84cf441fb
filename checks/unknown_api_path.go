package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD4002",
	Name:    "unknown-api-path",
	Guide:   contio.GuideNone,
	Title:   "A call goes to a path the Contio API does not document",
	Symptom: "The call answers 404 Not Found (or 405 from a neighbouring route), although the credentials are fine.",
	Cause: "The path is not one the Partner API documents: a typo, a singular where the API uses a plural, an underscore for a hyphen, " +
		"a different letter case (paths are case-sensitive: /oauth2/userInfo), a missing /v1/partner/user or /v1/partner/admin prefix, " +
		"or an endpoint that does not exist.",
	Fix:      "Use the documented path; the finding names the nearest one. The SDK's method list and the Partner API reference give every path.",
	Verifies: "every declared or observed call to Contio goes to a documented path.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig | NeedsCalls,
	Run:      unknownAPIPath,
})

func unknownAPIPath(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	var out []Finding
	for i, c := range ig.Calls {
		path := c.Path.Raw
		if path == "" || !isContioCall(ig, c) || contio.Template(path) != "" {
			continue
		}
		f := Finding{
			Message:  fmt.Sprintf("%s: no documented Contio endpoint has this path", callLabel(i, c)),
			Location: callAt(c, c.Path),
		}
		near, d := contio.NearestPath(path)
		// A suggestion further away than a third of the path is a guess, not a typo.
		if near != "" && d <= max(3, len(path)/3) {
			hint := ""
			if strings.EqualFold(near, pathTemplateOf(path, near)) && near != pathTemplateOf(path, near) {
				hint = " (paths are case-sensitive)"
			}
			f.Message += fmt.Sprintf("; did you mean %s%s?", near, hint)
			f.Evidence = fmt.Sprintf("nearest documented path %s, %d edit(s) away", near, d)
			methods := contio.AllowedMethods(near)
			m := callMethod(c)
			if !contains(methods, m) && len(methods) > 0 {
				m = methods[0]
			}
			f.Fix = fmt.Sprintf("Call %s (%s).", near, strings.Join(methods, ", "))
			f.Commands = []string{exampleCurl(ig, m, near)}
		}
		out = append(out, f)
	}
	return out, nil
}

// pathTemplateOf rewrites path with template's {params} where both have a
// segment, so a case-only difference can be told from a real one.
func pathTemplateOf(path, template string) string {
	ps, ts := strings.Split(path, "/"), strings.Split(template, "/")
	if len(ps) != len(ts) {
		return path
	}
	for i := range ts {
		if strings.HasPrefix(ts[i], "{") {
			ps[i] = ts[i]
		}
	}
	return strings.Join(ps, "/")
}
