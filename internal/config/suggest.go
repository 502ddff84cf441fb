package config

import (
	"fmt"
	"strings"
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
		d := editDistance(s, c)
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

// editDistance is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and adjacent transpositions.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
