package contio

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

// pathMatchesSplit is the straightforward definition PathMatches must keep:
// split both on "/", same number of segments, each equal or a {param}
// facing a non-empty segment.
func pathMatchesSplit(template, path string) bool {
	path, _, _ = strings.Cut(path, "?")
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	ts := strings.Split(template, "/")
	ps := strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if isParam(ts[i]) {
			if ps[i] == "" {
				return false
			}
			continue
		}
		if ts[i] != ps[i] {
			return false
		}
	}
	return true
}

func literalSegmentsSplit(p string) int {
	n := 0
	for _, s := range strings.Split(p, "/") {
		if s != "" && !strings.HasPrefix(s, "{") {
			n++
		}
	}
	return n
}

func TestPathMatches(t *testing.T) {
	tests := []struct {
		template, path string
		want           bool
	}{
		{"/v1/partner/user/meetings/{id}", "/v1/partner/user/meetings/m-1", true},
		{"/v1/partner/user/meetings/{id}", "/v1/partner/user/meetings/m-1/", true},
		{"/v1/partner/user/meetings/{id}", "/v1/partner/user/meetings/m-1?x=1", true},
		{"/v1/partner/user/meetings/{id}", "/v1/partner/user/meetings/", false}, // the ID is empty
		{"/v1/partner/user/meetings/{id}", "/v1/partner/user/meetings//", false},
		{"/v1/partner/user/meetings/{id}", "/v1/partner/user/meetings", false},
		{"/v1/partner/user/meetings/{id}", "/v1/partner/user/meetings/m-1/agenda-items", false},
		{"/v1/partner/user/meetings", "/v1/partner/user/Meetings", false}, // routing is case-sensitive
		{"/v1/partner/user/meetings", "/v1/partner/user/meetings", true},
		{"/", "/", true},
		{"/", "", false},
		{"", "", true},
		{"/{a}/{b}", "/x/y", true},
		{"/{a}/{b}", "/x", false},
	}
	for _, tt := range tests {
		if got := PathMatches(tt.template, tt.path); got != tt.want {
			t.Errorf("PathMatches(%q, %q) = %v, want %v", tt.template, tt.path, got, tt.want)
		}
	}
}

func TestPathMatchesAgreesWithSplitOnCatalogue(t *testing.T) {
	for i := range Endpoints {
		for j := range Endpoints {
			tmpl, path := Endpoints[i].Path, strings.ReplaceAll(Endpoints[j].Path, "{", "x{")
			if got, want := PathMatches(tmpl, path), pathMatchesSplit(tmpl, path); got != want {
				t.Errorf("PathMatches(%q, %q) = %v, split definition says %v", tmpl, path, got, want)
			}
		}
		if got, want := literalSegments(Endpoints[i].Path), literalSegmentsSplit(Endpoints[i].Path); got != want {
			t.Errorf("literalSegments(%q) = %d, want %d", Endpoints[i].Path, got, want)
		}
	}
}

// FuzzPathMatches holds the allocation-free walk to the split definition.
func FuzzPathMatches(f *testing.F) {
	for _, s := range [][2]string{
		{"/v1/partner/user/meetings/{id}", "/v1/partner/user/meetings/m-1"},
		{"/v1/partner/user/meetings/{id}", "/v1/partner/user/meetings/"},
		{"/", "/"}, {"", ""}, {"/{}", "/a?b"}, {"{x}/", "a//"}, {"/a/b", "/a/b/?"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, template, path string) {
		if got, want := PathMatches(template, path), pathMatchesSplit(template, path); got != want {
			t.Errorf("PathMatches(%q, %q) = %v, split definition says %v", template, path, got, want)
		}
		if got, want := literalSegments(template), literalSegmentsSplit(template); got != want {
			t.Errorf("literalSegments(%q) = %d, want %d", template, got, want)
		}
	})
}

// scanIndices is the definition matchIndices must keep: every template
// PathMatches accepts, in catalogue order.
func scanIndices(path string) []int {
	var out []int
	for i := range Endpoints {
		if PathMatches(Endpoints[i].Path, path) {
			out = append(out, i)
		}
	}
	return out
}

// concretePaths turns every template into paths a partner might declare:
// IDs filled in, a trailing slash, a query, a missing or empty ID.
func concretePaths() []string {
	var out []string
	for _, e := range Endpoints {
		filled := strings.NewReplacer("{id}", "m-1", "{client_id}", "c-1").Replace(e.Path)
		for strings.Contains(filled, "{") {
			i, j := strings.Index(filled, "{"), strings.Index(filled, "}")
			if j < i {
				break
			}
			filled = filled[:i] + "x9" + filled[j+1:]
		}
		out = append(out, e.Path, filled, filled+"/", filled+"?a=b", strings.TrimSuffix(filled, "/x9")+"/", filled+"/extra")
	}
	return append(out, "", "/", "//", "/v1", "/v1/partner/user/", "/v1/partner/user/meetings/export")
}

func TestIndexAgreesWithScan(t *testing.T) {
	matchIndices("/", nil) // builds the index
	if !pathIndex.current() {
		t.Fatal("the segment index is not in use for the catalogue")
	}
	for _, p := range concretePaths() {
		if got, want := matchIndices(p, nil), scanIndices(p); !slices.Equal(got, want) {
			t.Errorf("matchIndices(%q) = %v, scan gives %v", p, got, want)
		}
	}
}

func TestIndexFallsBackWhenCatalogueReplaced(t *testing.T) {
	pathIndexOnce.Do(indexEndpoints) // the index describes the real catalogue
	saved := Endpoints
	t.Cleanup(func() { Endpoints = saved })
	Endpoints = []Endpoint{{Method: "GET", Path: "/only/{x}", Scope: "s"}}
	if got := ScopeFor("GET", "/only/1"); got != "s" {
		t.Errorf("ScopeFor on a replaced catalogue = %q, want s (the stale index must not be used)", got)
	}
	if got := Matching("/v1/partner/user/profile"); len(got) != 0 {
		t.Errorf("Matching on a replaced catalogue found %d endpoints from the old one", len(got))
	}
}

func TestMatchingMeetingPath(t *testing.T) {
	got := Matching(UserPrefix + "/meetings/m-1/")
	if len(got) < 2 {
		t.Fatalf("Matching found %d endpoints for a meeting path, want GET and PATCH at least", len(got))
	}
	for k := 1; k < len(got); k++ {
		if got[k-1] == got[k] || got[k].Path != UserPrefix+"/meetings/{id}" {
			t.Errorf("Matching[%d] = %s %s", k, got[k].Method, got[k].Path)
		}
	}
}

// FuzzIndex holds the segment index to the scan over every template.
func FuzzIndex(f *testing.F) {
	for _, p := range concretePaths() {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, path string) {
		if got, want := matchIndices(path, nil), scanIndices(path); !slices.Equal(got, want) {
			t.Errorf("matchIndices(%q) = %v, scan gives %v", path, got, want)
		}
	})
}

// BenchmarkIndexEndpoints is the one-off cost of building the segment
// index, paid on the first lookup of a process.
func BenchmarkIndexEndpoints(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		indexEndpoints()
	}
}

// BenchmarkFirstLookup is what the first Lookup of a process costs: the
// segment index is built anew for every round.
func BenchmarkFirstLookup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		pathIndexOnce = sync.Once{}
		Lookup("GET", UserPrefix+"/meetings/9f1c2d3e/participants")
	}
}

func TestFirstMatchingIsMatchingsFirst(t *testing.T) {
	for _, p := range concretePaths() {
		m, first := Matching(p), FirstMatching(p)
		if (len(m) == 0) != (first == nil) || len(m) > 0 && m[0] != first {
			t.Errorf("FirstMatching(%q) = %v, Matching's first is %v", p, first, m)
		}
	}
}
