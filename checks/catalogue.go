// Package checks is contio-doctor's catalogue: one file per check (or
// tight family), each a documented value registered with the engine in
// package diagnosis. Nothing else lives here: the engine, the runner and
// the problems are the diagnosis package's; the names below only let each
// check file read as the data it is.
package checks

import "github.com/Contio-AI/contio-doctor/diagnosis"

// The engine's vocabulary, as the check files spell it.
type (
	Check    = diagnosis.Check
	Input    = diagnosis.Input
	Finding  = diagnosis.Finding
	Root     = diagnosis.Root
	Needs    = diagnosis.Needs
	Severity = diagnosis.Severity
)

// Severities, needs and the skip helper, from the engine.
const (
	SeverityInfo    = diagnosis.SeverityInfo
	SeverityWarning = diagnosis.SeverityWarning
	SeverityError   = diagnosis.SeverityError

	NeedsConfig       = diagnosis.NeedsConfig
	NeedsNetwork      = diagnosis.NeedsNetwork
	NeedsClientSecret = diagnosis.NeedsClientSecret
	NeedsAccessToken  = diagnosis.NeedsAccessToken
	NeedsRefreshToken = diagnosis.NeedsRefreshToken
	NeedsAPIKey       = diagnosis.NeedsAPIKey
	NeedsWebhook      = diagnosis.NeedsWebhook
	NeedsWebhookProbe = diagnosis.NeedsWebhookProbe
	NeedsCalls        = diagnosis.NeedsCalls
	NeedsCapture      = diagnosis.NeedsCapture
	NeedsSource       = diagnosis.NeedsSource
)

// register adds a check to the engine's registry.
func register(c *Check) *Check { return diagnosis.Register(c) }

// Skip and IsSkip are the engine's; All lists the registry.
var (
	Skip   = diagnosis.Skip
	IsSkip = diagnosis.IsSkip
	All    = diagnosis.All
)
