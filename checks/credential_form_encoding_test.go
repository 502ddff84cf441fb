package checks

import "testing"

func TestCredentialFormEncoding(t *testing.T) {
	cases := []struct {
		name, id, secret string
		want             []string
		severity         Severity
	}{
		{"unreserved only", credID, "abc-DEF_123.xyz~", nil, 0},
		{"plus", credID, "abc+def", []string{"oauth.client_secret contains '+' at character 4 of 7 (a server that form-decodes reads it as a space)"}, SeverityWarning},
		{"percent", credID, "abc%41def", []string{"'%' at character 4 of 9 (a server that form-decodes reads it as the start of an escape"}, SeverityWarning},
		{"slash", credID, "abc/def", []string{"'/' at character 4 of 7 (a spec-following client sends it as %2F"}, SeverityWarning},
		{"interior space", credID, "abc def", []string{"' ' at character 4 of 7 (a spec-following client sends it as '+'"}, SeverityWarning},
		{"each character once", credID, "a+b+c", []string{"contains '+' at character 2 of 5 (a server that form-decodes reads it as a space)"}, SeverityWarning},
		{"edge space is CD1001's", credID, "abcdef ", nil, 0},
		{"quotes are CD1002's", credID, `"abcdef"`, nil, 0},
		{"colon in client id", "tenant:app", credSecret, []string{"oauth.client_id contains ':' at character 7 of 10 (it is the separator between client_id and secret); the server splits"}, SeverityError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := credIG()
			ig.OAuth.ClientID.Raw, ig.OAuth.ClientSecret.Raw = tc.id, tc.secret
			fs, err := credRun(t, "CD1003", ig)
			if err != nil {
				t.Fatal(err)
			}
			var msgs []string
			for _, f := range fs {
				msgs = append(msgs, f.Message)
			}
			assertMessages(t, msgs, tc.want...)
			if len(fs) == 1 {
				c, _ := Lookup("CD1003")
				if got := Complete(c, fs[0]).Severity; got != tc.severity {
					t.Errorf("severity %v, want %v", got, tc.severity)
				}
			}
		})
	}
}
