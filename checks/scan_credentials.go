package checks

import (
	"context"
	"fmt"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

// Same root cause as CD1006 (a secret written into the config): no guide
// entry, secret hygiene.
var _ = register(&Check{
	ID:    "CD1604",
	Name:  "code-credential-literal",
	Guide: contio.GuideNone,
	Title: "A credential is written into source code or a committed .env file",
	Symptom: "Nothing fails yet; anyone who can read the repository, its history, CI logs or a built image can call " +
		"Contio as your app.",
	Cause: "A client secret, API key, webhook secret or token is a string literal in code, a fallback after ||/??, or a " +
		"value in a .env file that .gitignore does not exclude.",
	Fix: "Move the value to the environment or a secret manager, read it with process.env (no literal fallback), add .env to " +
		".gitignore, and rotate the credential in the Partner Dashboard: it is in the history now.",
	Verifies: "no credential literal in the scanned files.",
	Severity: SeverityError,
	Needs:    NeedsSource,
	Run: func(_ context.Context, in *Input) ([]Finding, error) {
		code, err := sourceOf(in)
		if err != nil {
			return nil, err
		}
		var out []Finding
		for _, l := range code.Literals {
			if placeholderKind(l.Value) != "" {
				continue
			}
			where := "is written into the source"
			if l.Kind == "env" {
				where = "is in a .env file that .gitignore does not exclude"
			}
			out = append(out, Finding{
				Message:  fmt.Sprintf("%s %s", l.Name, where),
				Evidence: "value " + redact.Fingerprint(l.Value),
				Location: l.At,
			})
		}
		return out, nil
	},
})
