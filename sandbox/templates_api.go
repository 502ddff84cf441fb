package sandbox

import (
	"net/http"
	"slices"
)

// Admin meeting templates: a partner app's own templates, which its users
// also see among their meeting templates (ownership PARTNER).

func (s *Sandbox) templateRoutes(admin func(method, path string, h handlerFunc) *route) []*route {
	const t = "/templates/{templateId}"
	return []*route{
		admin(http.MethodGet, "/templates", s.listTemplates),
		admin(http.MethodPost, "/templates", s.createTemplate),
		admin(http.MethodGet, t, s.getTemplate),
		admin(http.MethodPut, t, s.updateTemplate),
		admin(http.MethodDelete, t, s.deleteTemplate),
		admin(http.MethodGet, t+"/next-steps", s.listTemplateNextSteps),
		admin(http.MethodPost, t+"/next-steps", s.addTemplateNextStep),
		admin(http.MethodPut, t+"/next-steps/{nextStepId}", s.updateTemplateNextStep),
		admin(http.MethodDelete, t+"/next-steps/{nextStepId}", s.removeTemplateNextStep),
	}
}

func (s *Sandbox) listTemplates(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withApp(r, func(_ *App, a *appResources) *apiError { return writePage(w, r, a.templates) })
}

// inTemplate runs f on the template the path's {templateId} names.
func (s *Sandbox) inTemplate(r *http.Request, f func(a *appResources, i int, t doc) *apiError) *apiError {
	return s.withApp(r, func(_ *App, a *appResources) *apiError {
		i, t, e := docOf(a.templates, r, "templateId", "template")
		if e != nil {
			return e
		}
		return f(a, i, t)
	})
}

func (s *Sandbox) getTemplate(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inTemplate(r, func(_ *appResources, _ int, t doc) *apiError {
		writeJSON(w, http.StatusOK, t)
		return nil
	})
}

func (s *Sandbox) createTemplate(w http.ResponseWriter, r *http.Request) *apiError {
	var in map[string]any
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if e := requireFields(in, "name"); e != nil {
		return e
	}
	var out doc
	e := s.withApp(r, func(_ *App, a *appResources) *apiError {
		now := stamp(s.Now())
		t := doc{"id": s.ids.uuid(), "description": "", "created_at": now, "updated_at": now}
		merge(t, in, "name", "description", "backing_meeting_id")
		a.templates = append(a.templates, t)
		out = cloneDoc(t)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusCreated, out)
}

func (s *Sandbox) updateTemplate(w http.ResponseWriter, r *http.Request) *apiError {
	var in map[string]any
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	var out doc
	e := s.inTemplate(r, func(_ *appResources, _ int, t doc) *apiError {
		merge(t, in, "name", "description")
		t["updated_at"] = stamp(s.Now())
		out = cloneDoc(t)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, out)
}

func (s *Sandbox) deleteTemplate(w http.ResponseWriter, r *http.Request) *apiError {
	e := s.inTemplate(r, func(a *appResources, i int, t doc) *apiError {
		a.templates = slices.Delete(a.templates, i, i+1)
		delete(a.templateSteps, str(t, "id"))
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil)
}

func (s *Sandbox) listTemplateNextSteps(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inTemplate(r, func(a *appResources, _ int, t doc) *apiError {
		out := []doc{}
		for _, link := range a.templateSteps[str(t, "id")] {
			step := s.nextStepLocked(str(link, "id"))
			out = append(out, doc{"id": link["id"], "name": step["name"], "autopilot": link["autopilot"], "sort_order": link["sort_order"]})
		}
		return writePage(w, r, out)
	})
}

type templateStepInput struct {
	NextStepID string `json:"next_step_id"`
	Autopilot  *bool  `json:"autopilot"`
	SortOrder  *int   `json:"sort_order"`
}

func (s *Sandbox) addTemplateNextStep(w http.ResponseWriter, r *http.Request) *apiError {
	var in templateStepInput
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if in.NextStepID == "" {
		return newErr(http.StatusBadRequest, CodeValidation, "next_step_id is required")
	}
	e := s.inTemplate(r, func(a *appResources, _ int, t doc) *apiError {
		if findDoc(s.st.res.nextSteps, in.NextStepID) < 0 {
			return notFound("next step")
		}
		id := str(t, "id")
		if findDoc(a.templateSteps[id], in.NextStepID) >= 0 {
			return newErr(http.StatusConflict, "conflict", "the next step is already on the template")
		}
		link := doc{"id": in.NextStepID, "autopilot": false, "sort_order": len(a.templateSteps[id]) + 1}
		if in.Autopilot != nil {
			link["autopilot"] = *in.Autopilot
		}
		if in.SortOrder != nil {
			link["sort_order"] = *in.SortOrder
		}
		a.templateSteps[id] = append(a.templateSteps[id], link)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil)
}

// inTemplateStep runs f on the template's link to the path's {nextStepId}.
func (s *Sandbox) inTemplateStep(r *http.Request, f func(a *appResources, id string, i int, link doc)) *apiError {
	return s.inTemplate(r, func(a *appResources, _ int, t doc) *apiError {
		id := str(t, "id")
		i, link, e := docOf(a.templateSteps[id], r, "nextStepId", "template next step")
		if e == nil {
			f(a, id, i, link)
		}
		return e
	})
}

func (s *Sandbox) updateTemplateNextStep(w http.ResponseWriter, r *http.Request) *apiError {
	var in templateStepInput
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	e := s.inTemplateStep(r, func(_ *appResources, _ string, _ int, link doc) {
		if in.Autopilot != nil {
			link["autopilot"] = *in.Autopilot
		}
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil)
}

func (s *Sandbox) removeTemplateNextStep(w http.ResponseWriter, r *http.Request) *apiError {
	e := s.inTemplateStep(r, func(a *appResources, id string, i int, _ doc) {
		a.templateSteps[id] = slices.Delete(a.templateSteps[id], i, i+1)
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil)
}
