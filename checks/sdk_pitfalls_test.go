package checks

import (
	"strings"
	"testing"
)

// The fix texts of the scope, invalid_grant and rate-limit checks say what
// code built on SDK 1.9.0 must do instead of the docs' samples, which fail
// silently with it; CD7601 explains the webhook lifecycle.
func TestFixTextsNameTheSDKPitfalls(t *testing.T) {
	groups := []struct {
		ids   []string
		parts []string
	}{
		{[]string{"CD3001", "CD3004", "CD3402", "CD3450", "CD3511", "CD3512", "CD3513"},
			[]string{"`scope` option", "`scopes:` key", "getAuthorizationUrl's second argument"}},
		{[]string{"CD2401", "CD2402", "CD2450", "CD3401", "CD3510", "CD3520", "CD5006"},
			[]string{"plain Error whose code is undefined", "HTTP status in the message"}},
		{[]string{"CD5001", "CD5002", "CD5004", "CD5401", "CD5402", "CD5403", "CD5450", "CD5501"},
			[]string{"ContioAPIError without the response headers", "error.retryAfter"}},
		{[]string{"CD7601"}, []string{"50 deliveries have been abandoned", "72 hours", "pending", "pending_disposition"}},
	}
	for _, g := range groups {
		for _, id := range g.ids {
			c, ok := Lookup(id)
			if !ok {
				t.Errorf("%s is not registered", id)
				continue
			}
			text := c.Cause + " " + c.Fix
			for _, p := range g.parts {
				if !strings.Contains(text, p) {
					t.Errorf("%s (%s): cause and fix lack %q", id, c.Name, p)
				}
			}
		}
	}
	// The scope finding itself, not only the check's text, carries the note.
	ig := famIG()
	ig.OAuth.Scopes = nil
	ig.OAuth.ScopesSet = true
	ig.Calls = append(ig.Calls, testCall("items", "GET", "/v1/partner/user/action-items", "bearer"))
	for _, s := range []string{"openid", "profile", "meetings:read"} {
		ig.OAuth.Scopes = append(ig.OAuth.Scopes, famVal(s, 10))
	}
	fs, err := famRun(t, "CD3004", ig)
	if err != nil || len(fs) == 0 || !strings.Contains(fs[0].Fix, "`scopes:` key") {
		t.Errorf("CD3004 finding fix lacks the SDK note: %v %+v", err, fs)
	}
}
