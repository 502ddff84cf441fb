package checks

import (
	"context"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD4202",
	Name:    "admin-client-id-missing",
	Guide:   contio.GuideMissingClientID,
	Title:   "An admin API key is configured without the client ID to send as X-Client-ID",
	Symptom: "Admin endpoints answer missing_client_id (or 401) on every call.",
	Cause: "The admin API authenticates the pair: the API key and the app's client ID in X-Client-ID. " +
		"admin.api_key is set but admin.client_id is empty, so the app has nothing to put in X-Client-ID.",
	Fix:      "Set admin.client_id to the app's OAuth client ID (the same value as oauth.client_id), e.g. `client_id: ${CONTIO_CLIENT_ID}`.",
	Verifies: "an admin API key always comes with a client ID.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      adminClientIDMissing,
})

func adminClientIDMissing(_ context.Context, in *Input) ([]Finding, error) {
	a := in.Integration.Admin
	if a.APIKey.Raw == "" || a.ClientID.Raw != "" {
		return nil, nil
	}
	if in.Integration.Capture != nil {
		// A capture run has no config: speak of the call that shows it.
		return []Finding{{
			Root:     missingClientIDRt,
			Message:  "an admin call sends X-API-Key without X-Client-ID",
			Location: a.APIKey.From,
			Cause: "The admin API authenticates the pair: the API key and the app's client ID in X-Client-ID. " +
				"The capture shows the key sent alone.",
			Fix: "Send X-Client-ID with the app's OAuth client ID next to X-API-Key on every admin call.",
		}}, nil
	}
	msg := "admin.api_key is set but admin.client_id is not"
	at := a.APIKey.From
	if a.ClientID.Set {
		msg = "admin.api_key is set but admin.client_id is empty"
		if a.ClientID.From.EnvVar != "" {
			msg += " ($" + a.ClientID.From.EnvVar + " expands to nothing)"
		}
		at = a.ClientID.From
	}
	return []Finding{{
		Root:     missingClientIDRt,
		Message:  msg,
		Location: at,
		Commands: []string{`curl "` + baseURLFor(in.Integration, contio.AdminPrefix) + contio.AdminPrefix + `/app" -H "X-API-Key: $CONTIO_API_KEY" -H "X-Client-ID: $CONTIO_CLIENT_ID"`},
	}}, nil
}
