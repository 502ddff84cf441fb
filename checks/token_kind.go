package checks

// Token shapes shared by the CD31xx token checks.

import (
	"regexp"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// opaqueShort matches what an authorization code or OTP session id looks
// like when pasted as a token: a short run of URL-safe characters.
var opaqueShort = regexp.MustCompile(`^[A-Za-z0-9._~-]{8,64}$`)

// uuidShape is a UUID, the shape of many identity providers' codes.
var uuidShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

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
	case jwtShape.MatchString(v):
		return "jwt"
	case placeholderKind(v) != "" || strings.HasPrefix(strings.ToLower(v), "your"):
		return "placeholder"
	case uuidShape.MatchString(v):
		return "code"
	case opaqueShort.MatchString(v) && !strings.HasPrefix(v, "cto_") && hasLetterAndDigit(v):
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
