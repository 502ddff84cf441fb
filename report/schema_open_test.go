package report_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSchemaAllowsAddedFields: the JSON contract says fields may be added,
// so a report from a newer doctor, with a new field in every object, still
// validates against this schema, and the schema says so nowhere otherwise.
func TestSchemaAllowsAddedFields(t *testing.T) {
	t.Chdir(repoRoot(t))
	raw, err := os.ReadFile(filepath.Join("schema", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ReplaceAll(string(raw), " ", ""), `"additionalProperties":false`) {
		t.Error("the schema forbids additional properties somewhere")
	}
	s := compileSchema(t, "schema/report.schema.json")
	var doc any
	if err := json.Unmarshal(renderVia(t, synthReport(), "json"), &doc); err != nil {
		t.Fatal(err)
	}
	objects := 0
	var addField func(v any)
	addField = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, c := range x {
				addField(c)
			}
			x["added_in_a_later_version"] = "x"
			objects++
		case []any:
			for _, c := range x {
				addField(c)
			}
		}
	}
	addField(doc)
	out, _ := json.Marshal(doc)
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err := s.Validate(inst); err != nil {
		t.Errorf("a report with a field added to each of its %d objects does not validate:\n%v", objects, err)
	}
}
