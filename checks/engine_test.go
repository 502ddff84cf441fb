package checks

import "github.com/Contio-AI/contio-doctor/diagnosis"

// Names the internal tests read from the engine.
var (
	Lookup       = diagnosis.Lookup
	SeverityNone = diagnosis.SeverityNone
	Complete     = diagnosis.Complete
)
