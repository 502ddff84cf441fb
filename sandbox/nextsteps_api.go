package sandbox

import (
	"net/http"
	"time"
)

// nextStepResultTTL is how long a generated next-step result can be read.
const nextStepResultTTL = 24 * time.Hour

// seedCatalogueLocked fills what every workspace sees: next steps with
// their action buttons, meeting templates and workflow templates. Its IDs
// come from a source of their own, so the seeded sequence of every other
// ID (and every recorded capture) stays what it was.
func (s *Sandbox) seedCatalogueLocked() {
	res, now := s.st.res, stamp(s.Now())
	seed := s.opts.Seed
	if seed != 0 {
		seed ^= 0x9e3779b97f4a7c15
	}
	ids := newIDSource(seed)
	for i, b := range [][2]string{{"Copy to clipboard", "copy"}, {"Send by email", "mail"}} {
		res.buttons = append(res.buttons, doc{"id": ids.uuid(), "name": b[0], "icon_name": b[1], "is_default": i == 0})
	}
	for i, n := range [][2]string{{"Summarise the meeting", "A short summary of decisions and owners."},
		{"Draft a follow-up email", "An email to the participants with the outcomes."}} {
		res.nextSteps = append(res.nextSteps, doc{"id": ids.uuid(), "name": n[0], "description": n[1], "type": "ai",
			"color": "#4f46e5", "icon_name": "sparkles", "sort_order": i + 1, "action_buttons": res.buttons})
	}
	for _, t := range [][3]string{{"Weekly sync", "Updates, blockers and decisions.", "SYSTEM"},
		{"Customer call", "Discovery questions and next steps.", "WORKSPACE"}} {
		res.meetingTemplates = append(res.meetingTemplates, doc{"id": ids.uuid(), "name": t[0], "description": t[1],
			"ownership_type": t[2], "is_active": true, "created_at": now, "updated_at": now,
			"agenda": []string{"Updates", "Decisions"}})
	}
	for _, t := range [][2]string{{"Follow-up after a meeting", "Drafts and sends the follow-up."},
		{"Action item review", "Asks owners for a status on open items."}} {
		res.workflowTemplates = append(res.workflowTemplates, doc{"id": ids.uuid(), "name": t[0], "description": t[1],
			"is_active": true, "created_at": now, "updated_at": now,
			"spec": doc{"steps": []any{doc{"id": "step-1", "type": "task"}, doc{"id": "step-2", "type": "notify"}}}})
	}
}

func (s *Sandbox) nextStepRoutes(user func(method, path, scope string, h handlerFunc) *route) []*route {
	const m = "/meetings/{id}"
	return []*route{
		user(http.MethodGet, m+"/next-steps", "meetings:read", s.listNextSteps),
		user(http.MethodPost, m+"/next-steps/{next_step_id}/execute", "meetings:write", s.executeNextStep),
		user(http.MethodGet, "/next-step-results/{result_id}", "meetings:read", s.getNextStepResult),
		user(http.MethodGet, m+"/action-buttons", "meetings:read", s.listActionButtons),
		user(http.MethodPost, m+"/action-buttons/{button_id}/trigger", "meetings:write", s.triggerActionButton),
		user(http.MethodGet, "/meeting-templates", "meetings:read", s.listMeetingTemplates),
		user(http.MethodGet, "/meeting-templates/{id}", "meetings:read", s.getMeetingTemplate),
		user(http.MethodGet, "/meeting-templates/{id}/next-steps", "meetings:read", s.meetingTemplateNextSteps),
		user(http.MethodPost, "/meeting-templates/{id}/apply", "meetings:write", s.applyMeetingTemplate),
	}
}

// nextStepLocked is the catalogue's next step with id; an unknown id (a
// link can only be made to a known one) gives an empty doc, not a panic.
func (s *Sandbox) nextStepLocked(id string) doc {
	if i := findDoc(s.st.res.nextSteps, id); i >= 0 {
		return s.st.res.nextSteps[i]
	}
	return doc{}
}

func (s *Sandbox) listNextSteps(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inMeetingRes(r, func(*User, *meeting, *userResources) *apiError { return writePage(w, r, s.st.res.nextSteps) })
}

func (s *Sandbox) listActionButtons(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inMeetingRes(r, func(*User, *meeting, *userResources) *apiError { return writePage(w, r, s.st.res.buttons) })
}

func (s *Sandbox) executeNextStep(w http.ResponseWriter, r *http.Request) *apiError {
	var in struct {
		ActionButtonID string `json:"action_button_id"`
	}
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	var out, event doc
	e := s.inMeetingRes(r, func(_ *User, m *meeting, ur *userResources) *apiError {
		_, step, e := docOf(s.st.res.nextSteps, r, "next_step_id", "next step")
		if e != nil {
			return e
		}
		if in.ActionButtonID != "" && findDoc(s.st.res.buttons, in.ActionButtonID) < 0 {
			return notFound("action button")
		}
		now := s.Now()
		text := "## " + str(step, "name") + "\n\nGenerated for \"" + m.Title + "\" by the sandbox."
		res := doc{"id": s.ids.uuid(), "execution_log_id": s.ids.uuid(), "generated_text": text, "content_format": "markdown",
			"created_at": stamp(now), "expires_at": stamp(now.Add(nextStepResultTTL)), "meeting_id": m.ID}
		ur.results = append(ur.results, res)
		out = doc{"result_id": res["id"], "execution_log_id": res["execution_log_id"], "status": "completed",
			"generated_text": text, "content_format": "markdown"}
		event = doc{"next_step_id": step["id"], "next_step_name": step["name"], "meeting_id": m.ID, "result_id": res["id"],
			"context_id": m.ID, "context_type": "meeting", "executed_at": stamp(now), "executed_by": stateOf(r).tok.userID,
			"execution_mode": "manual"}
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, out, webhookEvent{"next_step.completed", event})
}

func (s *Sandbox) getNextStepResult(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withUserRes(r, func(_ *User, _ *userData, ur *userResources) *apiError {
		_, res, e := docOf(ur.results, r, "result_id", "next step result")
		if e != nil {
			return e
		}
		if exp, _ := time.Parse(time.RFC3339, str(res, "expires_at")); !s.Now().Before(exp) {
			return newErr(http.StatusNotFound, CodeNotFound, "the next step result expired")
		}
		out := cloneDoc(res)
		delete(out, "meeting_id")
		writeJSON(w, http.StatusOK, out)
		return nil
	})
}

func (s *Sandbox) triggerActionButton(w http.ResponseWriter, r *http.Request) *apiError {
	var in struct {
		NextStepID string `json:"next_step_id"`
		ResultID   string `json:"result_id"`
		Content    string `json:"content"`
	}
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	var out, event doc
	e := s.inMeetingRes(r, func(u *User, m *meeting, ur *userResources) *apiError {
		_, b, e := docOf(s.st.res.buttons, r, "button_id", "action button")
		if e != nil {
			return e
		}
		if in.ResultID != "" && findDoc(ur.results, in.ResultID) < 0 {
			return notFound("next step result")
		}
		if in.NextStepID != "" && findDoc(s.st.res.nextSteps, in.NextStepID) < 0 {
			return notFound("next step")
		}
		inv := s.ids.uuid()
		out = doc{"invocation_id": inv, "message": str(b, "name") + " was triggered"}
		event = doc{"action_button_id": b["id"], "action_button_name": b["name"], "trigger_mode": "manual",
			"triggered_at": stamp(s.Now()), "triggered_by": u.ID, "meeting_id": m.ID, "invocation_id": inv}
		if in.ResultID != "" {
			event["result_id"] = in.ResultID
		}
		if in.NextStepID != "" {
			event["next_step_id"] = in.NextStepID
		}
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, out, webhookEvent{"action_button.triggered", event})
}

// meetingTemplatesLocked are the templates a user of clientID sees: the
// catalogue's and the partner app's own (ownership PARTNER).
func (s *Sandbox) meetingTemplatesLocked(clientID string) []doc {
	out := append([]doc{}, s.st.res.meetingTemplates...)
	for _, t := range s.appResLocked(clientID).templates {
		out = append(out, doc{"id": t["id"], "name": t["name"], "description": t["description"], "ownership_type": "PARTNER",
			"is_active": true, "created_at": t["created_at"], "updated_at": t["updated_at"], "agenda": []string{}})
	}
	return out
}

func templateSummary(t doc) doc {
	return doc{"id": t["id"], "name": t["name"], "description": t["description"], "ownership_type": t["ownership_type"],
		"is_active": t["is_active"], "created_at": t["created_at"], "updated_at": t["updated_at"]}
}

// inMeetingTemplate runs f on the template the path's {id} names.
func (s *Sandbox) inMeetingTemplate(r *http.Request, f func(d *userData, ur *userResources, t doc) *apiError) *apiError {
	return s.withUserRes(r, func(_ *User, d *userData, ur *userResources) *apiError {
		_, t, e := docOf(s.meetingTemplatesLocked(stateOf(r).tok.clientID), r, "id", "meeting template")
		if e != nil {
			return e
		}
		return f(d, ur, t)
	})
}

func (s *Sandbox) listMeetingTemplates(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withUserRes(r, func(*User, *userData, *userResources) *apiError {
		var out []doc
		for _, t := range s.meetingTemplatesLocked(stateOf(r).tok.clientID) {
			out = append(out, templateSummary(t))
		}
		return writePage(w, r, out)
	})
}

func (s *Sandbox) getMeetingTemplate(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inMeetingTemplate(r, func(_ *userData, _ *userResources, t doc) *apiError {
		out := templateSummary(t)
		out["agenda_item_count"], out["participant_count"], out["document_count"] = len(t["agenda"].([]string)), 0, 0
		out["can_edit"] = t["ownership_type"] == "USER"
		writeJSON(w, http.StatusOK, out)
		return nil
	})
}

func (s *Sandbox) meetingTemplateNextSteps(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inMeetingTemplate(r, func(_ *userData, _ *userResources, t doc) *apiError {
		out := []doc{}
		for _, link := range s.appResLocked(stateOf(r).tok.clientID).templateSteps[str(t, "id")] {
			step := s.nextStepLocked(str(link, "id"))
			out = append(out, doc{"id": step["id"], "name": step["name"], "description": step["description"], "color": step["color"],
				"icon_name": step["icon_name"], "autopilot": link["autopilot"], "sort_order": link["sort_order"]})
		}
		return writePage(w, r, out)
	})
}

// applyMeetingTemplate adds the template's agenda items to the meeting, so
// the agenda read back afterwards shows them.
func (s *Sandbox) applyMeetingTemplate(w http.ResponseWriter, r *http.Request) *apiError {
	var in struct {
		MeetingID string `json:"meeting_id"`
	}
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if in.MeetingID == "" {
		return newErr(http.StatusBadRequest, CodeValidation, "meeting_id is required")
	}
	var out, event doc
	e := s.inMeetingTemplate(r, func(d *userData, _ *userResources, t doc) *apiError {
		_, m := findByID(d.meetings, in.MeetingID, func(m *meeting) string { return m.ID })
		if m == nil {
			return notFound("meeting")
		}
		now := s.Now()
		items := t["agenda"].([]string)
		for _, title := range items {
			m.agenda = append(m.agenda, &agendaItem{ID: s.ids.uuid(), MeetingID: m.ID, Title: title, ItemType: "DISCUSSION",
				Status: "pending", Sequence: len(m.agenda) + 1, Minutes: 10, CreatedAt: now, UpdatedAt: now})
		}
		applied := doc{"agenda_items": len(items), "participants": 0, "documents": 0}
		out = doc{"success": true, "application_id": s.ids.uuid(), "applied_items": applied}
		event = doc{"meeting_id": m.ID, "template_id": t["id"], "template_name": t["name"], "applied_at": stamp(now),
			"applied_by_user_id": stateOf(r).tok.userID, "applied_items": applied}
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, out, webhookEvent{"meeting_template.applied", event})
}
