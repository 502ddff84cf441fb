package checks

import (
	"context"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:    "CD5006",
	Name:  "retry-code-exchange",
	Guide: contio.GuideInvalidGrant,
	Title: "The app retries the authorization-code exchange",
	Symptom: "After a network blip or timeout during login, the user sees invalid_grant instead of being signed in, " +
		"and tokens issued moments earlier may stop working.",
	Cause: "An authorization code can be redeemed once. If the first POST /oauth2/token reached Contio but its answer was lost, the retry " +
		"presents a used code: Contio refuses it with invalid_grant, and servers built like Ory Hydra also revoke the tokens the first " +
		"attempt issued. The official SDK's OAuth client never retries for this reason.",
	Fix: "Do not retry the code exchange. On a failure, send the user through the authorization step again for a fresh code. " +
		"Retries belong on idempotent API reads, not on the token endpoint's authorization_code grant." + sdkInvalidGrantFix,
	Verifies: "http.retries_code_exchange is not true.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      retryCodeExchange,
})

func retryCodeExchange(_ context.Context, in *Input) ([]Finding, error) {
	h := in.Integration.HTTP
	if !h.RetriesCodeExchange {
		return nil, nil
	}
	return []Finding{{
		Message:  "http.retries_code_exchange is true: a retried POST /oauth2/token redeems the same single-use code twice and fails with invalid_grant",
		Location: h.RetriesCodeExchangeFrom,
		Fix:      "Exclude POST /oauth2/token (grant_type=authorization_code) from your retry middleware, restart the login on failure, then set http.retries_code_exchange: false.",
	}}, nil
}
