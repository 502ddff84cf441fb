package report

// SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif).
// What GitHub does with it, learnt from its docs and from staticcheck's and
// golangci-lint's writers:
//
//   - `$schema`, `version`, `runs[].tool.driver.name` and `runs[].results`
//     are required. `results` must be present even when empty: an omitted
//     array makes the upload fail, so we always write `[]`.
//   - Every result needs at least one location, and GitHub uses only the
//     first. Findings with no file position (env vars, live probes) point at
//     the config file without a region; a run with no config file at all
//     writes results without locations (rejected by code scanning, still
//     valid SARIF for other consumers).
//   - `artifactLocation.uri` must be relative to the repository root with
//     forward slashes; we write it relative to the working directory with
//     `uriBaseId: %SRCROOT%`, which is the repository root in a checkout.
//   - Columns default to 1 in SARIF; a 0 column is written as 1. A region
//     without a line is omitted altogether.
//   - GitHub ignores `helpUri`, the driver's `informationUri` and version,
//     and `result.suppressions`; the guide link therefore also sits in
//     `help.markdown`, which GitHub shows instead of `help.text`.
//   - GitHub strips Markdown from `message.text` (links survive) and shows
//     only its first sentence when space is short: the message leads with
//     what is wrong.
//   - `partialFingerprints`: GitHub reads only `primaryLocationLineHash`,
//     which upload-sarif computes itself; ours is for other consumers that
//     de-duplicate results across runs.
//   - `automationDetails.id` is "category/run-id": everything before the
//     last slash is the analysis category, so alerts close when a later run
//     no longer reports them.
//   - Rule descriptions are capped at 1024 characters.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func init() {
	formats["sarif"] = func(Options) Renderer { return sarifRenderer{} }
}

// InformationURI is the project's home, written into SARIF and JUnit.
const InformationURI = "https://github.com/Contio-AI/contio-doctor"

// sarifSchemaURI is the schema GitHub's documentation names.
const sarifSchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

// sarifSrcRoot is the uriBaseId of every artifact location.
const sarifSrcRoot = "%SRCROOT%"

type sarifRenderer struct{}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                      `json:"tool"`
	AutomationDetails  sarifAutomation                `json:"automationDetails"`
	OriginalURIBaseIDs map[string]sarifArtifactOrigin `json:"originalUriBaseIds"`
	Invocations        []sarifInvocation              `json:"invocations"`
	Results            []sarifResult                  `json:"results"`
}

type sarifArtifactOrigin struct {
	Description sarifText `json:"description"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	Help                 sarifHelp          `json:"help"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags  []string `json:"tags"`
	Guide string   `json:"guide,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ExitCode                   int                 `json:"exitCode"`
	StartTimeUTC               string              `json:"startTimeUtc,omitempty"`
	EndTimeUTC                 string              `json:"endTimeUtc,omitempty"`
	ToolConfigurationNotices   []sarifNotification `json:"toolConfigurationNotifications,omitempty"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	Properties                 sarifRunProps       `json:"properties"`
}

type sarifRunProps struct {
	RunID             string `json:"runId"`
	Mode              string `json:"mode"`
	FailOn            string `json:"failOn"`
	ConfigFingerprint string `json:"configFingerprint,omitempty"`
}

type sarifNotification struct {
	Level      string              `json:"level"`
	Message    sarifText           `json:"message"`
	Descriptor *sarifDescriptorRef `json:"descriptor,omitempty"`
	Locations  []sarifLocation     `json:"locations,omitempty"`
}

type sarifDescriptorRef struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions"`
	Properties          sarifResultProps   `json:"properties"`
}

type sarifResultProps struct {
	Status    string   `json:"status"`
	Severity  string   `json:"severity"`
	Symptom   string   `json:"symptom,omitempty"`
	Cause     string   `json:"cause,omitempty"`
	Fix       string   `json:"fix,omitempty"`
	Commands  []string `json:"commands,omitempty"`
	Evidence  string   `json:"evidence,omitempty"`
	Source    string   `json:"source,omitempty"`
	RequestID string   `json:"requestId,omitempty"`
	// WaiverExpired marks a result whose waiver's until date has passed.
	WaiverExpired string `json:"waiverExpired,omitempty"`
	// Problem and RootCause say which problem (one per root cause) the
	// result is evidence of, so tools can group results as the text does.
	Problem   string `json:"problem,omitempty"`
	RootCause string `json:"rootCause,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

func (sarifRenderer) Render(w io.Writer, r *Report) error {
	rules, index := sarifRules(r.Results)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           r.Tool.Name,
			Version:        r.Tool.Version,
			InformationURI: InformationURI,
			Rules:          rules,
		}},
		AutomationDetails: sarifAutomation{ID: "contio-doctor/" + r.Run.ID},
		OriginalURIBaseIDs: map[string]sarifArtifactOrigin{
			sarifSrcRoot: {Description: sarifText{Text: "The directory contio-doctor ran in (the repository root in CI)."}},
		},
		Results: []sarifResult{},
	}
	inv := sarifInvocation{
		ExecutionSuccessful: true,
		ExitCode:            r.ExitCode,
		Properties: sarifRunProps{
			RunID:             r.Run.ID,
			Mode:              r.Run.Mode,
			FailOn:            failOnName(r.FailOn),
			ConfigFingerprint: r.Run.Fingerprint,
		},
	}
	if !r.Run.StartedAt.IsZero() {
		inv.StartTimeUTC = r.Run.StartedAt.UTC().Format("2006-01-02T15:04:05.000Z")
		inv.EndTimeUTC = r.Run.FinishedAt.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	for _, n := range r.Notes {
		note := sarifNotification{Level: "warning", Message: sarifText{Text: n}}
		if loc := sarifConfigLocation(r); loc != nil {
			note.Locations = []sarifLocation{*loc}
		}
		inv.ToolConfigurationNotices = append(inv.ToolConfigurationNotices, note)
	}
	for _, res := range r.Results {
		switch res.Status {
		case diagnosis.StatusError:
			// "Could not decide" is not a problem in the code: it is a
			// tool execution notification, and the run is unsuccessful.
			inv.ExecutionSuccessful = false
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
				Level:      "error",
				Message:    sarifText{Text: fmt.Sprintf("%s (%s) could not run: %s", res.Check.ID, res.Check.Name, res.Err)},
				Descriptor: &sarifDescriptorRef{ID: res.Check.ID, Index: index[res.Check.ID]},
			})
		case diagnosis.StatusFail, diagnosis.StatusWaived:
			for _, f := range res.Findings {
				run.Results = append(run.Results, sarifResultFor(r, res, f, index[res.Check.ID]))
			}
		}
	}
	run.Invocations = []sarifInvocation{inv}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}})
}

func sarifResultFor(r *Report, res diagnosis.Result, f diagnosis.Finding, ruleIndex int) sarifResult {
	c := res.Check
	msg := f.Message
	if f.Location.EnvVar != "" && f.Location.Line == 0 {
		msg += " (from $" + f.Location.EnvVar + ")"
	}
	if f.Location.HAREntry > 0 {
		msg += fmt.Sprintf(" (HAR entry %d)", f.Location.HAREntry)
	}
	out := sarifResult{
		RuleID:    c.ID,
		RuleIndex: ruleIndex,
		Level:     sarifLevel(f.Severity),
		Message:   sarifText{Text: msg},
		Locations: []sarifLocation{},
		PartialFingerprints: map[string]string{
			"contioDoctorFinding/v1": findingFingerprint(c.ID, f),
		},
		Suppressions: []sarifSuppression{},
		Properties: sarifResultProps{
			Status:    string(res.Status),
			Severity:  f.Severity.String(),
			Commands:  f.Commands,
			Evidence:  f.Evidence,
			Source:    f.Location.String(),
			RequestID: f.RequestID,
		},
	}
	if p := problemOf(r, res, f); p != nil {
		out.Properties.Problem, out.Properties.RootCause = p.ID, p.Root.String()
	}
	// Only texts a finding specialised are repeated; the defaults are in
	// the rule.
	if f.Symptom != c.Symptom {
		out.Properties.Symptom = f.Symptom
	}
	if f.Cause != c.Cause {
		out.Properties.Cause = f.Cause
	}
	if f.Fix != c.Fix {
		out.Properties.Fix = f.Fix
	}
	if loc := ciLocate(r, f.Location); loc.File != "" {
		pl := sarifPhysical{ArtifactLocation: sarifArtifactFor(loc.File)}
		if loc.Line > 0 {
			pl.Region = &sarifRegion{StartLine: loc.Line, StartColumn: max(1, loc.Column)}
			if e := f.Location; e.EndLine >= loc.Line && e.EndColumn > 0 {
				pl.Region.EndLine, pl.Region.EndColumn = e.EndLine, e.EndColumn
			}
		}
		out.Locations = append(out.Locations, sarifLocation{PhysicalLocation: pl})
	}
	if res.Status == diagnosis.StatusWaived && res.Waiver != nil {
		out.Suppressions = append(out.Suppressions, sarifSuppression{Kind: "external", Justification: waiverText(res.Waiver)})
	}
	if res.WaiverExpired && res.Waiver != nil {
		out.Properties.WaiverExpired = waiverText(res.Waiver)
	}
	return out
}

func sarifArtifactFor(path string) sarifArtifact {
	if filepath.IsAbs(path) {
		return sarifArtifact{URI: "file://" + filepath.ToSlash(path)}
	}
	return sarifArtifact{URI: path, URIBaseID: sarifSrcRoot}
}

func sarifConfigLocation(r *Report) *sarifLocation {
	if r.Run.ConfigPath == "" {
		return nil
	}
	return &sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifactFor(ciPath(r.Run.ConfigPath))}}
}

// sarifRules describes the whole registry, plus any check in the results
// that is not registered, and returns each rule's index by ID.
func sarifRules(results []diagnosis.Result) ([]sarifRule, map[string]int) {
	all := diagnosis.All()
	seen := map[string]bool{}
	for _, c := range all {
		seen[c.ID] = true
	}
	for _, r := range results {
		if !seen[r.Check.ID] {
			seen[r.Check.ID] = true
			all = append(all, r.Check)
		}
	}
	rules := make([]sarifRule, 0, len(all))
	index := make(map[string]int, len(all))
	for i, c := range all {
		index[c.ID] = i
		rules = append(rules, sarifRuleFor(c))
	}
	return rules, index
}

func sarifRuleFor(c *diagnosis.Check) sarifRule {
	guideURL := guideURL(c.Guide)
	helpText := "Fix: " + c.Fix + "\n\nMore: run `contio-doctor explain " + c.ID + "`."
	helpMD := "**Symptom.** " + c.Symptom + "\n\n**Cause.** " + c.Cause + "\n\n**Fix.** " + c.Fix +
		"\n\nRun `contio-doctor explain " + c.ID + "` for the whole text."
	if guideURL != "" {
		helpText += "\nGuide: " + guideURL
		helpMD += " Troubleshooting guide: [" + guideHeading(c.Guide) + "](" + guideURL + ")."
	}
	tags := []string{"contio", ciFamily(c.ID)}
	if c.Needs&diagnosis.NeedsNetwork != 0 {
		tags = append(tags, "live-probe")
	} else {
		tags = append(tags, "offline")
	}
	return sarifRule{
		ID:                   c.ID,
		Name:                 c.Name,
		ShortDescription:     sarifText{Text: capText(c.Title, 1024)},
		FullDescription:      sarifText{Text: capText(c.Symptom+" "+c.Cause, 1024)},
		Help:                 sarifHelp{Text: helpText, Markdown: helpMD},
		HelpURI:              guideURL,
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(c.Severity)},
		Properties:           sarifRuleProps{Tags: tags, Guide: string(c.Guide)},
	}
}

func sarifLevel(s diagnosis.Severity) string {
	switch s {
	case diagnosis.SeverityError:
		return "error"
	case diagnosis.SeverityWarning:
		return "warning"
	}
	return "note"
}

// findingFingerprint identifies a finding across runs: the check, the file
// (not the line, which moves when the file is edited) and the message.
func findingFingerprint(id string, f diagnosis.Finding) string {
	sum := sha256.Sum256([]byte(id + "\x00" + ciPath(f.Location.File) + "\x00" + f.Location.EnvVar + "\x00" + f.Message))
	return hex.EncodeToString(sum[:16])
}

func capText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// ciLocation is where a CI format points a finding: a file, relative to the
// working directory, with an optional line and column.
type ciLocation struct {
	File         string
	Line, Column int
}

// ciLocate resolves a finding's source to a file position. Values that came
// from the environment or a live probe have no line: they point at the
// config file, when there is one, so CI annotations still land somewhere.
func ciLocate(r *Report, s integration.Source) ciLocation {
	switch {
	case s.File != "" && s.HAREntry == 0:
		return ciLocation{File: ciPath(s.File), Line: s.Line, Column: s.Column}
	case s.File != "":
		return ciLocation{File: ciPath(s.File)}
	case r.Run.ConfigPath != "":
		return ciLocation{File: ciPath(r.Run.ConfigPath)}
	}
	return ciLocation{}
}

// ciPath makes path relative to the working directory when it lies inside
// it, with forward slashes, as CI systems want.
func ciPath(path string) string {
	if path == "" {
		return ""
	}
	if filepath.IsAbs(path) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				path = rel
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(path))
}

// ciFamily names a check's ID family (DESIGN.md).
func ciFamily(id string) string {
	if len(id) < 3 {
		return "other"
	}
	switch id[2] {
	case '1':
		return "credentials"
	case '2':
		return "redirect-uri"
	case '3':
		return "scopes-and-tokens"
	case '4':
		return "requests"
	case '5':
		return "rate-limits"
	case '6':
		return "network"
	case '7':
		return "webhooks"
	}
	return "other"
}

func guideURL(k contio.GuideKey) string {
	if g, ok := contio.LookupGuide(k); ok {
		return g.URL()
	}
	return ""
}

func guideHeading(k contio.GuideKey) string {
	if g, ok := contio.LookupGuide(k); ok {
		return g.Heading
	}
	return ""
}

// failOnName spells --fail-on's value.
func failOnName(s diagnosis.Severity) string {
	if s == diagnosis.SeverityNone {
		return "never"
	}
	return s.String()
}

// waiverText is a waiver's reason with its expiry.
func waiverText(w *integration.Waiver) string {
	out := w.Reason
	if !w.Until.IsZero() {
		out += " (until " + w.Until.Format("2006-01-02") + ")"
	}
	return out
}
