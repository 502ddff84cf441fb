package checks

import "github.com/Contio-AI/contio-doctor/internal/integration"

// sourceOf returns the scanned code, or a skip when no source was read
// (the runner skips NeedsSource checks first; this keeps Run safe alone).
func sourceOf(in *Input) (*integration.Code, error) {
	if c := in.Integration.Code; c != nil {
		return c, nil
	}
	return nil, Skip("reads the partner's source code", "run `contio-doctor scan PATH` or add --scan PATH")
}
