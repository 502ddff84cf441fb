package sandbox

import (
	"crypto/subtle"
	"net"
	"net/http"
	"slices"
	"time"
)

// Credential rotation as Contio documents it: a rotated API key or client
// secret keeps working beside the new one until the grace period ends
// (examples in the docs: 48 h for the key, 168 h for the secret), and a
// rollback token restores the old one during that time. A webhook secret
// changes at once, with neither grace period nor rollback.

// Credential types, as the API and the rollback path spell them.
const (
	credAPIKey        = "api_key"
	credClientSecret  = "client_secret"
	credWebhookSecret = "webhook_secret"
)

// defaultGrace is the grace period a rotation gets when it names none.
func defaultGrace(kind string) time.Duration {
	switch kind {
	case credAPIKey:
		return 48 * time.Hour
	case credClientSecret:
		return 168 * time.Hour
	}
	return 0
}

// maxGraceHours bounds grace_period_hours.
const maxGraceHours = 720

// credential is the rotation state of one of an app's credentials.
type credential struct {
	lastRotated time.Time
	// previous still authenticates until graceEnds.
	previous  string
	graceEnds time.Time
	// rollbackToken restores previous until rollbackEnds.
	rollbackToken string
	rollbackEnds  time.Time
}

func (s *Sandbox) credentialRoutes(admin func(method, path string, h handlerFunc) *route) []*route {
	return []*route{
		admin(http.MethodGet, "/credentials", s.getCredentials),
		admin(http.MethodGet, "/credentials/history", s.credentialHistory),
		admin(http.MethodPost, "/credentials/api-key/rotate", s.rotate(credAPIKey)),
		admin(http.MethodPost, "/credentials/client-secret/rotate", s.rotate(credClientSecret)),
		admin(http.MethodPost, "/credentials/webhook-secret/rotate", s.rotate(credWebhookSecret)),
		admin(http.MethodPost, "/credentials/api-key/rollback", s.rollback(credAPIKey)),
		admin(http.MethodPost, "/credentials/client-secret/rollback", s.rollback(credClientSecret)),
	}
}

// credLocked is the rotation state of one credential; the lock is held.
func (s *Sandbox) credLocked(clientID, kind string) *credential {
	a := s.appResLocked(clientID)
	c := a.creds[kind]
	if c == nil {
		c = &credential{}
		a.creds[kind] = c
	}
	return c
}

func secretEqual(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// credentialMatchesLocked reports whether presented authenticates as the
// app's credential of kind: the current value, or the rotated-out one
// while its grace period lasts. The state lock must be held.
func (s *Sandbox) credentialMatchesLocked(app *App, kind, presented string) bool {
	current := app.APIKey
	if kind == credClientSecret {
		current = app.ClientSecret
	}
	if secretEqual(current, presented) {
		return true
	}
	c := s.st.res.apps[app.ClientID]
	if c == nil || c.creds[kind] == nil {
		return false
	}
	old := c.creds[kind]
	return secretEqual(old.previous, presented) && s.Now().Before(old.graceEnds)
}

// valueOf points at the app's credential of kind, to read or replace it.
func valueOf(app *App, kind string) *string {
	switch kind {
	case credAPIKey:
		return &app.APIKey
	case credClientSecret:
		return &app.ClientSecret
	}
	return &app.WebhookSecret
}

// credPrefix starts each kind of fresh sandbox credential.
func credPrefix(kind string) string {
	switch kind {
	case credAPIKey:
		return "sbx_key_"
	case credClientSecret:
		return "sbx_secret_"
	case credWebhookSecret:
		return "sbx_whsec_"
	}
	return ""
}

// auditLocked records one credential event in the app's history.
func (s *Sandbox) auditLocked(r *http.Request, app *App, kind, action, reason string) {
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	ev := doc{"id": s.ids.uuid(), "partner_app_id": app.ID, "credential_type": kind, "action": action,
		"initiated_by": "partner", "ip_address": ip, "user_agent": r.UserAgent(), "metadata": doc{}, "created_at": stamp(s.Now())}
	if reason != "" {
		ev["reason"] = reason
	}
	a := s.appResLocked(app.ClientID)
	a.history = append(a.history, ev)
}

func (s *Sandbox) rotate(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) *apiError {
		var in struct {
			ConfirmationToken string `json:"confirmation_token"`
			Reason            string `json:"reason"`
			GracePeriodHours  *int   `json:"grace_period_hours"`
		}
		if e := decodeJSON(r, &in); e != nil {
			return e
		}
		if in.ConfirmationToken == "" {
			return newErr(http.StatusBadRequest, CodeBadRequest, "confirmation_token is required to rotate a credential")
		}
		grace := defaultGrace(kind)
		if in.GracePeriodHours != nil {
			if *in.GracePeriodHours < 0 || *in.GracePeriodHours > maxGraceHours {
				return newErr(http.StatusBadRequest, CodeBadRequest, "grace_period_hours must be from 0 to 720")
			}
			grace = time.Duration(*in.GracePeriodHours) * time.Hour
		}
		if kind == credWebhookSecret {
			grace = 0 // Contio signs with the new secret at once
		}
		var out doc
		e := s.withApp(r, func(app *App, _ *appResources) *apiError {
			now, c := s.Now(), s.credLocked(app.ClientID, kind)
			v := valueOf(app, kind)
			fresh := credPrefix(kind) + s.ids.hex(16)
			c.previous, c.lastRotated, c.graceEnds = *v, now, now.Add(grace)
			*v = fresh
			out = doc{"credential_type": kind, "new_credential": fresh}
			if kind != credWebhookSecret {
				c.rollbackToken, c.rollbackEnds = "sbx_rollback_"+s.ids.hex(16), now.Add(grace)
				out["grace_period_ends_at"], out["rollback_token"], out["rollback_expires_at"] = stamp(c.graceEnds), c.rollbackToken, stamp(c.rollbackEnds)
			} else {
				c.previous = ""
			}
			s.auditLocked(r, app, kind, "rotated", in.Reason)
			return nil
		})
		if e != nil {
			return e
		}
		return s.commit(w, r, http.StatusOK, out)
	}
}

func (s *Sandbox) rollback(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) *apiError {
		var in struct {
			RollbackToken string `json:"rollback_token"`
			Reason        string `json:"reason"`
		}
		if e := decodeJSON(r, &in); e != nil {
			return e
		}
		if in.RollbackToken == "" {
			return newErr(http.StatusBadRequest, CodeBadRequest, "rollback_token is required")
		}
		e := s.withApp(r, func(app *App, _ *appResources) *apiError {
			c := s.credLocked(app.ClientID, kind)
			switch {
			case !secretEqual(c.rollbackToken, in.RollbackToken):
				return newErr(http.StatusBadRequest, CodeBadRequest, "the rollback token is not valid for this credential")
			case !s.Now().Before(c.rollbackEnds):
				return newErr(http.StatusBadRequest, CodeBadRequest, "the rollback window has ended; rotate again instead")
			}
			*valueOf(app, kind) = c.previous
			*c = credential{lastRotated: s.Now()}
			s.auditLocked(r, app, kind, "rollback", in.Reason)
			return nil
		})
		if e != nil {
			return e
		}
		return s.commit(w, r, http.StatusOK, nil)
	}
}

func (s *Sandbox) getCredentials(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withApp(r, func(app *App, _ *appResources) *apiError {
		now := s.Now()
		out := doc{}
		for _, kind := range []string{credAPIKey, credWebhookSecret, credClientSecret} {
			c := s.credLocked(app.ClientID, kind)
			since := TestEpoch
			e := doc{"credential_type": kind, "status": "active", "recommended_action": "ok", "created_at": stamp(TestEpoch), "last_used_at": stamp(now)}
			if !c.lastRotated.IsZero() {
				since = c.lastRotated
				e["last_rotated_at"] = stamp(c.lastRotated)
			}
			if c.previous != "" && now.Before(c.graceEnds) {
				e["status"], e["grace_period_ends_at"] = "transitioning", stamp(c.graceEnds) // the SDK's enum
			}
			e["age_days"] = max(0, int(now.Sub(since).Hours()/24))
			out[kind] = e
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	})
}

func (s *Sandbox) credentialHistory(w http.ResponseWriter, r *http.Request) *apiError {
	q := r.URL.Query()
	return s.withApp(r, func(_ *App, a *appResources) *apiError {
		var events []doc
		for _, ev := range slices.Backward(a.history) { // newest first
			if (q.Get("credential_type") == "" || ev["credential_type"] == q.Get("credential_type")) && (q.Get("action") == "" || ev["action"] == q.Get("action")) {
				events = append(events, ev)
			}
		}
		body, e := page(r, events)
		if e != nil {
			return e
		}
		items := body["items"]
		writeJSON(w, http.StatusOK, doc{"events": items, "pagination": doc{"limit": body["limit"], "offset": body["offset"], "count": len(events)}})
		return nil
	})
}
