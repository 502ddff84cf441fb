package sandbox

import (
	"net/http"
	"net/url"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"strings"
	"time"
)

// IdP (enterprise SSO) configuration and domain verification. The sandbox
// fetches no discovery document: the endpoints are derived from the
// discovery URL's origin. Domain checks read the sandbox's own simulated
// DNS (SetDNSRecord, or POST /_sandbox/dns).

// domainChallengeTTL is how long a DNS challenge stays valid.
const domainChallengeTTL = 7 * 24 * time.Hour

func (s *Sandbox) idpRoutes(admin func(method, path string, h handlerFunc) *route) []*route {
	return []*route{
		{method: http.MethodGet, path: "/v1/partner/sso/info/{slug}", class: contio.ClassPublic, h: s.ssoInfo},
		admin(http.MethodGet, "/idp", s.getIdP),
		admin(http.MethodPost, "/idp", s.createIdP),
		admin(http.MethodPut, "/idp", s.updateIdP),
		admin(http.MethodDelete, "/idp", s.deleteIdP),
		admin(http.MethodGet, "/idp/domains/{domain}", s.getDomain),
		admin(http.MethodPost, "/idp/domains/{domain}/verify", s.verifyDomain),
		admin(http.MethodPost, "/idp/domains/{domain}/check", s.checkDomain),
	}
}

var idpModes = []string{"strict", "partner_managed"}

// checkIdPInput validates what a create or update body sets.
func checkIdPInput(in map[string]any, create bool) (origin string, e *apiError) {
	if create {
		if e := requireFields(in, "name", "discovery_url", "idp_client_id", "idp_client_secret", "mode"); e != nil {
			return "", e
		}
	}
	if v, ok := in["mode"]; ok {
		m, _ := v.(string)
		if e := oneOf("mode", m, idpModes...); e != nil {
			return "", e
		}
	}
	if v, ok := in["discovery_url"]; ok {
		raw, _ := v.(string)
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return "", newErr(http.StatusBadRequest, CodeValidation, "discovery_url must be an https URL")
		}
		origin = u.Scheme + "://" + u.Host
	}
	return origin, nil
}

// applyIdP copies the body onto cfg; the client secret is kept apart and
// never answered.
func (s *Sandbox) applyIdP(cfg doc, in map[string]any, origin string) {
	merge(cfg, in, "name", "discovery_url", "idp_client_id", "mode", "allowed_email_domains", "claim_mappings", "scopes", "is_active")
	if origin != "" {
		cfg["issuer"], cfg["authorization_endpoint"] = origin, origin+"/authorize"
		cfg["token_endpoint"], cfg["userinfo_endpoint"], cfg["jwks_uri"] = origin+"/token", origin+"/userinfo", origin+"/.well-known/jwks.json"
		cfg["discovery_last_fetched_at"] = stamp(s.Now())
	}
	cfg["updated_at"] = stamp(s.Now())
}

func idpView(cfg doc) doc {
	out := cloneDoc(cfg)
	delete(out, "idp_client_secret")
	return out
}

func (s *Sandbox) getIdP(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withApp(r, func(_ *App, a *appResources) *apiError {
		if a.idp == nil {
			return newErr(http.StatusNotFound, CodeNotFound, "no IdP is configured for this partner app")
		}
		writeJSON(w, http.StatusOK, idpView(a.idp))
		return nil
	})
}

func (s *Sandbox) createIdP(w http.ResponseWriter, r *http.Request) *apiError {
	var in map[string]any
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	origin, e := checkIdPInput(in, true)
	if e != nil {
		return e
	}
	var out doc
	e = s.withApp(r, func(app *App, a *appResources) *apiError {
		if a.idp != nil {
			return newErr(http.StatusConflict, "conflict", "an IdP is already configured; update or delete it")
		}
		now := stamp(s.Now())
		cfg := doc{"id": s.ids.uuid(), "partner_app_id": app.ID, "type": "oidc", "is_active": true, "allowed_email_domains": []any{},
			"scopes": []any{"openid", "email", "profile"}, "claim_mappings": map[string]any{}, "created_at": now,
			"idp_client_secret": in["idp_client_secret"]}
		s.applyIdP(cfg, in, origin)
		a.idp, out = cfg, idpView(cfg)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusCreated, out)
}

func (s *Sandbox) updateIdP(w http.ResponseWriter, r *http.Request) *apiError {
	var in map[string]any
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	origin, e := checkIdPInput(in, false)
	if e != nil {
		return e
	}
	var out doc
	e = s.withApp(r, func(_ *App, a *appResources) *apiError {
		if a.idp == nil {
			return newErr(http.StatusNotFound, CodeNotFound, "no IdP is configured for this partner app")
		}
		if v := str(in, "idp_client_secret"); v != "" {
			a.idp["idp_client_secret"] = v
		}
		s.applyIdP(a.idp, in, origin)
		out = idpView(a.idp)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, out)
}

func (s *Sandbox) deleteIdP(w http.ResponseWriter, r *http.Request) *apiError {
	e := s.withApp(r, func(_ *App, a *appResources) *apiError {
		if a.idp == nil {
			return newErr(http.StatusNotFound, CodeNotFound, "no IdP is configured for this partner app")
		}
		a.idp, a.domains = nil, map[string]doc{}
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil)
}

// domainParam is the path's domain, lower-cased, or a 400.
func domainParam(r *http.Request) (string, *apiError) {
	d := strings.ToLower(param(r, "domain"))
	if d == "" || !strings.Contains(d, ".") || strings.ContainsAny(d, "/@ ") {
		return "", newErr(http.StatusBadRequest, CodeValidation, "domain must be a DNS name such as example.com")
	}
	return d, nil
}

func (s *Sandbox) getDomain(w http.ResponseWriter, r *http.Request) *apiError {
	d, e := domainParam(r)
	if e != nil {
		return e
	}
	return s.withApp(r, func(_ *App, a *appResources) *apiError {
		v := a.domains[d]
		if v == nil {
			return notFound("domain verification")
		}
		writeJSON(w, http.StatusOK, v)
		return nil
	})
}

// verifyDomain issues a new DNS challenge, replacing any earlier one.
func (s *Sandbox) verifyDomain(w http.ResponseWriter, r *http.Request) *apiError {
	d, e := domainParam(r)
	if e != nil {
		return e
	}
	var out doc
	e = s.withApp(r, func(_ *App, a *appResources) *apiError {
		if a.idp == nil {
			return newErr(http.StatusNotFound, CodeNotFound, "configure an IdP before verifying its domains")
		}
		a.domains[d] = doc{"domain": d, "status": "pending", "dns_record_name": "_contio-challenge." + d,
			"dns_record_value": "contio-verification=" + s.ids.hex(16), "expires_at": stamp(s.Now().Add(domainChallengeTTL))}
		out = cloneDoc(a.domains[d])
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusCreated, out)
}

// checkDomain looks the challenge up in the simulated DNS: a match
// verifies the domain (and stays verified), a miss leaves it pending, a
// challenge past its time expires.
func (s *Sandbox) checkDomain(w http.ResponseWriter, r *http.Request) *apiError {
	d, e := domainParam(r)
	if e != nil {
		return e
	}
	var out doc
	e = s.withApp(r, func(_ *App, a *appResources) *apiError {
		v := a.domains[d]
		if v == nil {
			return notFound("domain verification")
		}
		if v["status"] == "pending" {
			exp, _ := time.Parse(time.RFC3339, str(v, "expires_at"))
			switch {
			case s.st.res.dns[str(v, "dns_record_name")] == str(v, "dns_record_value"):
				v["status"], v["verified_at"] = "verified", stamp(s.Now())
			case !s.Now().Before(exp):
				v["status"] = "expired"
			}
		}
		out = cloneDoc(v)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, out)
}

// ssoInfo is the public SSO card of the app whose slug the path names:
// has_idp_config follows the admin IdP configuration.
func (s *Sandbox) ssoInfo(w http.ResponseWriter, r *http.Request) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, app := range s.st.apps {
		j := appJSON(app)
		if j["slug"] != param(r, "slug") {
			continue
		}
		idp := s.appResLocked(app.ClientID).idp
		writeJSON(w, http.StatusOK, map[string]any{"slug": j["slug"], "name": app.Name, "co_brand_name": app.CompanyName,
			"has_idp_config": idp != nil, "is_active": !app.Deactivated && idp != nil && idp["is_active"] == true})
		return nil
	}
	return notFound("partner")
}
