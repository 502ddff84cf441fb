package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/report"
)

// Canary secrets in every place traffic carries them: the client secret
// in a Basic header, a Bearer token, an API key, tokens handed out in a
// (gzip-compressed) token response. None may appear, raw or encoded, in
// an announcement, any report format, or the written HAR.
func TestNoSecretFromTrafficReachesOutput(t *testing.T) {
	const (
		clientID     = "canary-client-id-4711"
		clientSecret = "CANARYclientSECRET0042xyz"
		apiKey       = "CANARYapiKEY0099abcdef"
		bearer       = "CANARYbearerTOKEN0777qrs"
		issuedAccess = "CANARYissuedACCESS0555tuv"
		issuedRefr   = "CANARYissuedREFRESH0333wxy"
	)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/oauth2/token":
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			_ = json.NewEncoder(zw).Encode(map[string]any{"access_token": issuedAccess, "refresh_token": issuedRefr, "token_type": "Bearer", "expires_in": 3600})
			_ = zw.Close()
		case "/v1/partner/admin/app":
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"code":"missing_client_id","message":"X-Client-ID is required","request_id":"req_1"}`)
		default:
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"code":"unauthorized","message":"token `+bearer+` is not valid","request_id":"req_2"}`)
		}
	}))
	defer up.Close()
	var announced syncBuffer
	s, srv := startSession(t, up.URL, nil, &announced)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(clientID+":"+clientSecret))
	form := url.Values{"grant_type": {"authorization_code"}, "code": {"CANARYcode0123456"}, "redirect_uri": {"https://app.example.com/callback"}}
	do(t, noRedirect, "POST", srv.URL+"/oauth2/token", http.Header{"Authorization": {basic}, "Content-Type": {"application/x-www-form-urlencoded"}}, form.Encode())
	do(t, noRedirect, "GET", srv.URL+"/v1/partner/admin/app", http.Header{"X-Api-Key": {apiKey}}, "")
	do(t, noRedirect, "GET", srv.URL+"/v1/partner/admin/app", http.Header{"Authorization": {"Bearer " + bearer}, "X-Client-Id": {clientID}}, "")
	do(t, noRedirect, "GET", srv.URL+"/v1/partner/user/profile", http.Header{"Authorization": {"Bearer " + issuedAccess}}, "")
	srv.Close()
	rep, err := s.Close(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{"announcements": announced.String()}
	for _, format := range report.FormatNames() {
		var b bytes.Buffer
		if err := report.Write(&b, rep, format, report.Options{}, s.Redactor()); err != nil {
			t.Fatal(err)
		}
		outputs[format] = b.String()
	}
	var doc bytes.Buffer
	if err := s.WriteHAR(&doc); err != nil {
		t.Fatal(err)
	}
	outputs["HAR"] = doc.String()
	if !strings.Contains(outputs["HAR"], "[REDACTED") {
		t.Error("the HAR has no redaction marks: were the token response's secrets found at all?")
	}
	if !strings.Contains(outputs["HAR"], "refresh_token") {
		t.Error("the gzip token response is not stored decoded, as HAR keeps bodies")
	}
	if !strings.Contains(outputs["announcements"], "CD4201 ") {
		t.Errorf("nothing announced; the test would prove nothing:\n%s", outputs["announcements"])
	}
	for _, secret := range []string{clientSecret, apiKey, bearer, issuedAccess, issuedRefr, "CANARYcode0123456"} {
		forms := []string{secret, base64.StdEncoding.EncodeToString([]byte(secret)), url.QueryEscape(secret),
			strings.TrimRight(base64.StdEncoding.EncodeToString([]byte(clientID+":"+secret)), "=")}
		for name, out := range outputs {
			for _, f := range forms {
				if strings.Contains(out, f) {
					t.Errorf("%s shows a form of canary %s…", name, secret[:12])
				}
			}
		}
	}
	if rep.ExitCode != 1 {
		t.Errorf("exit code %d, want 1 (the admin call without X-Client-ID)", rep.ExitCode)
	}
}
