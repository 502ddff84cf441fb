package sandbox

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"
	"time"
)

// idempotencyWindow is how long a stored response is replayed for a key.
const idempotencyWindow = 24 * time.Hour

type idemRecord struct {
	created  time.Time
	inFlight bool
	status   int
	header   http.Header
	body     []byte
}

// captureWriter passes a response through and keeps a copy for replay.
type captureWriter struct {
	statusRecorder
	body bytes.Buffer
}

func (c *captureWriter) Write(b []byte) (int, error) {
	c.body.Write(b)
	return c.statusRecorder.Write(b)
}

// usesIdempotency reports whether the API honours the request's
// Idempotency-Key: writes only, and not multipart uploads.
func usesIdempotency(r *http.Request) bool {
	if r.Header.Get("Idempotency-Key") == "" || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return false
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct != "multipart/form-data"
}

// idempotent runs h once per (credential, Idempotency-Key) for 24 hours:
// a repeat gets the stored response with Idempotent-Replayed, a repeat
// while the first is still running gets 409 with Retry-After.
func (s *Sandbox) idempotent(w http.ResponseWriter, r *http.Request, owner string, h handlerFunc) *apiError {
	key := owner + "|" + r.Method + "|" + r.Header.Get("Idempotency-Key")
	now := s.Now()
	s.mu.Lock()
	if stored, ok := s.st.idem[key]; ok && now.Before(stored.created.Add(idempotencyWindow)) {
		rec := *stored // settleIdempotent writes the record under the lock
		s.mu.Unlock()
		if rec.inFlight {
			return newErr(http.StatusConflict, "conflict", "a request with this Idempotency-Key is still being processed; retry later").
				with("Retry-After", strconv.Itoa(1))
		}
		for k, vs := range rec.header {
			w.Header()[k] = vs
		}
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body)
		return nil
	}
	rec := &idemRecord{created: now, inFlight: true}
	s.st.idem[key] = rec
	s.mu.Unlock()

	cw := &captureWriter{statusRecorder: statusRecorder{ResponseWriter: w}}
	completed := false
	// Deferred so that a handler panic unpins the key instead of leaving it in flight for 24 hours.
	defer func() { s.settleIdempotent(key, rec, cw, completed) }()
	if s.inFlightHook != nil {
		s.inFlightHook(r)
	}
	if e := h(cw, r); e != nil {
		s.writeError(cw, r, e)
	}
	completed = true
	return nil
}

// settleIdempotent stores the response of a keyed request for replay, or
// forgets the key when the request failed in a way the client should retry.
func (s *Sandbox) settleIdempotent(key string, rec *idemRecord, cw *captureWriter, completed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !completed || cw.status >= 500 || cw.status == 0 {
		delete(s.st.idem, key)
		return
	}
	rec.inFlight, rec.status, rec.body = false, cw.status, cw.body.Bytes()
	rec.header = http.Header{}
	for _, k := range []string{"Content-Type", "Location"} {
		if v := cw.Header().Get(k); v != "" {
			rec.header.Set(k, v)
		}
	}
}
