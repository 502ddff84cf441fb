package probe

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/redact"
)

// sensitiveHeader reports the headers whose values are replaced by a
// fingerprint in transcripts, even before the run's redactor sees them.
func sensitiveHeader(name string) bool {
	switch name {
	case "Authorization", "X-Api-Key", "Cookie", "Set-Cookie", "X-Contio-Signature":
		return true
	}
	return false
}

// Transcript renders an exchange like `curl -v` does, for -v output:
// "> " lines for the request, "< " lines for the response, secrets masked.
func Transcript(ex *Exchange) string {
	var b strings.Builder
	r := ex.Request
	if r.Purpose != "" {
		fmt.Fprintf(&b, "# %s\n", r.Purpose)
	}
	fmt.Fprintf(&b, "> %s %s\n", r.Method, r.URL)
	writeHeaders(&b, "> ", r.Header)
	if len(r.Body) > 0 {
		fmt.Fprintf(&b, "> (body: %d bytes)\n", len(r.Body))
	}
	switch {
	case ex.Err != nil:
		fmt.Fprintf(&b, "! %s: %v\n", Classify(ex.Err), ex.Err)
	case ex.Response != nil:
		resp := ex.Response
		fmt.Fprintf(&b, "< %d %s (%s)\n", resp.Status, http.StatusText(resp.Status), resp.Latency.Round(100_000))
		writeHeaders(&b, "< ", resp.Header)
		if len(resp.Body) > 0 {
			body := string(resp.Body)
			if len(body) > 300 {
				body = body[:300] + "…"
			}
			fmt.Fprintf(&b, "< %s\n", strings.TrimSpace(body))
		}
	}
	return b.String()
}

func writeHeaders(b *strings.Builder, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			if sensitiveHeader(http.CanonicalHeaderKey(k)) {
				scheme, rest, ok := strings.Cut(v, " ")
				if ok && http.CanonicalHeaderKey(k) == "Authorization" {
					v = scheme + " " + redact.Fingerprint(rest)
				} else {
					v = redact.Fingerprint(v)
				}
			}
			fmt.Fprintf(b, "%s%s: %s\n", prefix, k, v)
		}
	}
}
