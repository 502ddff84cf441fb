package sandbox

import (
	"fmt"
	"net/http"
	"strings"
)

// Workspace is a shared Contio workspace that a partner app may provision
// users into by passing its id as workspace_id to /auth/initiate. Users
// added without one get a personal workspace that no partner owns.
type Workspace struct {
	ID   string
	Name string
	// ClientID is the partner app the workspace belongs to; "" means the
	// default app. Another app's workspace_id gets workspace_not_authorized.
	ClientID string
}

// Workspace error codes of /auth/initiate.
const (
	CodeWorkspaceNotFound      = "workspace_not_found"
	CodeWorkspaceNotAuthorized = "workspace_not_authorized"
	CodeWorkspaceConflict      = "workspace_conflict"
)

// AddWorkspace registers a shared workspace, filling an empty ID and Name,
// and returns it as stored. A workspace with an existing ID replaces it.
func (s *Sandbox) AddWorkspace(ws Workspace) Workspace {
	if ws.ID == "" {
		ws.ID = s.ids.uuid()
	}
	ws.ID = strings.ToLower(ws.ID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if ws.ClientID == "" {
		ws.ClientID = s.st.defaultClient
	}
	if ws.Name == "" {
		ws.Name = "Shared workspace " + ws.ID
	}
	stored := ws
	s.st.workspaces[ws.ID] = &stored
	return ws
}

// workspaceErr is a workspace error of /auth/initiate. The spec gives them
// the partner shape, with an error field, unlike other /auth/* errors.
func workspaceErr(status int, code, message string) *apiError {
	return newErr(status, code, message).field("error", message)
}

// joinWorkspaceLocked decides whether the user with email may be
// provisioned into workspace id for clientID: it answers the workspace of
// the user-to-be, or the error /auth/initiate documents.
func (s *Sandbox) joinWorkspaceLocked(clientID, email, id string) (*Workspace, *apiError) {
	ws, shared := s.st.workspaces[id]
	if !shared {
		for _, u := range s.st.users {
			if u.WorkspaceID == id {
				ws = &Workspace{ID: u.WorkspaceID, Name: u.WorkspaceName} // personal: no partner owns it
				break
			}
		}
	}
	if ws == nil {
		return nil, workspaceErr(http.StatusNotFound, CodeWorkspaceNotFound, "no workspace has the workspace_id "+id)
	}
	if ws.ClientID != clientID {
		return nil, workspaceErr(http.StatusForbidden, CodeWorkspaceNotAuthorized,
			"the workspace does not belong to this partner app; pass a workspace_id your app created, or none")
	}
	if uid, ok := s.st.userByEmail[email]; ok && s.st.users[uid].WorkspaceID != id {
		current := s.st.users[uid].WorkspaceID
		return nil, workspaceErr(http.StatusConflict, CodeWorkspaceConflict,
			fmt.Sprintf("the user already belongs to workspace %s; a user is in one workspace only", current)).
			field("workspace_id", current)
	}
	return ws, nil
}

// isUUID reports whether v is 8-4-4-4-12 hex digits.
func isUUID(v string) bool {
	if len(v) != 36 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
