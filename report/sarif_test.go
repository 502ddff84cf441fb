package report_test

import (
	"encoding/json"
	"testing"

	"github.com/Contio-AI/contio-doctor/diagnosis"
)

type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID                   string `json:"id"`
					Name                 string `json:"name"`
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Help struct {
						Markdown string `json:"markdown"`
					} `json:"help"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Invocations []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
			ExitCode            int  `json:"exitCode"`
			ConfigNotes         []struct {
				Message struct{ Text string } `json:"message"`
			} `json:"toolConfigurationNotifications"`
			ExecNotes []struct {
				Message    struct{ Text string } `json:"message"`
				Descriptor struct{ ID string }   `json:"descriptor"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []sarifResult `json:"results"`
	} `json:"runs"`
}

type sarifResult struct {
	RuleID    string `json:"ruleId"`
	RuleIndex int    `json:"ruleIndex"`
	Level     string `json:"level"`
	Message   struct {
		Text string `json:"text"`
	} `json:"message"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI       string `json:"uri"`
				URIBaseID string `json:"uriBaseId"`
			} `json:"artifactLocation"`
			Region *struct {
				StartLine   int `json:"startLine"`
				StartColumn int `json:"startColumn"`
			} `json:"region"`
		} `json:"physicalLocation"`
	} `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Suppressions        []struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification"`
	} `json:"suppressions"`
}

func parseSARIF(t *testing.T, out string) sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("sarif is not JSON: %v\n%s", err, out)
	}
	if d.Version != "2.1.0" || d.Schema == "" || len(d.Runs) != 1 {
		t.Fatalf("want one SARIF 2.1.0 run with $schema, got version %q, %d runs", d.Version, len(d.Runs))
	}
	return d
}

func TestSARIFResults(t *testing.T) {
	d := parseSARIF(t, render(t, "sarif", synthReport()))
	run := d.Runs[0]
	rules := run.Tool.Driver.Rules
	// The whole registry is described, plus checks only the results know.
	if len(rules) != len(diagnosis.All())+8 {
		t.Errorf("want %d rules (registry + 8 synthetic), got %d", len(diagnosis.All())+8, len(rules))
	}
	byID := map[string]sarifResult{}
	for _, r := range run.Results {
		if rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("%s: ruleIndex %d points at %s", r.RuleID, r.RuleIndex, rules[r.RuleIndex].ID)
		}
		if len(r.PartialFingerprints) == 0 {
			t.Errorf("%s: no partialFingerprints", r.RuleID)
		}
		byID[r.RuleID+"/"+r.Message.Text] = r
	}
	// Two findings of CD1499, one each of CD2499, CD4999, CD5499 (waived),
	// CD5498 (expired waiver): errors and skips and passes are not results.
	if len(run.Results) != 6 {
		t.Fatalf("want 6 results, got %d: %v", len(run.Results), byID)
	}

	first := run.Results[0]
	loc := first.Locations[0].PhysicalLocation
	if first.Level != "error" || loc.ArtifactLocation.URI != "deploy/contio-doctor.yaml" ||
		loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || loc.Region == nil || loc.Region.StartLine != 7 || loc.Region.StartColumn != 18 {
		t.Errorf("first result: level %s, location %+v", first.Level, loc)
	}
	// A line without a column starts at column 1.
	if r := run.Results[1]; r.Locations[0].PhysicalLocation.Region.StartColumn != 1 {
		t.Errorf("column 0 should become 1, got %+v", r.Locations[0].PhysicalLocation.Region)
	}
	// From an env var: the config file, no region, the variable named.
	env := byID["CD2499/redirect_uri comes from the environment (from $CONTIO_REDIRECT_URI)"]
	if env.Level != "warning" || len(env.Locations) != 1 || env.Locations[0].PhysicalLocation.Region != nil ||
		env.Locations[0].PhysicalLocation.ArtifactLocation.URI != "deploy/contio-doctor.yaml" {
		t.Errorf("env-var finding: %+v", env)
	}
	har := byID["CD4999/POST sent where GET is expected (HAR entry 3)"]
	if har.Level != "note" || har.Locations[0].PhysicalLocation.ArtifactLocation.URI != "capture.har" {
		t.Errorf("HAR finding: %+v", har)
	}
	waived := byID["CD5499/no backoff"]
	if len(waived.Suppressions) != 1 || waived.Suppressions[0].Kind != "external" ||
		waived.Suppressions[0].Justification != "staging | loopback (until 2027-01-31)" {
		t.Errorf("waived finding should carry an external suppression with the reason: %+v", waived.Suppressions)
	}
	if expired := byID["CD5498/retries on 400"]; len(expired.Suppressions) != 0 || expired.Level != "warning" {
		t.Errorf("an expired waiver must not suppress: %+v", expired)
	}

	inv := run.Invocations[0]
	if inv.ExecutionSuccessful || inv.ExitCode != 1 || len(inv.ExecNotes) != 1 || inv.ExecNotes[0].Descriptor.ID != "CD6999" {
		t.Errorf("the errored check belongs in toolExecutionNotifications: %+v", inv)
	}
	if len(inv.ConfigNotes) != 1 {
		t.Errorf("the unmatched waiver belongs in toolConfigurationNotifications: %+v", inv.ConfigNotes)
	}
	if run.AutomationDetails.ID != "contio-doctor/run-0001" {
		t.Errorf("automationDetails.id = %q", run.AutomationDetails.ID)
	}
	for _, r := range rules {
		if r.ID == "CD1499" && (r.DefaultConfiguration.Level != "error" || r.HelpURI == "") {
			t.Errorf("rule CD1499: %+v", r)
		}
		if r.ID == "CD2499" && (r.DefaultConfiguration.Level != "warning" || r.HelpURI != "") {
			t.Errorf("rule CD2499 (beyond the guide) has no help URI: %+v", r)
		}
	}
}

func TestSARIFCleanRunHasEmptyResults(t *testing.T) {
	r := synthReport()
	r.Results = r.Results[len(r.Results)-2:]
	r.Notes = nil
	out := render(t, "sarif", r)
	d := parseSARIF(t, out)
	if d.Runs[0].Results == nil {
		t.Fatalf("results must be [] (GitHub rejects a run without it):\n%s", out)
	}
	if len(d.Runs[0].Results) != 0 {
		t.Errorf("want no results, got %d", len(d.Runs[0].Results))
	}
}

func TestSARIFNoConfigFile(t *testing.T) {
	r := synthReport()
	r.Run.ConfigPath = ""
	d := parseSARIF(t, render(t, "sarif", r))
	for _, res := range d.Runs[0].Results {
		if res.RuleID == "CD2499" && len(res.Locations) != 0 {
			t.Errorf("with no config file an env-var finding has nowhere to point: %+v", res.Locations)
		}
		if res.RuleID == "CD1499" && len(res.Locations) != 1 {
			t.Errorf("a finding with a file keeps it: %+v", res.Locations)
		}
	}
}
