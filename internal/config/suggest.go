package config

import (
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/textdist"
)

// suggest is the "; did you mean …" hint for an unknown key: the closest
// key valid here, else the section where that exact key belongs.
func suggest(name, where string, allowed []string) string {
	if best := closest(name, allowed); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	for _, s := range sections {
		if s.name == sectionName(where) || !containsString(s.keys, strings.ToLower(name)) {
			continue
		}
		if s.name == "" {
			return fmt.Sprintf("; %q belongs at the top level, not%s", strings.ToLower(name), in(where))
		}
		return fmt.Sprintf("; %q belongs under %s", strings.ToLower(name), s.name)
	}
	return "; valid keys here: " + strings.Join(allowed, ", ")
}

// sectionName turns "calls[3]" into "calls[]" to match the sections table.
func sectionName(where string) string {
	if i := strings.IndexByte(where, '['); i >= 0 {
		return where[:i] + "[]"
	}
	return where
}

// closest is the candidate nearest to s by edit distance (case-insensitive,
// a transposition counting as one edit), or "" when none is near enough to
// be a likely typo.
func closest(s string, candidates []string) string {
	s = strings.ToLower(s)
	if len(s) > 64 {
		return "" // no key is that long; do not spend time on it
	}
	best, bestDist := "", 0
	for _, c := range candidates {
		d := textdist.Distance(s, c)
		if best == "" || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := 2
	if len(s) <= 4 {
		limit = 1
	}
	if len(s) >= 12 {
		limit = 3
	}
	if best == "" || bestDist > limit {
		return ""
	}
	return best
}
