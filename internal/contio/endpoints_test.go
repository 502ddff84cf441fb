package contio

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/contio/internal/triegen"
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
// the template itself, IDs filled in, a trailing slash, a query (with and
// without the slash), a missing, empty or extra segment, the wrong case;
// then a few paths no endpoint serves.
func concretePaths() []string {
	var out []string
	for _, e := range Endpoints {
		filled := strings.NewReplacer("{id}", "m-1", "{client_id}", "c-1").Replace(e.Path)
		emptied := e.Path
		for strings.Contains(filled, "{") {
			i, j := strings.Index(filled, "{"), strings.Index(filled, "}")
			if j < i {
				break
			}
			filled = filled[:i] + "x9" + filled[j+1:]
		}
		for strings.Contains(emptied, "{") {
			i, j := strings.Index(emptied, "{"), strings.Index(emptied, "}")
			if j < i {
				break
			}
			emptied = emptied[:i] + emptied[j+1:]
		}
		out = append(out, e.Path, filled, filled+"/", filled+"?a=b", filled+"/?a=b",
			strings.TrimSuffix(filled, "/x9")+"/", emptied, filled+"/extra", strings.ToUpper(filled))
	}
	return append(out, "", "/", "//", "?", "/?a=b", "/v1", "/v1/partner/user/", "/v1/partner/user/meetings/export",
		"/nope", "/v2/partner/user/meetings", "oauth2/token", "/oauth2", "/oauth2/token/x9", UserPrefix+"/meetings/m-1/nope")
}

// requireIndex stops a test that means to exercise pathTrie when lookups
// would scan the catalogue instead.
func requireIndex(t *testing.T) {
	t.Helper()
	if !pathTrie.current() {
		t.Fatal("pathTrie does not describe Endpoints: lookups scan the catalogue")
	}
}

// TestIndexAgreesWithScan holds the generated trie to the scan with
// PathMatches, in catalogue order, for paths derived from every endpoint.
func TestIndexAgreesWithScan(t *testing.T) {
	requireIndex(t)
	for _, p := range concretePaths() {
		if got, want := matchIndices(p, nil), scanIndices(p); !slices.Equal(got, want) {
			t.Errorf("matchIndices(%q) = %v, scan gives %v", p, got, want)
		}
	}
}

// TestLookupSameOnIndexAndScan compares what the exported look-ups return
// through the trie with what they return through the scan they fall back
// to, on a copy of the catalogue.
func TestLookupSameOnIndexAndScan(t *testing.T) {
	requireIndex(t)
	results := func() []string {
		at := func(ep *Endpoint) int {
			for i := range Endpoints {
				if &Endpoints[i] == ep {
					return i
				}
			}
			return -1
		}
		var out []string
		for _, p := range concretePaths() {
			for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
				ep, allowed := Lookup(m, p)
				out = append(out, fmt.Sprintf("Lookup(%s %q) = %d %v", m, p, at(ep), allowed))
			}
			var matching []int
			for _, ep := range Matching(p) {
				matching = append(matching, at(ep))
			}
			out = append(out, fmt.Sprintf("Matching(%q) = %v, FirstMatching %d, Template %q, AllowedMethods %v",
				p, matching, at(FirstMatching(p)), Template(p), AllowedMethods(p)))
		}
		return out
	}
	viaIndex := results()
	saved := Endpoints
	t.Cleanup(func() { Endpoints = saved })
	Endpoints = slices.Clone(saved)
	if pathTrie.current() {
		t.Fatal("pathTrie is taken to describe a copy of Endpoints")
	}
	viaScan := results()
	for k := range viaIndex {
		if viaIndex[k] != viaScan[k] {
			t.Errorf("through the trie %s, through the scan %s", viaIndex[k], viaScan[k])
		}
	}
}

func TestIndexFallsBackWhenCatalogueReplaced(t *testing.T) {
	saved := Endpoints
	t.Cleanup(func() { Endpoints = saved })
	for _, tt := range []struct {
		name    string
		eps     []Endpoint
		current bool
	}{
		{"the catalogue", saved, true},
		{"the catalogue, capacity cut", saved[:len(saved):len(saved)], true},
		{"a copy", slices.Clone(saved), false},
		{"without the first row", saved[1:], false},
		{"without the last row", saved[:len(saved)-1], false},
		{"empty", nil, false},
	} {
		Endpoints = tt.eps
		if got := pathTrie.current(); got != tt.current {
			t.Errorf("%s: pathTrie.current() = %v, want %v", tt.name, got, tt.current)
		}
	}
	Endpoints = []Endpoint{{Method: "GET", Path: "/only/{x}", Scope: "s"}}
	if got := ScopeFor("GET", "/only/1"); got != "s" {
		t.Errorf("ScopeFor on a replaced catalogue = %q, want s (the stale trie must not be used)", got)
	}
	if got := Matching("/v1/partner/user/profile"); len(got) != 0 {
		t.Errorf("Matching on a replaced catalogue found %d endpoints from the old one", len(got))
	}
}

// TestEndpointsTrieIsGenerated fails when endpoints_trie.go is not what
// gen_trie.go writes for the catalogue as it is.
func TestEndpointsTrieIsGenerated(t *testing.T) {
	templates := make([]string, len(Endpoints))
	for i, e := range Endpoints {
		templates[i] = e.Path
	}
	want, err := triegen.Generate(templates)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("endpoints_trie.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		k := 0
		for k < len(gl) && k < len(wl) && gl[k] == wl[k] {
			k++
		}
		t.Fatalf("endpoints_trie.go is out of date with Endpoints (first difference at line %d); "+
			"regenerate it with: go generate ./internal/contio", k+1)
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

// FuzzIndex holds the generated trie to the scan over every template.
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

// BenchmarkFirstLookup is what the first Lookup of a process costs. The
// trie is data the linker lays out, so it is any other lookup's cost:
// nothing is built first.
func BenchmarkFirstLookup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
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
