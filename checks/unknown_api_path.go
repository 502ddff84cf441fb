package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD4002",
	Name:    "unknown-api-path",
	Guide:   contio.GuideNone,
	Title:   "A call goes to a path the Contio API does not document",
	Symptom: "The call answers 404 Not Found (or 405 from a neighbouring route), although the credentials are fine.",
	Cause: "The path is not one the Partner API documents: a typo, a singular where the API uses a plural, an underscore for a hyphen, " +
		"a different letter case (paths are case-sensitive: /oauth2/userInfo), a missing /v1/partner/user or /v1/partner/admin prefix, " +
		"or an endpoint that does not exist. A few paths (GET /v1/partner/admin/stats, /v1/partner/admin/workflows) appear in the " +
		"troubleshooting guide's examples but in neither the SDK nor the spec; they are reported as such, at info level.",
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
		bare, _, _ := strings.Cut(path, "?")
		if g := contio.LookupGuideOnly(bare); g != nil {
			out = append(out, guideOnlyFinding(ig, i, c, g))
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

// guideOnlyFinding is the note for a path the guides use in examples but
// neither the SDK nor the spec defines: not a typo, so no "did you mean",
// but nothing promises it answers either.
func guideOnlyFinding(ig *integration.Integration, i int, c integration.Call, g *contio.GuideOnlyEndpoint) Finding {
	f := Finding{
		Severity: SeverityInfo,
		Message: fmt.Sprintf("%s: %s is named by the %s (%s) but is in neither SDK 1.9.0 nor the OpenAPI spec, so it may answer 404",
			callLabel(i, c), g.Path, g.Source.Title, g.Use),
		Evidence: fmt.Sprintf("named by %s; absent from the SDK's methods and the spec's paths", g.Source.URL),
		Location: callAt(c, c.Path),
		Fix:      "Keep the call only if Contio has confirmed the endpoint for your app; otherwise use a documented operation.",
	}
	if g.Instead != "" {
		f.Fix = fmt.Sprintf("Keep the call only if Contio has confirmed the endpoint for your app; the documented operation closest "+
			"to it is %s %s.", g.Method, g.Instead)
		f.Commands = []string{exampleCurl(ig, g.Method, g.Instead)}
	}
	return f
}
