package checks

import "testing"

func TestTokenKind(t *testing.T) {
	tests := map[string]string{
		"cto_at_v1_abc":                            "access",
		"cto_rt_v1_abc":                            "refresh",
		"Bearer cto_at_v1_abc":                     "header",
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig": "jwt",
		"YOUR_ACCESS_TOKEN":                        "placeholder",
		"your-token-here":                          "placeholder",
		"SplxlOBeZQQYbYS6WxSbIA":                   "code",
		"3f0c2a9e-8b1d-4c6e-9a7f-0d2b4e6f8a1c":     "code",
		"cto_at_v2_abc":                            "other",
		"abcdefghijklmnopqrstuvwxyz":               "other", // no digit: not random-looking enough to call it a code
		"ya29.a0AfB_byC3kQ7mLrTnXvPzW8dHsJ2fG5tYuIoP1aSdFgHjKlZxCvBnM9qWeRtYuIoPaSdFgHjKl": "other",
		"": "",
	}
	for in, want := range tests {
		if got := tokenKind(in); got != want {
			t.Errorf("tokenKind(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzTokenKind(f *testing.F) {
	for _, s := range []string{"", "cto_at_v1_", "Bearer", "Bearer  ", "eyJ..", "a.b.c", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		switch tokenKind(s) {
		case "", "access", "refresh", "header", "jwt", "placeholder", "code", "other":
		default:
			t.Fatalf("tokenKind(%q) returned an unknown kind", s)
		}
	})
}
