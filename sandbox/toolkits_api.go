package sandbox

import (
	"net/http"
	"slices"
	"strconv"
)

// Toolkits: a partner app packages next steps, action buttons, shortcuts
// and templates as a versioned manifest; users install it into their
// workspace. Publishing a version makes it the toolkit's current one.

// Toolkit version statuses, as SDK 1.9.0 types them (the spec says only
// "string").
const (
	versionDraft      = "DRAFT"
	versionPublished  = "PUBLISHED"
	versionDeprecated = "DEPRECATED"
)

// manifestLists are the entity lists of a toolkit manifest.
var manifestLists = []string{"action_buttons", "next_steps", "shortcuts", "templates"}

func (s *Sandbox) toolkitRoutes(user func(method, path, scope string, h handlerFunc) *route,
	admin func(method, path string, h handlerFunc) *route) []*route {
	const t, v = "/toolkits/{toolkitId}", "/toolkits/{toolkitId}/versions/{versionId}"
	return []*route{
		admin(http.MethodGet, "/toolkits", s.listToolkits),
		admin(http.MethodPost, "/toolkits", s.createToolkit),
		admin(http.MethodPost, "/toolkits/export", s.exportEntities),
		admin(http.MethodGet, t, s.getToolkit),
		admin(http.MethodPut, t, s.updateToolkit),   // the SDK's method
		admin(http.MethodPatch, t, s.updateToolkit), // the spec's method
		admin(http.MethodDelete, t, s.deleteToolkit),
		admin(http.MethodGet, t+"/export", s.exportToolkit),
		admin(http.MethodGet, t+"/installations", s.listInstallations),
		admin(http.MethodGet, t+"/versions", s.listVersions),
		admin(http.MethodPost, t+"/versions", s.createVersion),
		admin(http.MethodGet, v, s.getVersion),
		admin(http.MethodPatch, v, s.updateVersion),
		admin(http.MethodDelete, v, s.discardVersion),
		admin(http.MethodPost, v+"/publish", s.publishVersion),
		admin(http.MethodPost, v+"/republish", s.republishVersion),
		admin(http.MethodGet, "/workspaces", s.listPartnerWorkspaces),

		user(http.MethodGet, "/toolkits", "toolkits:read", s.listUserToolkits),
		user(http.MethodGet, "/toolkits/{toolkitId}", "toolkits:read", s.getUserToolkit),
		user(http.MethodPost, "/toolkits/{toolkitId}/install", "toolkits:write", s.installToolkit),
		user(http.MethodDelete, "/toolkits/{toolkitId}/uninstall", "toolkits:write", s.uninstallToolkit),
		user(http.MethodGet, "/workspaces/{workspace_id}/toolkits", "toolkits:read", s.listWorkspaceToolkits),
		user(http.MethodDelete, "/workspaces/{workspace_id}/toolkits/{toolkit_id}", "toolkits:write", s.uninstallToolkit),
	}
}

// checkManifest validates a manifest as the API does: each entity needs a
// spec with a name, next steps a type, action buttons a format and a
// delivery mechanism.
func checkManifest(m any) (doc, doc, bool) {
	mf, ok := m.(map[string]any)
	errs := []doc{}
	add := func(path, code, msg string) { errs = append(errs, doc{"path": path, "code": code, "message": msg}) }
	if !ok {
		add("manifest", "required", "manifest must be an object")
	}
	summary := doc{}
	for _, list := range manifestLists {
		items, _ := mf[list].([]any)
		summary[list] = len(items)
		for i, it := range items {
			entry, _ := it.(map[string]any)
			spec, _ := entry["spec"].(map[string]any)
			path := "manifest." + list + "[" + strconv.Itoa(i) + "].spec"
			if str(spec, "name") == "" {
				add(path+".name", "required", "name is required")
			}
			switch list {
			case "next_steps":
				if t := str(spec, "type"); t != "ai" && t != "redirect" {
					add(path+".type", "invalid", "type must be ai or redirect")
				}
			case "action_buttons":
				if str(spec, "content_format") == "" || str(spec, "delivery_mechanism") == "" {
					add(path, "required", "content_format and delivery_mechanism are required")
				}
			case "shortcuts":
				if str(spec, "prompt") == "" {
					add(path+".prompt", "required", "prompt is required")
				}
			}
		}
	}
	return summary, doc{"valid": len(errs) == 0, "errors": errs, "warnings": []doc{}}, len(errs) == 0
}

// inToolkit runs f on the app's toolkit the path's {toolkitId} names.
func (s *Sandbox) inToolkit(r *http.Request, f func(app *App, a *appResources, i int, t doc) *apiError) *apiError {
	return s.withApp(r, func(app *App, a *appResources) *apiError {
		i, t, e := docOf(a.toolkits, r, "toolkitId", "toolkit")
		if e != nil {
			return e
		}
		return f(app, a, i, t)
	})
}

func (s *Sandbox) listToolkits(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withApp(r, func(_ *App, a *appResources) *apiError { return writePage(w, r, a.toolkits) })
}

func (s *Sandbox) getToolkit(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inToolkit(r, func(_ *App, _ *appResources, _ int, t doc) *apiError {
		writeJSON(w, http.StatusOK, t)
		return nil
	})
}

func (s *Sandbox) createToolkit(w http.ResponseWriter, r *http.Request) *apiError {
	var in map[string]any
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if e := requireFields(in, "name", "slug", "version"); e != nil {
		return e
	}
	summary, validation, valid := checkManifest(in["manifest"])
	dryRun, _ := in["dry_run"].(bool)
	if !valid && !dryRun {
		return newErr(http.StatusBadRequest, CodeValidation, "the manifest is not valid").field("validation", validation)
	}
	var out doc
	e := s.withApp(r, func(app *App, a *appResources) *apiError {
		if slices.ContainsFunc(a.toolkits, func(t doc) bool { return t["slug"] == in["slug"] }) {
			return newErr(http.StatusConflict, "conflict", "a toolkit with this slug exists")
		}
		now := stamp(s.Now())
		t := doc{"id": s.ids.uuid(), "partner_app_id": app.ID, "ownership_type": "PARTNER", "is_active": true, "description": "",
			"auto_propagate": false, "auto_install_on_new_workspaces": false, "created_at": now, "updated_at": now}
		merge(t, in, "name", "slug", "version", "description", "manifest")
		out = doc{"toolkit": t, "summary": summary, "validation": validation, "conflicts": []doc{}}
		if dryRun {
			return nil
		}
		a.toolkits = append(a.toolkits, t)
		a.versions[str(t, "id")] = []doc{{"id": s.ids.uuid(), "toolkit_id": t["id"], "version_number": 1, "version_label": t["version"],
			"status": versionPublished, "manifest": t["manifest"], "changelog": "", "created_by": app.ClientID,
			"created_at": now, "updated_at": now, "published_at": now}}
		out["toolkit"] = cloneDoc(t)
		return nil
	})
	if e != nil {
		return e
	}
	if dryRun {
		writeJSON(w, http.StatusOK, out)
		return nil
	}
	return s.commit(w, r, http.StatusCreated, out)
}

func (s *Sandbox) updateToolkit(w http.ResponseWriter, r *http.Request) *apiError {
	var in map[string]any
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if m, ok := in["manifest"]; ok {
		if _, validation, valid := checkManifest(m); !valid {
			return newErr(http.StatusBadRequest, CodeValidation, "the manifest is not valid").field("validation", validation)
		}
	}
	var out doc
	e := s.inToolkit(r, func(_ *App, _ *appResources, _ int, t doc) *apiError {
		merge(t, in, "name", "description", "version", "manifest", "is_active", "auto_propagate", "auto_install_on_new_workspaces")
		t["updated_at"] = stamp(s.Now())
		out = cloneDoc(t)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, out)
}

func (s *Sandbox) deleteToolkit(w http.ResponseWriter, r *http.Request) *apiError {
	e := s.inToolkit(r, func(_ *App, a *appResources, i int, t doc) *apiError {
		a.toolkits = slices.Delete(a.toolkits, i, i+1)
		delete(a.versions, str(t, "id"))
		for _, ws := range s.st.res.installs {
			delete(ws, str(t, "id"))
		}
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil)
}

func manifestSummary(m any) doc {
	summary, _, _ := checkManifest(m)
	return summary
}

func (s *Sandbox) exportToolkit(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inToolkit(r, func(_ *App, _ *appResources, _ int, t doc) *apiError {
		writeJSON(w, http.StatusOK, doc{"manifest": t["manifest"], "summary": manifestSummary(t["manifest"]), "warnings": []doc{},
			"metadata": doc{"name": t["name"], "slug": t["slug"], "version": t["version"], "description": t["description"]}})
		return nil
	})
}

// exportEntities builds a manifest from catalogue next steps, action
// buttons and the app's templates; unknown ids become warnings.
func (s *Sandbox) exportEntities(w http.ResponseWriter, r *http.Request) *apiError {
	var in struct {
		Name        string   `json:"name"`
		Description string   `json:"description"`
		TemplateIDs []string `json:"template_ids"`
		NextStepIDs []string `json:"next_step_ids"`
		ButtonIDs   []string `json:"action_button_ids"`
		ShortcutIDs []string `json:"shortcut_ids"`
	}
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	return s.withApp(r, func(_ *App, a *appResources) *apiError {
		manifest := doc{"action_buttons": []doc{}, "next_steps": []doc{}, "shortcuts": []doc{}, "templates": []doc{}}
		warnings := []doc{}
		missing := func(kind, id string) {
			warnings = append(warnings, doc{"code": "not_found", "entity_type": kind, "message": kind + " " + id + " was not found; it is left out"})
		}
		add := func(list string, entry doc) { manifest[list] = append(manifest[list].([]doc), entry) }
		for _, id := range in.ButtonIDs {
			if i := findDoc(s.st.res.buttons, id); i >= 0 {
				b := s.st.res.buttons[i]
				add("action_buttons", doc{"id": id, "spec": doc{"name": b["name"], "icon_name": b["icon_name"], "content_format": "markdown", "delivery_mechanism": "clipboard"}})
			} else {
				missing("action_button", id)
			}
		}
		for _, id := range in.NextStepIDs {
			if i := findDoc(s.st.res.nextSteps, id); i >= 0 {
				n := s.st.res.nextSteps[i]
				add("next_steps", doc{"id": id, "spec": doc{"name": n["name"], "description": n["description"], "type": n["type"],
					"color": n["color"], "icon_name": n["icon_name"], "sort_order": n["sort_order"]}})
			} else {
				missing("next_step", id)
			}
		}
		for _, id := range in.TemplateIDs {
			if i := findDoc(a.templates, id); i >= 0 {
				add("templates", doc{"id": id, "spec": doc{"name": a.templates[i]["name"], "description": a.templates[i]["description"]}})
			} else {
				missing("template", id)
			}
		}
		for _, id := range in.ShortcutIDs {
			missing("shortcut", id)
		}
		writeJSON(w, http.StatusOK, doc{"manifest": manifest, "summary": manifestSummary(manifest), "warnings": warnings,
			"metadata": doc{"name": in.Name, "description": in.Description}})
		return nil
	})
}

// connectedWorkspacesLocked are the workspaces of the users connected to
// clientID, in connection order, with their user counts.
func (s *Sandbox) connectedWorkspacesLocked(clientID string) ([]string, map[string]doc) {
	var order []string
	info := map[string]doc{}
	for _, c := range s.connectionsOf(clientID) {
		u := s.st.users[c.userID]
		if u == nil || c.revoked {
			continue
		}
		if w, ok := info[u.WorkspaceID]; ok {
			w["user_count"] = w["user_count"].(int) + 1
			continue
		}
		order = append(order, u.WorkspaceID)
		info[u.WorkspaceID] = doc{"workspace_id": u.WorkspaceID, "workspace_name": u.WorkspaceName, "provisioned_at": stamp(c.created), "user_count": 1}
	}
	return order, info
}

func (s *Sandbox) listPartnerWorkspaces(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withApp(r, func(app *App, _ *appResources) *apiError {
		order, info := s.connectedWorkspacesLocked(app.ClientID)
		var out []doc
		for _, id := range order {
			out = append(out, info[id])
		}
		return writePage(w, r, out)
	})
}

func (s *Sandbox) listInstallations(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inToolkit(r, func(app *App, _ *appResources, _ int, t doc) *apiError {
		order, info := s.connectedWorkspacesLocked(app.ClientID)
		items := []doc{}
		summary := doc{"active": 0, "opted_out": 0, "never_installed": 0}
		for _, ws := range order {
			inst := s.st.res.installs[ws][str(t, "id")]
			if inst == nil {
				summary["never_installed"] = summary["never_installed"].(int) + 1
				continue
			}
			st := str(inst, "status")
			summary[st] = summary[st].(int) + 1
			item := doc{"workspace_id": ws, "workspace_name": info[ws]["workspace_name"], "status": st,
				"installed_at": inst["installed_at"], "version_label": inst["version_label"]}
			if v, ok := inst["uninstalled_at"]; ok {
				item["uninstalled_at"] = v
			}
			items = append(items, item)
		}
		body, e := page(r, items)
		if e != nil {
			return e
		}
		delete(body, "total")
		body["summary"], body["total_connected_workspaces"] = summary, len(order)
		writeJSON(w, http.StatusOK, body)
		return nil
	})
}

// inVersion runs f on the toolkit version the path's {versionId} names.
func (s *Sandbox) inVersion(r *http.Request, f func(a *appResources, t doc, i int, v doc) *apiError) *apiError {
	return s.inToolkit(r, func(_ *App, a *appResources, _ int, t doc) *apiError {
		i, v, e := docOf(a.versions[str(t, "id")], r, "versionId", "toolkit version")
		if e != nil {
			return e
		}
		return f(a, t, i, v)
	})
}

func (s *Sandbox) listVersions(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inToolkit(r, func(_ *App, a *appResources, _ int, t doc) *apiError {
		writeJSON(w, http.StatusOK, append([]doc{}, a.versions[str(t, "id")]...)) // a bare array, as the SDK expects
		return nil
	})
}

func (s *Sandbox) getVersion(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inVersion(r, func(_ *appResources, _ doc, _ int, v doc) *apiError {
		writeJSON(w, http.StatusOK, v)
		return nil
	})
}

func (s *Sandbox) createVersion(w http.ResponseWriter, r *http.Request) *apiError {
	var in map[string]any
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if e := requireFields(in, "version_label"); e != nil {
		return e
	}
	summary, validation, valid := checkManifest(in["manifest"])
	dryRun, _ := in["dry_run"].(bool)
	if !valid && !dryRun {
		return newErr(http.StatusBadRequest, CodeValidation, "the manifest is not valid").field("validation", validation)
	}
	var out doc
	e := s.inToolkit(r, func(app *App, a *appResources, _ int, t doc) *apiError {
		id := str(t, "id")
		if slices.ContainsFunc(a.versions[id], func(v doc) bool { return v["version_label"] == in["version_label"] }) {
			return newErr(http.StatusConflict, "conflict", "the toolkit already has a version with this label")
		}
		now := stamp(s.Now())
		v := doc{"id": s.ids.uuid(), "toolkit_id": id, "version_number": len(a.versions[id]) + 1, "status": versionDraft, "changelog": "",
			"created_by": app.ClientID, "created_at": now, "updated_at": now}
		merge(v, in, "version_label", "manifest", "changelog")
		if !dryRun {
			a.versions[id] = append(a.versions[id], v)
		}
		out = doc{"version": cloneDoc(v), "summary": summary, "validation": validation, "conflicts": []doc{}}
		return nil
	})
	if e != nil {
		return e
	}
	if dryRun {
		writeJSON(w, http.StatusOK, out)
		return nil
	}
	return s.commit(w, r, http.StatusCreated, out)
}

func draftOnly(v doc, what string) *apiError {
	if v["status"] != versionDraft {
		return newErr(http.StatusConflict, "version_not_draft", "only a draft version can be "+what+"; this one is "+str(v, "status"))
	}
	return nil
}

func (s *Sandbox) updateVersion(w http.ResponseWriter, r *http.Request) *apiError {
	var in map[string]any
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if m, ok := in["manifest"]; ok {
		if _, validation, valid := checkManifest(m); !valid {
			return newErr(http.StatusBadRequest, CodeValidation, "the manifest is not valid").field("validation", validation)
		}
	}
	var out doc
	e := s.inVersion(r, func(_ *appResources, _ doc, _ int, v doc) *apiError {
		if e := draftOnly(v, "changed"); e != nil {
			return e
		}
		merge(v, in, "version_label", "manifest", "changelog")
		v["updated_at"] = stamp(s.Now())
		out = cloneDoc(v)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusOK, out)
}

func (s *Sandbox) discardVersion(w http.ResponseWriter, r *http.Request) *apiError {
	e := s.inVersion(r, func(a *appResources, t doc, i int, v doc) *apiError {
		if e := draftOnly(v, "discarded"); e != nil {
			return e
		}
		a.versions[str(t, "id")] = slices.Delete(a.versions[str(t, "id")], i, i+1)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil)
}

// makeCurrentLocked publishes v: the toolkit takes its label and manifest,
// the version published before it is deprecated, and installations follow
// unless propagation is "none".
func (s *Sandbox) makeCurrentLocked(a *appResources, t, v doc, propagation string) {
	now := stamp(s.Now())
	for _, o := range a.versions[str(t, "id")] {
		if o["status"] == versionPublished && o["id"] != v["id"] {
			o["status"], o["deprecated_at"], o["updated_at"] = versionDeprecated, now, now
		}
	}
	v["status"], v["published_at"], v["updated_at"] = versionPublished, now, now
	delete(v, "deprecated_at")
	t["version"], t["manifest"], t["updated_at"] = v["version_label"], v["manifest"], now
	if propagation == "none" {
		return
	}
	for _, ws := range s.st.res.installs {
		if inst := ws[str(t, "id")]; inst != nil && inst["status"] == "active" {
			inst["version_label"] = v["version_label"]
		}
	}
}

func (s *Sandbox) publishVersion(w http.ResponseWriter, r *http.Request) *apiError {
	var in struct {
		Propagation string `json:"propagation"`
	}
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	if in.Propagation != "" {
		if e := oneOf("propagation", in.Propagation, "none", "normal", "force"); e != nil {
			return e
		}
	}
	e := s.inVersion(r, func(a *appResources, t doc, _ int, v doc) *apiError {
		if e := draftOnly(v, "published"); e != nil {
			return e
		}
		s.makeCurrentLocked(a, t, v, in.Propagation)
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil)
}

func (s *Sandbox) republishVersion(w http.ResponseWriter, r *http.Request) *apiError {
	e := s.inVersion(r, func(a *appResources, t doc, _ int, v doc) *apiError {
		if v["status"] == versionDraft {
			return newErr(http.StatusConflict, "version_not_published", "a draft must be published before it can be republished")
		}
		s.makeCurrentLocked(a, t, v, "normal")
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil)
}

// userToolkitView is a toolkit as a user sees it: counts, not the manifest.
func userToolkitView(t doc) doc {
	summary := manifestSummary(t["manifest"])
	return doc{"id": t["id"], "name": t["name"], "slug": t["slug"], "description": t["description"], "version": t["version"],
		"is_active": t["is_active"], "ownership_type": "PARTNER", "created_at": t["created_at"], "updated_at": t["updated_at"],
		"next_steps_count": summary["next_steps"], "action_buttons_count": summary["action_buttons"], "templates_count": summary["templates"]}
}

func installationView(inst doc) doc {
	return doc{"id": inst["id"], "toolkit_id": inst["toolkit_id"], "workspace_id": inst["workspace_id"],
		"installed_at": inst["installed_at"], "installed_by": inst["installed_by"], "entities": inst["entities"]}
}

// userToolkitsLocked are the active toolkits of the token's app.
func (s *Sandbox) userToolkitsLocked(r *http.Request) []doc {
	var out []doc
	for _, t := range s.appResLocked(stateOf(r).tok.clientID).toolkits {
		if t["is_active"] == true {
			out = append(out, t)
		}
	}
	return out
}

func (s *Sandbox) listUserToolkits(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withUserRes(r, func(*User, *userData, *userResources) *apiError {
		var out []doc
		for _, t := range s.userToolkitsLocked(r) {
			out = append(out, userToolkitView(t))
		}
		return writePage(w, r, out)
	})
}

func (s *Sandbox) getUserToolkit(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withUserRes(r, func(u *User, _ *userData, _ *userResources) *apiError {
		_, t, e := docOf(s.userToolkitsLocked(r), r, "toolkitId", "toolkit")
		if e != nil {
			return e
		}
		out := doc{"toolkit": userToolkitView(t)}
		if inst := s.st.res.installs[u.WorkspaceID][str(t, "id")]; inst != nil && inst["status"] == "active" {
			out["installation"] = installationView(inst)
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	})
}

// installToolkit installs the toolkit into the caller's workspace; the
// entities map each manifest id to the id it got there.
func (s *Sandbox) installToolkit(w http.ResponseWriter, r *http.Request) *apiError {
	var in struct {
		DryRun bool `json:"dry_run"`
	}
	if e := decodeJSON(r, &in); e != nil {
		return e
	}
	var out doc
	e := s.withUserRes(r, func(u *User, _ *userData, _ *userResources) *apiError {
		_, t, e := docOf(s.userToolkitsLocked(r), r, "toolkitId", "toolkit")
		if e != nil {
			return e
		}
		if inst := s.st.res.installs[u.WorkspaceID][str(t, "id")]; inst != nil && inst["status"] == "active" {
			return newErr(http.StatusConflict, "toolkit_already_installed", "the toolkit is already installed in this workspace")
		}
		entities := doc{}
		mf, _ := t["manifest"].(map[string]any)
		for _, list := range manifestLists {
			ids := map[string]string{}
			items, _ := mf[list].([]any)
			for _, it := range items {
				entry, _ := it.(map[string]any)
				ids[str(entry, "id")] = s.ids.uuid()
			}
			entities[list] = ids
		}
		inst := doc{"id": s.ids.uuid(), "toolkit_id": t["id"], "workspace_id": u.WorkspaceID, "installed_at": stamp(s.Now()),
			"installed_by": u.ID, "entities": entities, "status": "active", "version_label": t["version"]}
		if !in.DryRun {
			if s.st.res.installs[u.WorkspaceID] == nil {
				s.st.res.installs[u.WorkspaceID] = map[string]doc{}
			}
			s.st.res.installs[u.WorkspaceID][str(t, "id")] = inst
		}
		out = installationView(inst)
		return nil
	})
	if e != nil {
		return e
	}
	if in.DryRun {
		writeJSON(w, http.StatusOK, out)
		return nil
	}
	return s.commit(w, r, http.StatusOK, out)
}

// uninstallToolkit serves both spellings: the SDK's
// /toolkits/{toolkitId}/uninstall and the spec's
// /workspaces/{workspace_id}/toolkits/{toolkit_id}.
func (s *Sandbox) uninstallToolkit(w http.ResponseWriter, r *http.Request) *apiError {
	toolkitID := param(r, "toolkitId")
	if toolkitID == "" {
		toolkitID = param(r, "toolkit_id")
	}
	e := s.withUserRes(r, func(u *User, _ *userData, _ *userResources) *apiError {
		if ws := param(r, "workspace_id"); ws != "" && ws != u.WorkspaceID {
			return newErr(http.StatusForbidden, "forbidden", "the workspace is not the caller's")
		}
		inst := s.st.res.installs[u.WorkspaceID][toolkitID]
		if inst == nil || inst["status"] != "active" {
			return notFound("toolkit installation")
		}
		inst["status"], inst["uninstalled_at"] = "opted_out", stamp(s.Now())
		return nil
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil)
}

func (s *Sandbox) listWorkspaceToolkits(w http.ResponseWriter, r *http.Request) *apiError {
	return s.withUserRes(r, func(u *User, _ *userData, _ *userResources) *apiError {
		if param(r, "workspace_id") != u.WorkspaceID {
			return newErr(http.StatusForbidden, "forbidden", "the workspace is not the caller's")
		}
		var out []doc
		for _, t := range s.userToolkitsLocked(r) {
			if inst := s.st.res.installs[u.WorkspaceID][str(t, "id")]; inst != nil && inst["status"] == "active" {
				out = append(out, doc{"toolkit": userToolkitView(t), "installation": installationView(inst)})
			}
		}
		return writePage(w, r, out)
	})
}
