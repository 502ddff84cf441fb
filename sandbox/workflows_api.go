package sandbox

import (
	"net/http"
	"slices"
	"time"
)

// workflowRunDuration is how long a run stays active before it completes:
// advance the sandbox clock past it to see a run finish.
const workflowRunDuration = time.Minute

// automationTriggers are the trigger types an automation may use.
var automationTriggers = []string{"action_item_created", "action_item_updated", "action_item_completed", "meeting_ended", "meeting_summary_ready"}

func (s *Sandbox) workflowRoutes(user func(method, path, scope string, h handlerFunc) *route,
	admin func(method, path string, h handlerFunc) *route) []*route {
	out := []*route{
		user(http.MethodGet, "/workflow-runs", "workflows:read", s.listWorkflowRuns),
		user(http.MethodPost, "/workflow-runs", "workflows:write", s.createWorkflowRun),
		user(http.MethodGet, "/workflow-runs/{id}", "workflows:read", s.getWorkflowRun),
		admin(http.MethodGet, "/workflow-templates", s.listWorkflowTemplates),
		admin(http.MethodGet, "/workflow-templates/{id}", s.getWorkflowTemplate),
	}
	// The SDK says /automations, the spec /automation: both are served.
	for _, base := range []string{"/automations", "/automation"} {
		out = append(out,
			admin(http.MethodGet, base, s.listAutomations),
			admin(http.MethodPost, base, s.createAutomation),
			admin(http.MethodGet, base+"/{automationId}", s.getAutomation),
			admin(http.MethodPut, base+"/{automationId}", s.updateAutomation),
			admin(http.MethodDelete, base+"/{automationId}", s.deleteAutomation))
	}
	return out
}

// runView is a run as read now: active runs complete once their time is up.
func (s *Sandbox) runView(run doc) doc {
	out := cloneDoc(run)
	started, _ := time.Parse(time.RFC3339, str(run, "started_at"))
	if done := started.Add(workflowRunDuration); !s.Now().Before(done) {
		out["status"], out["completed_at"], out["updated_at"], out["current_step_ids"] = "completed", stamp(done), stamp(done), []string{}
	}
	return out
}

func (s *Sandbox) listWorkflowRuns(w http.ResponseWriter, r *http.Request) *apiError {
	q := r.URL.Query()
	return s.withUserRes(r, func(_ *User, _ *userData, ur *userResources) *apiError {
		var out []doc
		for _, run := range ur.runs {
			v := s.runView(run)
			if (q.Get("status") == "" || v["status"] == q.Get("status")) &&
				(q.Get("workflow_template_id") == "" || v["workflow_template_id"] == q.Get("workflow_template_id")) &&
				(q.Get("originating_type") == "" || v["originating_type"] == q.Get("originating_type")) {
				out = append(out, v)
			}
		}
		return writePage(w, r, out)
	})
}

func (s *Sandbox) getWorkflowRun(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withUserRes(r, func(_ *User, _ *userData, ur *userResources) *apiError {
		_, run, e := docOf(ur.runs, r, "id", "workflow run")
		if e == nil {
			writeJSON(w, http.StatusOK, s.runView(run))
		}
		return e
	})
}

func (s *Sandbox) createWorkflowRun(w http.ResponseWriter, r *http.Request) *apiError {
	var in map[string]any
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if e := requireFields(in, "workflow_template_id", "originating_type", "originating_id"); e != nil {
		return e
	}
	if e := oneOf("originating_type", str(in, "originating_type"), "meeting", "canvas"); e != nil {
		return e
	}
	var out doc
	e := s.withUserRes(r, func(u *User, d *userData, ur *userResources) *apiError {
		ti := findDoc(s.st.res.workflowTemplates, str(in, "workflow_template_id"))
		if ti < 0 {
			return notFound("workflow template")
		}
		if str(in, "originating_type") == "meeting" {
			if _, m := findByID(d.meetings, str(in, "originating_id"), func(m *meeting) string { return m.ID }); m == nil {
				return notFound("meeting")
			}
		}
		now := stamp(s.Now())
		run := doc{"id": s.ids.uuid(), "name": s.st.res.workflowTemplates[ti]["name"], "workflow_template_id": in["workflow_template_id"],
			"workspace_id": u.WorkspaceID, "originating_type": in["originating_type"], "originating_id": in["originating_id"],
			"owner_user_id": u.ID, "triggered_by": u.ID, "trigger_type": "manual", "status": "active",
			"current_step_ids": []string{"step-1"}, "context_json": doc{}, "started_at": now, "created_at": now, "updated_at": now}
		ur.runs = append(ur.runs, run)
		out = cloneDoc(run)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusCreated, out, webhookEvent{"workflow.run.started", map[string]any{
		"run_id": out["id"], "template_id": out["workflow_template_id"], "originating_id": out["originating_id"],
		"originating_type": out["originating_type"], "trigger_type": "manual", "triggered_by": out["triggered_by"],
		"started_at": out["started_at"], "workspace_id": out["workspace_id"]}})
}

func (s *Sandbox) listWorkflowTemplates(w http.ResponseWriter, r *http.Request) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []doc
	for _, t := range s.st.res.workflowTemplates {
		v := cloneDoc(t)
		delete(v, "spec")
		out = append(out, v)
	}
	return writePage(w, r, out)
}

func (s *Sandbox) getWorkflowTemplate(w http.ResponseWriter, r *http.Request) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, t, e := docOf(s.st.res.workflowTemplates, r, "id", "workflow template")
	if e == nil {
		writeJSON(w, http.StatusOK, t)
	}
	return e
}

// checkAutomation validates the fields an automation body sets; create
// says which are required.
func checkAutomation(in map[string]any, create bool) *apiError {
	if create {
		if e := requireFields(in, "name", "trigger_type"); e != nil {
			return e
		}
		if _, ok := in["actions"]; !ok {
			return newErr(http.StatusBadRequest, CodeValidation, "actions is required")
		}
	}
	if v, ok := in["trigger_type"]; ok {
		t, _ := v.(string)
		if e := oneOf("trigger_type", t, automationTriggers...); e != nil {
			return e
		}
	}
	if v, ok := in["status"]; ok {
		t, _ := v.(string)
		if e := oneOf("status", t, "active", "inactive"); e != nil {
			return e
		}
	}
	if v, ok := in["actions"]; ok {
		list, ok := v.([]any)
		if !ok || len(list) == 0 {
			return newErr(http.StatusBadRequest, CodeValidation, "actions must be a non-empty array")
		}
		for _, a := range list {
			m, _ := a.(map[string]any)
			if str(m, "type") == "" {
				return newErr(http.StatusBadRequest, CodeValidation, "every action needs a type")
			}
		}
	}
	return nil
}

func (s *Sandbox) listAutomations(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withApp(r, func(_ *App, a *appResources) *apiError { return writePage(w, r, a.automations) })
}

func (s *Sandbox) getAutomation(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withApp(r, func(_ *App, a *appResources) *apiError {
		_, x, e := docOf(a.automations, r, "automationId", "automation")
		if e == nil {
			writeJSON(w, http.StatusOK, x)
		}
		return e
	})
}

func (s *Sandbox) createAutomation(w http.ResponseWriter, r *http.Request) *apiError {
	var in map[string]any
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if e := checkAutomation(in, true); e != nil {
		return e
	}
	var out doc
	e := s.withApp(r, func(app *App, a *appResources) *apiError {
		now := stamp(s.Now())
		x := doc{"id": s.ids.uuid(), "partner_app_id": app.ID, "status": "active", "description": "", "created_at": now, "updated_at": now}
		merge(x, in, "name", "description", "trigger_type", "actions")
		a.automations = append(a.automations, x)
		out = cloneDoc(x)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusCreated, out)
}

func (s *Sandbox) updateAutomation(w http.ResponseWriter, r *http.Request) *apiError {
	var in map[string]any
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if e := checkAutomation(in, false); e != nil {
		return e
	}
	var out doc
	e := s.withApp(r, func(_ *App, a *appResources) *apiError {
		_, x, e := docOf(a.automations, r, "automationId", "automation")
		if e != nil {
			return e
		}
		merge(x, in, "name", "description", "trigger_type", "actions", "status")
		if active, ok := in["is_active"].(bool); ok {
			x["status"] = map[bool]string{true: "active", false: "inactive"}[active]
		}
		x["updated_at"] = stamp(s.Now())
		out = cloneDoc(x)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, out)
}

func (s *Sandbox) deleteAutomation(w http.ResponseWriter, r *http.Request) *apiError {
	e := s.withApp(r, func(_ *App, a *appResources) *apiError {
		i, _, e := docOf(a.automations, r, "automationId", "automation")
		if e == nil {
			a.automations = slices.Delete(a.automations, i, i+1)
		}
		return e
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil)
}
