package checks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
	"github.com/Contio-AI/contio-doctor/report"
)

// A live run records the X-API-Version the API answered with, in the
// report's run, its JSON (run.api_version) and its Markdown header.
func TestLiveRunRecordsAPIVersion(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-API-Version", "1.9")
		w.WriteHeader(http.StatusNotFound)
	}))
	defer srv.Close()
	val := func(s string) integration.Value { return integration.Value{Raw: s, Set: true} }
	ig := &integration.Integration{APIURL: val(srv.URL), AuthURL: val(srv.URL)}
	rep, err := diagnosis.Run(context.Background(), ig, diagnosis.Options{
		Probe: probe.New(probe.Options{}),
		Only:  []string{"CD6501"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Run.APIVersion != "1.9" {
		t.Fatalf("Run.APIVersion = %q, want 1.9", rep.Run.APIVersion)
	}
	out := map[string]string{}
	for _, format := range []string{"json", "markdown"} {
		var b bytes.Buffer
		if err := report.Write(&b, rep, format, report.Options{}, nil); err != nil {
			t.Fatal(err)
		}
		out[format] = b.String()
	}
	var doc struct {
		Run struct {
			APIVersion string `json:"api_version"`
		} `json:"run"`
	}
	if err := json.Unmarshal([]byte(out["json"]), &doc); err != nil || doc.Run.APIVersion != "1.9" {
		t.Errorf("json run.api_version = %q (%v), want 1.9", doc.Run.APIVersion, err)
	}
	if !strings.Contains(out["markdown"], "| API version (X-API-Version) | `1.9` |") {
		t.Errorf("markdown header lacks the API version:\n%s", out["markdown"])
	}

	// Offline: nothing answered, so no version is claimed.
	rep, err = diagnosis.Run(context.Background(), ig, diagnosis.Options{Only: []string{"CD6002"}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.Write(&b, rep, "json", report.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	if rep.Run.APIVersion != "" || strings.Contains(b.String(), "api_version") {
		t.Errorf("offline run claims an API version: %q", rep.Run.APIVersion)
	}
}
