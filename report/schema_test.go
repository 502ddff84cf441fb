package report_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/doctor"
	"github.com/Contio-AI/contio-doctor/report"
)

// sarifSchemaPath is the official OASIS schema, kept beside the repository
// (never in it): ../shared/reference/specs/ from the repo root.
const sarifSchemaPath = "../shared/reference/specs/sarif-schema-2.1.0.json"

func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("parse schema %s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	abs, _ := filepath.Abs(path)
	if err := c.AddResource(abs, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(abs)
	if err != nil {
		t.Fatalf("compile schema %s: %v", path, err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, what string, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("%s: output is not JSON: %v", what, err)
	}
	if err := s.Validate(inst); err != nil {
		t.Errorf("%s does not match the schema:\n%v", what, err)
	}
}

func renderVia(t *testing.T, rep *report.Report, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := doctor.Write(&b, rep, format, report.Options{}, nil); err != nil {
		t.Fatalf("render %s: %v", format, err)
	}
	return b.Bytes()
}

// TestJSONReportMatchesSchema validates the json format of every testdata
// config, and of a report with every status, against schema/.
func TestJSONReportMatchesSchema(t *testing.T) {
	t.Chdir(repoRoot(t))
	s := compileSchema(t, "schema/report.schema.json")
	validate(t, s, "synthetic report", renderVia(t, synthReport(), "json"))
	for _, cfg := range testdataConfigs(t) {
		validate(t, s, cfg, renderVia(t, runConfig(t, cfg, checks.SeverityError), "json"))
	}
}

// TestSARIFMatchesOfficialSchema validates the sarif format of every
// testdata config against the OASIS SARIF 2.1.0 schema.
func TestSARIFMatchesOfficialSchema(t *testing.T) {
	t.Chdir(repoRoot(t))
	if !fileExists(sarifSchemaPath) {
		t.Skipf("the official SARIF schema is not at %s (it is kept outside the repository); skipping", sarifSchemaPath)
	}
	s := compileSchema(t, sarifSchemaPath)
	validate(t, s, "synthetic report", renderVia(t, synthReport(), "sarif"))
	for _, cfg := range testdataConfigs(t) {
		validate(t, s, cfg, renderVia(t, runConfig(t, cfg, checks.SeverityError), "sarif"))
	}
}

// TestSchemaRejectsDrift proves the schema is strict enough to catch a
// renamed field or an unknown status, so the validation above can fail.
func TestSchemaRejectsDrift(t *testing.T) {
	t.Chdir(repoRoot(t))
	s := compileSchema(t, "schema/report.schema.json")
	good := renderVia(t, synthReport(), "json")
	for name, mutate := range map[string]func(map[string]any){
		"renamed field": func(d map[string]any) {
			sum := d["summary"].(map[string]any)
			sum["failed"] = sum["fail"]
			delete(sum, "fail")
		},
		"unknown status": func(d map[string]any) { d["results"].([]any)[0].(map[string]any)["status"] = "broken" },
		"bad check ID":   func(d map[string]any) { d["results"].([]any)[0].(map[string]any)["check"] = "X1" },
		"fail, no findings": func(d map[string]any) {
			d["results"].([]any)[0].(map[string]any)["findings"] = []any{}
		},
	} {
		var doc map[string]any
		if err := json.Unmarshal(good, &doc); err != nil {
			t.Fatal(err)
		}
		mutate(doc)
		bad, _ := json.Marshal(doc)
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
		if s.Validate(inst) == nil {
			t.Errorf("%s: schema accepted it", name)
		}
	}
}

// TestSchemaGuideKeys keeps the schema's guide enum in step with the guide.
func TestSchemaGuideKeys(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "schema", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Defs struct {
			Result struct {
				Properties struct {
					Guide struct {
						Enum []string `json:"enum"`
					} `json:"guide"`
				} `json:"properties"`
			} `json:"result"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, g := range contio.Guide {
		want = append(want, string(g.Key))
	}
	got := doc.Defs.Result.Properties.Guide.Enum
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("schema guide enum %q, guide keys %q", got, want)
	}
}
