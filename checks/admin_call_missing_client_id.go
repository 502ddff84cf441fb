package checks

import (
	"context"
	"fmt"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD4201",
	Name:    "admin-call-without-client-id",
	Guide:   contio.GuideMissingClientID,
	Title:   "An admin call does not send the X-Client-ID header",
	Symptom: "The admin endpoint answers missing_client_id (or 401) although the API key is right.",
	Cause: "Every /v1/partner/admin/* call needs two headers: X-API-Key and X-Client-ID, the app's OAuth client ID. " +
		"The official SDK sends X-Client-ID only when it is given a client ID (forAdmin({apiKey}) alone leaves it out), and hand-written clients forget it.",
	Fix:      "Send `X-Client-ID: <client ID>` beside `X-API-Key` on every admin call; with the SDK, pass clientId to forAdmin or the oauth settings.",
	Verifies: "every admin call sends X-Client-ID.",
	Severity: SeverityError,
	Needs:    NeedsConfig | NeedsCalls,
	Run:      adminCallWithoutClientID,
})

func adminCallWithoutClientID(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	var out []Finding
	for i, c := range ig.Calls {
		if contio.ClassOf(c.Path.Raw) != contio.ClassAdmin || !isContioCall(ig, c) || c.HasHeader("X-Client-ID") {
			continue
		}
		if underscoreVariant(c, "X-Client-ID") != "" {
			continue // CD4204 reports the underscore spelling
		}
		out = append(out, Finding{
			Root:     missingClientIDRt,
			Message:  fmt.Sprintf("%s does not send X-Client-ID", callLabel(i, c)),
			Location: c.At,
			Evidence: fmt.Sprintf("headers sent: %s", headerList(c.Headers)),
			Commands: []string{exampleCurl(ig, callMethod(c), c.Path.Raw)},
		})
	}
	return out, nil
}
