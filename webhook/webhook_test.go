package webhook

import (
	"errors"
	"strings"
	"testing"
)

func TestSignVerify(t *testing.T) {
	body := []byte(`{"event_type":"meeting.created","event_id":"e1"}`)
	secret := "whsec_test_secret"
	sig := Sign(secret, body)
	if !strings.HasPrefix(sig, "sha256=") || len(sig) != len("sha256=")+64 || strings.ToLower(sig) != sig {
		t.Fatalf("Sign = %q, want sha256= and 64 lower-case hex digits", sig)
	}
	cases := []struct {
		name   string
		secret string
		body   []byte
		header string
		want   error
	}{
		{"valid", secret, body, sig, nil},
		{"upper-case hex", secret, body, "sha256=" + strings.ToUpper(sig[7:]), nil},
		{"missing", secret, body, "", ErrMissing},
		{"capital prefix", secret, body, "SHA256=" + sig[7:], ErrFormat},
		{"bare hex", secret, body, sig[7:], ErrFormat},
		{"truncated", secret, body, sig[:len(sig)-2], ErrFormat},
		{"trailing space", secret, body, sig + " ", ErrFormat},
		{"wrong secret", "other", body, sig, ErrMismatch},
		{"re-serialised body", secret, []byte(`{"event_id":"e1","event_type":"meeting.created"}`), sig, ErrMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := Verify(c.secret, c.body, c.header); !errors.Is(err, c.want) {
				t.Fatalf("Verify = %v, want %v", err, c.want)
			}
		})
	}
}
