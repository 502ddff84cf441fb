//go:build !cgo

package scan

import (
	"context"
	"fmt"
)

// JSAvailable reports whether this build parses JavaScript and TypeScript:
// the grammars are C, so a CGO_ENABLED=0 build leaves them out.
const JSAvailable = false

func parseJS(context.Context, kind, []byte) (*node, error) {
	return nil, fmt.Errorf("JavaScript/TypeScript scanning is %w (built with CGO_ENABLED=0; build with cgo to scan it)", ErrUnavailable)
}
