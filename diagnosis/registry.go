package diagnosis

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/textdist"
)

// registry holds every check, filled at init and read-only afterwards.
var registry []*Check

// Register adds c to the registry. The catalogue (package checks) calls
// it from package-level var declarations in each check's file.
func Register(c *Check) *Check {
	registry = append(registry, c)
	return c
}

// All returns every registered check in registry order: by ID.
func All() []*Check {
	out := slices.Clone(registry)
	slices.SortStableFunc(out, func(a, b *Check) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Lookup finds a check by ID (case-insensitive) or name.
func Lookup(idOrName string) (*Check, bool) {
	for _, c := range registry {
		if strings.EqualFold(c.ID, idOrName) || c.Name == idOrName {
			return c, true
		}
	}
	return nil, false
}

// Suggest returns the registered ID or name closest to s, for "did you mean".
func Suggest(s string) string {
	best, bestD := "", 4
	for _, c := range registry {
		for _, cand := range []string{c.ID, c.Name} {
			if d := textdist.Distance(strings.ToLower(s), strings.ToLower(cand)); d < bestD {
				best, bestD = cand, d
			}
		}
	}
	return best
}

// Only Validate (the registry test) needs these: compiled on first use.
var (
	idPattern   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^CD[1-7][0-9]{3}$`) })
	namePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`) })
)

// Validate reports every defect of the registry: malformed or duplicate
// IDs and names, unknown guide keys, missing texts or Run, an ID family
// that does not match... It is the registry test's engine.
func Validate(all []*Check) []error {
	var errs []error
	ids := map[string]bool{}
	names := map[string]bool{}
	for _, c := range all {
		bad := func(format string, a ...any) {
			errs = append(errs, fmt.Errorf("%s (%s): %s", c.ID, c.Name, fmt.Sprintf(format, a...)))
		}
		if !idPattern().MatchString(c.ID) {
			bad("ID must look like CD1103")
		}
		if ids[c.ID] {
			bad("duplicate ID")
		}
		ids[c.ID] = true
		if !namePattern().MatchString(c.Name) {
			bad("name must be kebab-case")
		}
		if names[c.Name] {
			bad("duplicate name")
		}
		names[c.Name] = true
		if _, ok := contio.LookupGuide(c.Guide); !ok {
			bad("unknown guide key %q", c.Guide)
		}
		for field, v := range map[string]string{"Title": c.Title, "Symptom": c.Symptom, "Cause": c.Cause, "Fix": c.Fix, "Verifies": c.Verifies} {
			if strings.TrimSpace(v) == "" {
				bad("empty %s", field)
			}
		}
		if c.Severity < SeverityInfo || c.Severity > SeverityError {
			bad("default severity must be info, warning or error")
		}
		if c.Run == nil {
			bad("no Run")
		}
		if err := validateRequires(c.Requires); err != nil {
			bad("%v", err)
		}
		if c.Needs == 0 {
			bad("no Needs")
		}
		if c.Needs&NeedsNetwork == 0 && c.Safety != 0 {
			bad("an offline check must have Safety 0")
		}
		if c.Needs&NeedsNetwork != 0 && c.Safety == 0 {
			bad("a network check must have Safety 1, 2 or 3")
		}
	}
	return errs
}
