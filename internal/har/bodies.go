package har

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/url"
	"strings"
)

// params are a request's or a query's fields with every value, in order:
// a consent form posts `scope` once per ticked permission.
type params map[string][]string

// get is the first value of a field.
func (p params) get(k string) string {
	if vs := p[k]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// all is every value of a field, space-joined (scope lists).
func (p params) all(k string) string { return strings.Join(p[k], " ") }

// parseQuery reads a query or form string field by field. Unlike
// url.ParseQuery it keeps going past a bad escape; ok is false when any
// field had one (the caller then treats the whole text as a secret).
func parseQuery(raw string) (p params, ok bool) {
	p, ok = params{}, true
	for raw != "" {
		var field string
		field, raw, _ = strings.Cut(raw, "&")
		if field == "" {
			continue
		}
		k, v, _ := strings.Cut(field, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			ok = false
			continue
		}
		p[dk] = append(p[dk], dv)
	}
	return p, ok
}

// requestBody is what a request body holds: its fields (form, JSON top
// level, or postData.params) and whether the text could be parsed at all.
type requestBody struct {
	fields params
	// json is the decoded JSON body, for secrets at any depth.
	json any
	// unparsed is the body text when it claims a form or JSON type (or
	// looks like one) and does not parse: it is masked whole.
	unparsed string
}

// readRequestBody reads the request's postData.
func readRequestBody(q *Request) requestBody {
	out := requestBody{fields: params{}}
	pd := q.PostData
	if pd == nil {
		return out
	}
	for _, p := range pd.Params {
		out.fields[p.Name] = append(out.fields[p.Name], p.Value)
	}
	data, ok := pd.Bytes()
	if !ok || len(data) == 0 {
		return out
	}
	mt, _, _ := mime.ParseMediaType(pd.MimeType)
	if mt == "" {
		mt, _, _ = mime.ParseMediaType(q.Header("Content-Type"))
	}
	trimmed := bytes.TrimSpace(data)
	switch {
	case isJSONType(mt) || len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '['):
		var v any
		if json.Unmarshal(trimmed, &v) != nil {
			out.unparsed = string(data)
			return out
		}
		out.json = v
		if m, ok := v.(map[string]any); ok {
			for k, x := range m {
				if s, ok := scalarText(x); ok {
					out.fields[k] = append(out.fields[k], s)
				}
			}
		}
	case mt == "application/x-www-form-urlencoded" || mt == "" || mt == "text/plain":
		form, ok := parseQuery(string(trimmed))
		if !ok || (mt != "application/x-www-form-urlencoded" && len(form) == 0) {
			out.unparsed = string(data)
			return out
		}
		if len(pd.Params) == 0 {
			out.fields = form
		}
	}
	return out
}

func isJSONType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// scalarText is a JSON scalar as text; arrays of strings join with spaces
// (the spec's "scopes" is an array).
func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	case []any:
		var parts []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " "), len(parts) > 0
	}
	return "", false
}

// walkJSON calls fn for every string value at any depth with the key
// that holds it (array items take their array's key).
func walkJSON(v any, key string, fn func(key, value string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			walkJSON(x, k, fn)
		}
	case []any:
		for _, x := range v {
			walkJSON(x, key, fn)
		}
	case string:
		fn(key, v)
	}
}

// responseJSON is a response body decoded: its top-level fields and the
// whole value. ok is false for a body that claims JSON and does not parse.
func responseJSON(c *Body) (fields map[string]string, whole any, ok bool) {
	data, kept := c.Bytes()
	if !kept || len(data) == 0 {
		return nil, nil, true
	}
	trimmed := bytes.TrimSpace(data)
	mt, _, _ := mime.ParseMediaType(c.MimeType)
	looksJSON := len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[')
	if !looksJSON {
		return nil, nil, !isJSONType(mt)
	}
	if json.Unmarshal(trimmed, &whole) != nil {
		return nil, nil, false
	}
	fields = map[string]string{}
	if m, isObj := whole.(map[string]any); isObj {
		for k, x := range m {
			if s, ok := scalarText(x); ok {
				fields[k] = s
			}
		}
		// Some APIs wrap the error: {"error": {"code": "...", "message": "..."}}.
		if inner, isObj := m["error"].(map[string]any); isObj {
			for _, k := range []string{"code", "error", "request_id", "message"} {
				if s, ok := inner[k].(string); ok && fields[k] == "" {
					fields[k] = s
				}
			}
		}
	}
	return fields, whole, true
}

// knownErrorCodes are the error codes Contio's API and sign-in pages
// answer with (and the OAuth ones of RFC 6749): an HTML page that names
// one names its error.
var knownErrorCodes = []string{
	"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type",
	"unsupported_response_type", "invalid_scope", "access_denied", "session_expired", "invalid_code",
	"insufficient_scope", "invalid_token", "rate_limit_exceeded", "method_not_allowed", "missing_client_id",
	"redirect_uri_mismatch", "invalid_redirect_uri", "server_error", "temporarily_unavailable",
}

// isErrorCode reports whether s is one of knownErrorCodes.
func isErrorCode(s string) bool {
	for _, c := range knownErrorCodes {
		if s == c {
			return true
		}
	}
	return false
}

// htmlError reads the error code an HTML error page shows: an element
// marked as the error code (id="error-code", data-error-code, data-error),
// else the first known error code written on the page as a word. The
// message is the page's alert text, when it has one.
func htmlError(page string) (code, message string) {
	lower := strings.ToLower(page)
	for _, marker := range []string{`id="error-code"`, `id='error-code'`, `class="error-code"`} {
		if i := strings.Index(lower, marker); i >= 0 {
			if gt := strings.IndexByte(lower[i:], '>'); gt >= 0 {
				rest := page[i+gt+1:]
				if lt := strings.IndexByte(rest, '<'); lt >= 0 {
					if c := strings.TrimSpace(rest[:lt]); c != "" && len(c) <= 64 {
						code = c
					}
				}
			}
		}
		if code != "" {
			break
		}
	}
	for _, attr := range []string{`data-error-code="`, `data-error="`} {
		if code != "" {
			break
		}
		if i := strings.Index(lower, attr); i >= 0 {
			rest := page[i+len(attr):]
			if q := strings.IndexByte(rest, '"'); q > 0 && q <= 64 {
				code = rest[:q]
			}
		}
	}
	if code == "" {
		best := -1
		for _, c := range knownErrorCodes {
			for from := 0; ; {
				i := strings.Index(lower[from:], c)
				if i < 0 {
					break
				}
				i += from
				end := i + len(c)
				if (i == 0 || !isWordByte(lower[i-1])) && (end == len(lower) || !isWordByte(lower[end])) {
					if best < 0 || i < best {
						best, code = i, c
					}
					break
				}
				from = end
			}
		}
	}
	if i := strings.Index(lower, `role="alert"`); i >= 0 {
		if gt := strings.IndexByte(lower[i:], '>'); gt >= 0 {
			rest := page[i+gt+1:]
			if lt := strings.IndexByte(rest, '<'); lt >= 0 && lt <= 512 {
				message = strings.TrimSpace(rest[:lt])
			}
		}
	}
	return code, message
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}
