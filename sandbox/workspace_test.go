package sandbox_test

import (
	"testing"

	"github.com/Contio-AI/contio-doctor/sandbox"
)

// initiate calls /auth/initiate the way the SDK's initiatePartnerAuth does.
func initiate(t *testing.T, sb *sandbox.Sandbox, app sandbox.App, email, workspaceID string) reply {
	t.Helper()
	return call(t, "POST", sb.URL()+"/auth/initiate", jsonH(basic(app.ClientID, app.ClientSecret)),
		jsonBody(t, map[string]any{"client_id": app.ClientID, "email": email, "workspace_id": workspaceID}))
}

func TestInitiateWorkspaceErrors(t *testing.T) {
	const newcomer = "grace@example.com"
	cases := []struct {
		name      string
		email     string
		workspace func(sb *sandbox.Sandbox) string
		status    int
		code      string
		// partner: the spec gives the error the partner shape, with an error field.
		partner bool
	}{
		{"workspace_id is not a UUID", newcomer, func(*sandbox.Sandbox) string { return "team-42" }, 400, "bad_request", false},
		{"workspace_id names no workspace", newcomer, func(*sandbox.Sandbox) string { return "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f" }, 404, "workspace_not_found", true},
		{"another partner's workspace", newcomer, func(sb *sandbox.Sandbox) string {
			other := sb.AddApp(sandbox.App{Name: "Other partner"})
			return sb.AddWorkspace(sandbox.Workspace{ClientID: other.ClientID}).ID
		}, 403, "workspace_not_authorized", true},
		{"a user's personal workspace", newcomer, func(sb *sandbox.Sandbox) string { return sb.DefaultUser().WorkspaceID }, 403, "workspace_not_authorized", true},
		{"user already in another workspace", "ada@example.com", func(sb *sandbox.Sandbox) string {
			return sb.AddWorkspace(sandbox.Workspace{Name: "Acme team"}).ID
		}, 409, "workspace_conflict", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sb, app := newSB(t)
			r := initiate(t, sb, app, tc.email, tc.workspace(sb))
			wantError(t, r, tc.status, tc.code)
			if got := r.str("error") != ""; got != tc.partner {
				t.Errorf("error field present = %v, want %v: %s", got, tc.partner, r.Raw)
			}
			if otp := sb.LastOTP(tc.email); otp != "" {
				t.Errorf("a refused initiate still sent an OTP to %s", tc.email)
			}
		})
	}
}

func TestInitiateWorkspaceConflictNamesCurrentWorkspace(t *testing.T) {
	sb, app := newSB(t)
	ws := sb.AddWorkspace(sandbox.Workspace{Name: "Acme team"})
	r := initiate(t, sb, app, "ada@example.com", ws.ID)
	wantError(t, r, 409, "workspace_conflict")
	if got, want := r.str("workspace_id"), sb.DefaultUser().WorkspaceID; got != want {
		t.Fatalf("409 workspace_id = %q, want the user's current workspace %q: %s", got, want, r.Raw)
	}
}

func TestInitiateProvisionsIntoSharedWorkspace(t *testing.T) {
	sb, app := newSB(t)
	ws := sb.AddWorkspace(sandbox.Workspace{Name: "Acme team"})
	const email = "grace@example.com"
	r := initiate(t, sb, app, email, ws.ID)
	if r.Status != 200 || r.JSON["user_provisioned"] != true || r.str("session") == "" {
		t.Fatalf("initiate into a shared workspace: %d %s", r.Status, r.Raw)
	}
	// Signing in again with the same workspace is no conflict.
	if again := initiate(t, sb, app, email, ws.ID); again.Status != 200 || again.JSON["user_provisioned"] != false {
		t.Fatalf("second initiate: %d %s", again.Status, again.Raw)
	}
	tok, err := sb.IssueTokens(sandbox.TokenSpec{UserEmail: email, Scopes: []string{"profile"}})
	if err != nil {
		t.Fatal(err)
	}
	p := call(t, "GET", sb.URL()+"/v1/partner/user/profile", bearerH(tok.AccessToken), "")
	if p.str("workspace_id") != ws.ID || p.str("workspace_name") != "Acme team" {
		t.Fatalf("profile of the provisioned user: %s", p.Raw)
	}
}
