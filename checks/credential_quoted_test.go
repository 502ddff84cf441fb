package checks

import "testing"

func TestCredentialQuoted(t *testing.T) {
	cases := []struct {
		name, key string
		want      []string
	}{
		{"plain", credAPIKey, nil},
		{"double quotes", `"` + credAPIKey + `"`, []string{"admin.api_key is wrapped in double quotes"}},
		{"single quotes", `'` + credAPIKey + `'`, []string{"admin.api_key is wrapped in single quotes"}},
		{"one quote only", `"` + credAPIKey, nil},
		{"mismatched quotes", `"` + credAPIKey + `'`, nil},
		{"a lone quote", `"`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := credIG()
			ig.Admin.APIKey.Raw = tc.key
			assertMessages(t, credMessages(t, "CD1002", ig), tc.want...)
		})
	}
}
