package sandbox

import (
	"net/http"
	"slices"
	"strconv"
)

// chatSession is one AI chat session with its turns.
type chatSession struct {
	meta  doc
	turns []doc
}

// maxChatMessage bounds one chat message (characters).
const maxChatMessage = 10000

func (s *Sandbox) chatRoutes(user func(method, path, scope string, h handlerFunc) *route) []*route {
	return []*route{
		user(http.MethodGet, "/sessions", "chat:read", s.listSessions),
		user(http.MethodPost, "/sessions", "chat:write", s.createSession),
		user(http.MethodGet, "/sessions/{id}", "chat:read", s.getSession),
		user(http.MethodPut, "/sessions/{id}", "chat:write", s.sendMessage),
		user(http.MethodGet, "/sessions/{id}/turns/{turn_id}", "chat:read", s.getTurn),
	}
}

// addTurns appends the user's message and the agent's answer, both
// complete: the sandbox answers at once, so a poll finds the final state.
func (s *Sandbox) addTurnsLocked(cs *chatSession, message string) doc {
	now := stamp(s.Now())
	turn := func(role, content string) doc {
		t := doc{"id": s.ids.uuid(), "session_id": cs.meta["id"], "role": role, "content": content, "status": "completed",
			"sequence_number": len(cs.turns) + 1, "created_at": now, "completed_at": now}
		cs.turns = append(cs.turns, t)
		return t
	}
	user := turn("user", message)
	agent := turn("agent", "Sandbox answer to: "+message)
	agent["agent_metadata"] = doc{"token_usage": doc{"prompt_tokens": len(message), "completion_tokens": 8, "total_tokens": len(message) + 8},
		"tool_calls": []any{}, "referenced_documents": []any{}}
	cs.meta["turn_count"], cs.meta["updated_at"] = len(cs.turns), now
	return user
}

type chatInput struct {
	Message   string            `json:"message"`
	MeetingID string            `json:"meeting_id"`
	Metadata  map[string]string `json:"metadata"`
}

func (in *chatInput) check() *apiError {
	switch {
	case in.Message == "":
		return newErr(http.StatusBadRequest, CodeValidation, "message is required")
	case len([]rune(in.Message)) > maxChatMessage:
		return newErr(http.StatusUnprocessableEntity, CodeValidation, "message is longer than 10000 characters")
	}
	return nil
}

func (s *Sandbox) createSession(w http.ResponseWriter, r *http.Request) *apiError {
	var in chatInput
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if e := in.check(); e != nil {
		return e
	}
	var out doc
	e := s.withUserRes(r, func(_ *User, d *userData, ur *userResources) *apiError {
		now := stamp(s.Now())
		meta := doc{"id": s.ids.uuid(), "status": "active", "title": truncate(in.Message, 60), "turn_count": 0,
			"metadata": in.Metadata, "created_at": now, "updated_at": now}
		if in.Metadata == nil {
			meta["metadata"] = map[string]string{}
		}
		if in.MeetingID != "" {
			if _, m := findByID(d.meetings, in.MeetingID, func(m *meeting) string { return m.ID }); m == nil {
				return notFound("meeting")
			}
			meta["meeting_id"] = in.MeetingID
		}
		cs := &chatSession{meta: meta}
		first := s.addTurnsLocked(cs, in.Message)
		ur.sessions = append(ur.sessions, cs)
		out = doc{"id": meta["id"], "status": meta["status"], "metadata": meta["metadata"], "created_at": now, "initial_turn": first}
		if in.MeetingID != "" {
			out["meeting_id"] = in.MeetingID
		}
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusCreated, out)
}

func truncate(v string, n int) string {
	if r := []rune(v); len(r) > n {
		return string(r[:n])
	}
	return v
}

func sessionOf(ur *userResources, r *http.Request) (*chatSession, *apiError) {
	i := slices.IndexFunc(ur.sessions, func(c *chatSession) bool { return c.meta["id"] == param(r, "id") })
	if i < 0 {
		return nil, notFound("chat session")
	}
	return ur.sessions[i], nil
}

func (s *Sandbox) listSessions(w http.ResponseWriter, r *http.Request) *apiError {
	q := r.URL.Query()
	return s.withUserRes(r, func(_ *User, _ *userData, ur *userResources) *apiError {
		var out []doc
		for _, cs := range ur.sessions {
			if (q.Get("meeting_id") == "" || cs.meta["meeting_id"] == q.Get("meeting_id")) && (q.Get("status") == "" || cs.meta["status"] == q.Get("status")) {
				out = append(out, cs.meta)
			}
		}
		return writePage(w, r, out)
	})
}

func (s *Sandbox) getSession(w http.ResponseWriter, r *http.Request) *apiError {
	limit, offset := 50, 0
	q := r.URL.Query()
	if v := q.Get("turn_limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return newErr(http.StatusBadRequest, "invalid_query_parameters", "turn_limit must be an integer from 1 to 200")
		}
		limit = n
	}
	if v := q.Get("turn_offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return newErr(http.StatusBadRequest, "invalid_query_parameters", "turn_offset must be a non-negative integer")
		}
		offset = n
	}
	return s.withUserRes(r, func(_ *User, _ *userData, ur *userResources) *apiError {
		cs, e := sessionOf(ur, r)
		if e != nil {
			return e
		}
		turns := []doc{}
		if offset < len(cs.turns) {
			turns = cs.turns[offset:min(len(cs.turns), offset+limit)]
		}
		writeJSON(w, http.StatusOK, doc{"session": cs.meta, "turns": turns,
			"turn_pagination": doc{"limit": limit, "offset": offset, "total": len(cs.turns), "has_more": offset+len(turns) < len(cs.turns)}})
		return nil
	})
}

func (s *Sandbox) sendMessage(w http.ResponseWriter, r *http.Request) *apiError {
	var in chatInput
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if e := in.check(); e != nil {
		return e
	}
	var turn doc
	e := s.withUserRes(r, func(_ *User, _ *userData, ur *userResources) *apiError {
		cs, e := sessionOf(ur, r)
		if e != nil {
			return e
		}
		if cs.meta["status"] != "active" {
			return newErr(http.StatusConflict, "session_not_active", "the chat session is "+str(cs.meta, "status")+"; start a new one")
		}
		turn = s.addTurnsLocked(cs, in.Message)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, doc{"turn": turn})
}

func (s *Sandbox) getTurn(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withUserRes(r, func(_ *User, _ *userData, ur *userResources) *apiError {
		cs, e := sessionOf(ur, r)
		if e != nil {
			return e
		}
		if i := findDoc(cs.turns, param(r, "turn_id")); i >= 0 {
			writeJSON(w, http.StatusOK, doc{"turn": cs.turns[i]})
			return nil
		}
		return notFound("chat turn")
	})
}
