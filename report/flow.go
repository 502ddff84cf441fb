package report

import (
	"fmt"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"
)

// Flow is the engine's flow of a capture, as the renderers draw it.
type (
	Flow     = diagnosis.Flow
	FlowStep = diagnosis.FlowStep
)

// Participants as the diagrams name them, in drawing order.
var flowParticipants = []struct{ id, name string }{{"B", diagnosis.FlowBrowser}, {"A", diagnosis.FlowApp}, {"C", diagnosis.FlowContio}}

func flowID(name string) string {
	for _, p := range flowParticipants {
		if p.name == name {
			return p.id
		}
	}
	return "C"
}

// flowCount is " ×12" for a grouped step.
func flowCount(s FlowStep) string {
	if s.Count > 1 {
		return fmt.Sprintf(" ×%d", s.Count)
	}
	return ""
}

// flowDuration is a relative time as the timeline shows it: +1.503s
// within the first minute, +1h0m35s after.
func flowDuration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("+%.3fs", d.Seconds())
	}
	return "+" + d.Round(time.Second).String()
}
