package checks

import (
	"regexp"
	"testing"
)

// The regexps isOpaqueShort and isUUID spell out by hand.
var (
	opaqueShortRE = regexp.MustCompile(`^[A-Za-z0-9._~-]{8,64}$`)
	uuidRE        = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

var tokenShapeSeeds = []string{
	"", "abc", "abcd1234", "abcd123", "a.b_c~d-1", "code with space", "ctox_9f8e7d6c5b4a",
	"0123456789012345678901234567890123456789012345678901234567890123",
	"01234567890123456789012345678901234567890123456789012345678901234",
	"550e8400-e29b-41d4-a716-446655440000", "550E8400-E29B-41D4-A716-446655440000",
	"550e8400-e29b-41d4-a716-44665544000g", "550e8400e29b-41d4-a716-4466554400000",
	"550e8400-e29b-41d4-a716-446655440000\n", "ésumé123", "abcdefgh\x00",
}

func TestTokenShapesMatchTheirRegexps(t *testing.T) {
	for _, v := range tokenShapeSeeds {
		if got, want := isOpaqueShort(v), opaqueShortRE.MatchString(v); got != want {
			t.Errorf("isOpaqueShort(%q) = %v, regexp says %v", v, got, want)
		}
		if got, want := isUUID(v), uuidRE.MatchString(v); got != want {
			t.Errorf("isUUID(%q) = %v, regexp says %v", v, got, want)
		}
	}
}

func FuzzTokenShapes(f *testing.F) {
	for _, v := range tokenShapeSeeds {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if got, want := isOpaqueShort(v), opaqueShortRE.MatchString(v); got != want {
			t.Errorf("isOpaqueShort(%q) = %v, regexp says %v", v, got, want)
		}
		if got, want := isUUID(v), uuidRE.MatchString(v); got != want {
			t.Errorf("isUUID(%q) = %v, regexp says %v", v, got, want)
		}
	})
}
