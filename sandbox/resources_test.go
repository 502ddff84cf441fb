package sandbox_test

import (
	"bytes"
	"mime/multipart"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

func adminH(app sandbox.App) map[string]string {
	return map[string]string{"X-API-Key": app.APIKey, "X-Client-ID": app.ClientID, "Content-Type": "application/json"}
}

// TestAPIKeyRotationGracePeriod: the old key works beside the new one
// until the grace period ends, then only the new one does; a webhook
// secret changes at once, with no rollback.
func TestAPIKeyRotationGracePeriod(t *testing.T) {
	sb, app := newSB(t)
	a := sb.URL() + "/v1/partner/admin"
	wantError(t, call(t, "POST", a+"/credentials/api-key/rotate", adminH(app), `{}`), 400, "bad_request")
	rot := call(t, "POST", a+"/credentials/api-key/rotate", adminH(app), `{"confirmation_token":"yes","grace_period_hours":2}`)
	fresh := rot.str("new_credential")
	if rot.Status != 200 || fresh == "" || rot.str("rollback_token") == "" || rot.str("grace_period_ends_at") != sb.Now().Add(2*time.Hour).UTC().Format(time.RFC3339) {
		t.Fatalf("rotate: %s", rot.Raw)
	}
	newH := adminH(app)
	newH["X-API-Key"] = fresh
	if call(t, "GET", a+"/app", adminH(app), "").Status != 200 || call(t, "GET", a+"/app", newH, "").Status != 200 {
		t.Fatal("both keys must work during the grace period")
	}
	if st := call(t, "GET", a+"/credentials", newH, ""); st.JSON["api_key"].(map[string]any)["status"] != "transitioning" {
		t.Fatalf("status during the grace period: %s", st.Raw)
	}
	sb.Advance(2 * time.Hour)
	wantError(t, call(t, "GET", a+"/app", adminH(app), ""), 401, "unauthorized")
	if call(t, "GET", a+"/app", newH, "").Status != 200 {
		t.Fatal("the new key stopped working")
	}
	wantError(t, call(t, "POST", a+"/credentials/api-key/rollback", newH, `{"rollback_token":"`+rot.str("rollback_token")+`"}`), 400, "bad_request")

	wh := call(t, "POST", a+"/credentials/webhook-secret/rotate", newH, `{"confirmation_token":"yes"}`)
	if got, _ := sb.App(app.ClientID); got.WebhookSecret != wh.str("new_credential") || wh.JSON["rollback_token"] != nil {
		t.Fatalf("a webhook secret rotates at once and has no rollback: %s", wh.Raw)
	}
	if h := call(t, "GET", a+"/credentials/history?credential_type=api_key", newH, ""); len(h.JSON["events"].([]any)) != 1 {
		t.Fatalf("history filtered by type: %s", h.Raw)
	}
}

// TestClientSecretRollback: a rollback restores the old secret and retires
// the one the rotation issued.
func TestClientSecretRollback(t *testing.T) {
	sb, app := newSB(t)
	a := sb.URL() + "/v1/partner/admin"
	rot := call(t, "POST", a+"/credentials/client-secret/rotate", adminH(app), `{"confirmation_token":"yes"}`)
	introspect := func(secret string) int {
		return call(t, "POST", sb.URL()+"/oauth2/introspect", formH(basic(app.ClientID, secret)), form("token", "x")).Status
	}
	if introspect(app.ClientSecret) != 200 || introspect(rot.str("new_credential")) != 200 {
		t.Fatal("both secrets must authenticate during the grace period")
	}
	if r := call(t, "POST", a+"/credentials/client-secret/rollback", adminH(app), `{"rollback_token":"`+rot.str("rollback_token")+`"}`); r.Status != 200 {
		t.Fatalf("rollback: %d %s", r.Status, r.Raw)
	}
	if introspect(app.ClientSecret) != 200 || introspect(rot.str("new_credential")) != 401 {
		t.Fatal("after a rollback only the old secret authenticates")
	}
}

// TestToolkitVersionLifecycle: drafts change and go; published versions
// do neither; publishing deprecates the previous version.
func TestToolkitVersionLifecycle(t *testing.T) {
	sb, app := newSB(t)
	a := sb.URL() + "/v1/partner/admin"
	const mf = `{"next_steps":[{"id":"n1","spec":{"name":"Recap","type":"ai"}}]}`
	bad := call(t, "POST", a+"/toolkits", adminH(app), `{"name":"K","slug":"k","version":"1","manifest":{"next_steps":[{"id":"n1","spec":{"type":"chat"}}]}}`)
	wantError(t, bad, 400, "validation_error")
	// SDK 1.9.0 types the next step type AI|STANDARD; the spec requires ai|redirect.
	sdkTyped := call(t, "POST", a+"/toolkits", adminH(app), `{"name":"K","slug":"k","version":"1","manifest":{"next_steps":[{"id":"n1","spec":{"name":"R","type":"AI"}}]}}`)
	wantError(t, sdkTyped, 400, "validation_error")
	dry := call(t, "POST", a+"/toolkits", adminH(app), `{"name":"K","slug":"k","version":"1","dry_run":true,"manifest":`+mf+`}`)
	if dry.Status != 200 || call(t, "GET", a+"/toolkits", adminH(app), "").JSON["total"] != float64(0) {
		t.Fatalf("a dry run stores nothing: %s", dry.Raw)
	}
	tk := call(t, "POST", a+"/toolkits", adminH(app), `{"name":"K","slug":"k","version":"1","manifest":`+mf+`}`).JSON["toolkit"].(map[string]any)["id"].(string)
	wantError(t, call(t, "POST", a+"/toolkits", adminH(app), `{"name":"K2","slug":"k","version":"1","manifest":`+mf+`}`), 409, "conflict")
	v2 := call(t, "POST", a+"/toolkits/"+tk+"/versions", adminH(app), `{"version_label":"2","manifest":`+mf+`}`).JSON["version"].(map[string]any)["id"].(string)
	if r := call(t, "POST", a+"/toolkits/"+tk+"/versions/"+v2+"/publish", adminH(app), `{"propagation":"none"}`); r.Status != 204 {
		t.Fatalf("publish: %d %s", r.Status, r.Raw)
	}
	wantError(t, call(t, "PATCH", a+"/toolkits/"+tk+"/versions/"+v2, adminH(app), `{"changelog":"x"}`), 409, "version_not_draft")
	wantError(t, call(t, "DELETE", a+"/toolkits/"+tk+"/versions/"+v2, adminH(app), ""), 409, "version_not_draft")
	if got := call(t, "GET", a+"/toolkits/"+tk, adminH(app), ""); got.str("version") != "2" {
		t.Fatalf("the published version is current: %s", got.Raw)
	}
}

// TestContextDocumentRoundTrip: the bytes uploaded are the bytes
// downloaded, with the file name in Content-Disposition.
func TestContextDocumentRoundTrip(t *testing.T) {
	sb, _ := newSB(t)
	tok, _ := sb.IssueTokens(sandbox.TokenSpec{Scopes: []string{"meetings:read", "context:read", "context:write"}})
	u := sb.URL() + "/v1/partner/user"
	mid := call(t, "GET", u+"/meetings", bearerH(tok.AccessToken), "").JSON["items"].([]any)[0].(map[string]any)["id"].(string)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "résumé notes.md")
	_, _ = fw.Write([]byte("# Notes\n"))
	_ = mw.WriteField("source_format", "md")
	_ = mw.Close()
	h := bearerH(tok.AccessToken)
	h["Content-Type"] = mw.FormDataContentType()
	up := call(t, "POST", u+"/meetings/"+mid+"/context", h, body.String())
	if up.Status != 201 || up.str("title") != "résumé notes.md" {
		t.Fatalf("upload: %d %s", up.Status, up.Raw)
	}
	dl := call(t, "GET", u+"/meetings/"+mid+"/context/"+up.str("id")+"/content", bearerH(tok.AccessToken), "")
	if dl.Raw != "# Notes\n" || dl.Header.Get("Content-Type") != "text/markdown" ||
		dl.Header.Get("Content-Disposition") != `attachment; filename="r_sum_ notes.md"; filename*=UTF-8''r%C3%A9sum%C3%A9%20notes.md` {
		t.Fatalf("download: %q %v", dl.Raw, dl.Header)
	}
	wantError(t, call(t, "POST", u+"/meetings/"+mid+"/context", bearerH(tok.AccessToken), `{}`), 400, "invalid_request")
}

// TestIdPDomainVerification: the check passes only once the challenge is
// published, and a new challenge replaces the old one.
func TestIdPDomainVerification(t *testing.T) {
	sb, app := newSB(t)
	a := sb.URL() + "/v1/partner/admin"
	wantError(t, call(t, "POST", a+"/idp/domains/example.com/verify", adminH(app), ""), 404, "not_found")
	info := sb.URL() + "/v1/partner/sso/info/sandbox-partner-app"
	if r := call(t, "GET", info, nil, ""); r.Status != 200 || r.JSON["has_idp_config"] != false {
		t.Fatalf("sso info before an IdP: %d %s", r.Status, r.Raw)
	}
	wantError(t, call(t, "POST", a+"/idp", adminH(app), `{"name":"X","discovery_url":"http://idp.example.com","idp_client_id":"c","idp_client_secret":"s","mode":"strict"}`), 400, "validation_error")
	cfg := call(t, "POST", a+"/idp", adminH(app), `{"name":"X","discovery_url":"https://idp.example.com/.well-known/openid-configuration","idp_client_id":"c","idp_client_secret":"s","mode":"strict"}`)
	if cfg.Status != 201 || cfg.str("issuer") != "https://idp.example.com" || cfg.JSON["idp_client_secret"] != nil {
		t.Fatalf("create: %s", cfg.Raw)
	}
	if r := call(t, "GET", info, nil, ""); r.JSON["has_idp_config"] != true || r.JSON["is_active"] != true {
		t.Fatalf("sso info with an IdP: %s", r.Raw)
	}
	first := call(t, "POST", a+"/idp/domains/example.com/verify", adminH(app), "")
	sb.SetDNSRecord(first.str("dns_record_name"), first.str("dns_record_value"))
	second := call(t, "POST", a+"/idp/domains/example.com/verify", adminH(app), "")
	if r := call(t, "POST", a+"/idp/domains/example.com/check", adminH(app), ""); r.str("status") != "pending" {
		t.Fatalf("the replaced challenge must not verify: %s", r.Raw)
	}
	sb.SetDNSRecord(second.str("dns_record_name"), second.str("dns_record_value"))
	if r := call(t, "POST", a+"/idp/domains/example.com/check", adminH(app), ""); r.str("status") != "verified" || r.str("verified_at") == "" {
		t.Fatalf("check: %s", r.Raw)
	}
}
