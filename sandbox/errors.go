package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// Error codes the sandbox answers with. The OAuth ones are those of
// Contio's troubleshooting guide; the API ones follow the spec's enums.
const (
	CodeInvalidGrant       = "invalid_grant"
	CodeInvalidRequest     = "invalid_request"
	CodeInvalidClient      = "invalid_client"
	CodeInvalidScope       = "invalid_scope"
	CodeInvalidCode        = "invalid_code"
	CodeSessionExpired     = "session_expired"
	CodeAccessDenied       = "access_denied"
	CodeUnsupportedGrant   = "unsupported_grant_type"
	CodeUnsupportedResp    = "unsupported_response_type"
	CodeInsufficientScope  = "insufficient_scope"
	CodeInvalidToken       = "invalid_token"
	CodeUnauthorized       = "unauthorized"
	CodeMissingClientID    = "missing_client_id"
	CodeRateLimitExceeded  = "rate_limit_exceeded"
	CodeMethodNotAllowed   = "method_not_allowed"
	CodeNotFound           = "not_found"
	CodeNotImplemented     = "not_implemented"
	CodeBadRequest         = "bad_request"
	CodeValidation         = "validation_error"
	CodeInternal           = "internal_server_error"
	CodeServiceUnavailable = "service_unavailable"
)

// apiError is one error response. Every error the sandbox sends, from a
// handler, the router, the rate limiter, a fault rule or a recovered panic,
// goes through writeError, so the shapes cannot drift apart.
type apiError struct {
	Status  int
	Code    string
	Message string
	// Header holds extra response headers (WWW-Authenticate, Retry-After, Allow).
	Header http.Header
	// Fields are extra body fields some operations document
	// (workspace_id on workspace_conflict, valid_event_types).
	Fields map[string]any
}

func newErr(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

func (e *apiError) with(key, value string) *apiError {
	if e.Header == nil {
		e.Header = http.Header{}
	}
	e.Header.Set(key, value)
	return e
}

// field adds a body field to the error response.
func (e *apiError) field(key string, value any) *apiError {
	if e.Fields == nil {
		e.Fields = map[string]any{}
	}
	e.Fields[key] = value
	return e
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// errorBody renders the two documented shapes: the user and admin API add
// an "error" field; OAuth, /auth/* and the public endpoints do not.
func errorBody(class contio.Class, e *apiError, requestID string) map[string]any {
	body := map[string]any{"code": e.Code, "message": e.Message, "request_id": requestID}
	if class == contio.ClassUser || class == contio.ClassAdmin {
		body["error"] = e.Message
	}
	for k, v := range e.Fields {
		body[k] = v
	}
	return body
}

// writeError sends e in the shape of the request's endpoint class with the
// request's request_id.
func (s *Sandbox) writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	st := stateOf(r)
	st.errCode = e.Code
	for k, vs := range e.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if st.class == contio.ClassOAuth || st.class == contio.ClassPublic {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
	}
	if st.page && wantsHTML(r) {
		s.renderErrorPage(w, r, e)
		return
	}
	writeJSON(w, e.Status, errorBody(st.class, e, st.requestID))
}

// wantsHTML reports whether the caller is a browser rather than an API
// client: the spec documents JSON error bodies, so JSON wins unless the
// Accept header names HTML, as browsers' does.
func wantsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"internal_server_error","message":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// codeForStatus picks the error code an injected fault uses for a status.
func codeForStatus(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return CodeRateLimitExceeded
	case status == http.StatusServiceUnavailable:
		return CodeServiceUnavailable
	case status >= 500:
		return CodeInternal
	case status == http.StatusUnauthorized:
		return CodeUnauthorized
	case status == http.StatusForbidden:
		return "forbidden"
	case status == http.StatusNotFound:
		return CodeNotFound
	case status == http.StatusConflict:
		return "conflict"
	}
	return CodeBadRequest
}
