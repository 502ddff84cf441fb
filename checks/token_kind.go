package checks

// Token shapes shared by the CD31xx token checks.

import (
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// isOpaqueShort matches what an authorization code or OTP session id looks
// like when pasted as a token: a short run of URL-safe characters, i.e.
// ^[A-Za-z0-9._~-]{8,64}$. Written out because compiling that regexp was
// the costliest step of the binary's start.
func isOpaqueShort(v string) bool {
	if len(v) < 8 || len(v) > 64 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("._~-", c) >= 0) {
			return false
		}
	}
	return true
}

// isUUID matches a UUID (8-4-4-4-12 hex digits), the shape of many
// identity providers' codes.
func isUUID(v string) bool {
	if len(v) != 36 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// tokenKind names what a configured token value is: "access", "refresh",
// "jwt", "header" (a whole "Bearer …" value), "placeholder", "code" (a
// short opaque value, likely an authorization code), or "other".
func tokenKind(raw string) string {
	v := strings.TrimSpace(raw)
	switch {
	case v == "":
		return ""
	case strings.HasPrefix(v, contio.AccessTokenPrefix):
		return "access"
	case strings.HasPrefix(v, contio.RefreshTokenPrefix):
		return "refresh"
	case hasSchemePrefix(v):
		return "header"
	case isJWTShape(v):
		return "jwt"
	case placeholderKind(v) != "" || strings.HasPrefix(strings.ToLower(v), "your"):
		return "placeholder"
	case isUUID(v):
		return "code"
	case isOpaqueShort(v) && !strings.HasPrefix(v, "cto_") && hasLetterAndDigit(v):
		return "code"
	}
	return "other"
}

func hasLetterAndDigit(s string) bool {
	var letter, digit bool
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			letter = true
		}
	}
	return letter && digit
}
