package checks

import "testing"

func TestTokenFormatUnrecognised(t *testing.T) {
	tokenCases(t, "CD3104", []struct {
		name            string
		access, refresh string
		want            []string
	}{
		{"foreign access token", "ya29.a0AfB_byC3kQ7mLrTnXvPzW8dHsJ2fG5tYuIoP1aSdFgHjKlZxCvBnM9qWeRtYuIoPaSdFgHjKl", testRT, []string{"tokens.access_token does not start with cto_at_v1_"}},
		{"future version", testAT, "cto_rt_v2_abc", []string{"tokens.refresh_token does not start with cto_rt_v1_"}},
		{"right", testAT, testRT, nil},
		{"other shapes have their own checks", testJW, testAT, nil},
	})
}
