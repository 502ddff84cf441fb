package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/uri"
)

var _ = register(&Check{
	ID:      "CD2003",
	Name:    "redirect-uri-fragment",
	Guide:   contio.GuideInvalidRequest,
	Title:   "A redirect URI contains a fragment (#…)",
	Symptom: "Contio refuses the authorization request with invalid_request, saying the redirect URI contains an illegal character such as #.",
	Cause: "A redirect URI must not contain a fragment (RFC 6749 §3.1.2): the authorization server appends ?code=…&state=… to it, " +
		"and a browser never sends the part after # to your server. Single-page apps with hash routing (/#/callback) run into this.",
	Fix: "Use a path for the callback instead of a hash route (https://app.example.com/oauth/callback rather than https://app.example.com/#/callback), " +
		"register that URI, and send it.",
	Verifies: "no configured or registered redirect URI contains '#'.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      redirectURIFragment,
})

func redirectURIFragment(_ context.Context, in *Input) ([]Finding, error) {
	var out []Finding
	for _, v := range redirectURIValues(in.Integration) {
		p := uri.Split(v.Value.Raw)
		if !p.HasFrag {
			continue
		}
		without := v.Value.Raw[:len(v.Value.Raw)-len(p.Fragment)-1]
		out = append(out, Finding{
			Message:  fmt.Sprintf("%s %q contains the fragment %q; a redirect URI must not have one", v.Name, v.Value.Raw, "#"+p.Fragment),
			Location: v.Value.From,
			Fix: fmt.Sprintf("Drop the fragment: use %q (or a real path such as %q for a hash-routed callback), "+
				"register it in the Partner Dashboard and send it.", without, strings.TrimRight(without, "/")+"/"+strings.TrimLeft(p.Fragment, "/")),
		})
	}
	return out, nil
}
