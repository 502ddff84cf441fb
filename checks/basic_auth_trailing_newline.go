package checks

import (
	"context"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

var _ = register(&Check{
	ID:      "CD1103",
	Name:    "basic-auth-trailing-newline",
	Guide:   contio.GuideBasicAuthEncoding,
	Title:   "The Basic header encodes a trailing newline",
	Symptom: "POST /oauth2/token answers invalid_client with credentials that are correct everywhere else.",
	Cause: "The base64 was computed from `client_id:client_secret` plus a line ending: `echo` without -n adds \\n, text read from a file or a " +
		"Windows tool adds \\r\\n. The header then carries a secret one or two characters longer than the real one. " +
		"The base64 looks almost identical (it ends in `K` or `Cg==` instead of `=`), which is why this goes unnoticed.",
	Fix:      "Encode the pair without a line ending: use `printf '%s'` (or `echo -n`) in shell, and build the header from the values in code rather than from command output." + basicAuthInCode,
	Verifies: "the Basic credentials decode to client_id:client_secret with no line ending.",
	Severity: SeverityError,
	Needs:    NeedsConfig,
	Run:      basicAuthTrailingNewline,
})

func basicAuthTrailingNewline(_ context.Context, in *Input) ([]Finding, error) {
	list, err := decodedBasic(in.Integration)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, b := range list {
		var what string
		switch {
		case strings.HasSuffix(b.decoded, "\r\n"):
			what = "a carriage return and a line feed (CR LF, U+000D U+000A), as text from a Windows file or tool ends"
		case strings.HasSuffix(b.decoded, "\n"):
			what = "a line feed (LF, U+000A), as `echo` without -n adds"
		case strings.HasSuffix(b.decoded, "\r"):
			what = "a carriage return (CR, U+000D)"
		default:
			continue
		}
		out = append(out, Finding{
			Message:  b.name + " decodes to client_id:client_secret followed by " + what,
			Location: b.v.From,
			Commands: basicAuthCommands,
		})
	}
	return out, nil
}
