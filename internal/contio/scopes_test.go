package contio

import (
	"strings"
	"testing"
)

func TestSDKDefaultScopeStringMatchesList(t *testing.T) {
	if got := strings.Join(SDKDefaultScopes, " "); got != SDKDefaultScopeString {
		t.Errorf("SDKDefaultScopeString = %q, want %q (SDKDefaultScopes joined)", SDKDefaultScopeString, got)
	}
}
