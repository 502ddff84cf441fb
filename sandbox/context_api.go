package sandbox

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// contextDoc is a partner-scoped meeting context document and its bytes.
type contextDoc struct {
	meta    doc
	content []byte
	name    string // the uploaded file name
}

// maxContextBytes bounds one uploaded context document.
const maxContextBytes = 8 << 20

// contextFormat is the content type the download answers for a source
// format the upload accepts ("", false for any other).
func contextFormat(format string) (string, bool) {
	switch format {
	case "json":
		return "application/json", true
	case "csv":
		return "text/csv", true
	case "tsv":
		return "text/tab-separated-values", true
	case "xml":
		return "application/xml", true
	case "html":
		return "text/html", true
	case "yaml":
		return "application/yaml", true
	case "md":
		return "text/markdown", true
	case "txt":
		return "text/plain", true
	}
	return "", false
}

func (s *Sandbox) contextRoutes(user func(method, path, scope string, h handlerFunc) *route) []*route {
	const m = "/meetings/{id}"
	return []*route{
		user(http.MethodGet, m+"/context", "context:read", s.listContexts),
		user(http.MethodPost, m+"/context", "context:write", s.uploadContext),
		user(http.MethodGet, m+"/context/{context_id}", "context:read", s.getContext),
		user(http.MethodDelete, m+"/context/{context_id}", "context:write", s.deleteContext),
		user(http.MethodGet, m+"/context/{context_id}/content", "context:read", s.contextContent),
		user(http.MethodGet, m+"/transcript/export", "meetings:read", s.exportTranscript),
	}
}

// inMeetingRes runs f on the path's meeting and the caller's resources.
func (s *Sandbox) inMeetingRes(r *http.Request, f func(u *User, m *meeting, ur *userResources) *apiError) *apiError {
	return s.withUserRes(r, func(u *User, d *userData, ur *userResources) *apiError {
		m, e := s.meetingOf(d, r)
		if e != nil {
			return e
		}
		return f(u, m, ur)
	})
}

func (s *Sandbox) listContexts(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inMeetingRes(r, func(_ *User, m *meeting, ur *userResources) *apiError {
		var out []doc
		for _, c := range ur.contexts[m.ID] {
			out = append(out, c.meta)
		}
		return writePage(w, r, out)
	})
}

func contextOf(ur *userResources, m *meeting, r *http.Request) (int, *contextDoc, *apiError) {
	i := slices.IndexFunc(ur.contexts[m.ID], func(c *contextDoc) bool { return c.meta["id"] == param(r, "context_id") })
	if i < 0 {
		return -1, nil, notFound("context document")
	}
	return i, ur.contexts[m.ID][i], nil
}

func (s *Sandbox) getContext(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inMeetingRes(r, func(_ *User, m *meeting, ur *userResources) *apiError {
		_, c, e := contextOf(ur, m, r)
		if e == nil {
			writeJSON(w, http.StatusOK, c.meta)
		}
		return e
	})
}

func (s *Sandbox) uploadContext(w http.ResponseWriter, r *http.Request) *apiError {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		return newErr(http.StatusBadRequest, CodeInvalidRequest, "the upload must be multipart/form-data with a file field")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxContextBytes+1<<20)
	if err := r.ParseMultipartForm(maxContextBytes); err != nil {
		return newErr(http.StatusBadRequest, CodeInvalidRequest, "the multipart body could not be read (at most 8 MiB)")
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return newErr(http.StatusBadRequest, CodeValidation, "file is required")
	}
	content, err := io.ReadAll(io.LimitReader(f, maxContextBytes+1))
	_ = f.Close()
	if err != nil || len(content) > maxContextBytes {
		return newErr(http.StatusBadRequest, CodeValidation, "the file could not be read or is larger than 8 MiB")
	}
	format := r.FormValue("source_format")
	if _, ok := contextFormat(format); !ok {
		return newErr(http.StatusBadRequest, CodeValidation, "source_format must be one of json, csv, tsv, xml, html, yaml, md or txt")
	}
	var out doc
	e := s.inMeetingRes(r, func(u *User, m *meeting, ur *userResources) *apiError {
		now := stamp(s.Now())
		title := r.FormValue("title")
		if title == "" {
			title = hdr.Filename
		}
		meta := doc{"id": s.ids.uuid(), "meeting_id": m.ID, "workspace_id": m.WorkspaceID, "created_by_user_id": u.ID,
			"partner_app_id": s.st.apps[stateOf(r).tok.clientID].ID, "platform_name": "partner", "title": title,
			"source_format": format, "file_status": "processed", "created_at": now, "updated_at": now}
		if v := r.FormValue("context_type"); v != "" {
			meta["context_type"] = v
		}
		ur.contexts[m.ID] = append(ur.contexts[m.ID], &contextDoc{meta: meta, content: content, name: hdr.Filename})
		out = cloneDoc(meta)
		return nil
	})
	if e != nil {
		return e
	}
	ids := map[string]any{"context_id": out["id"], "meeting_id": out["meeting_id"], "workspace_id": out["workspace_id"]}
	created, processed := cloneDoc(ids), cloneDoc(ids)
	created["created_at"], created["title"] = out["created_at"], out["title"]
	processed["processed_at"] = out["updated_at"]
	processed["sanitization_report"] = map[string]any{"formula_escaped": false, "pii_detected": false, "secrets_detected": false}
	// The sandbox processes an upload at once: file_status is already "processed".
	return s.commit(w, r, http.StatusCreated, out, webhookEvent{"meeting.context.created", created},
		webhookEvent{"meeting.context.processed", processed})
}

func (s *Sandbox) deleteContext(w http.ResponseWriter, r *http.Request) *apiError {
	var gone doc
	e := s.inMeetingRes(r, func(_ *User, m *meeting, ur *userResources) *apiError {
		i, c, e := contextOf(ur, m, r)
		if e == nil {
			ur.contexts[m.ID], gone = slices.Delete(ur.contexts[m.ID], i, i+1), c.meta
		}
		return e
	})
	if e != nil {
		return e
	}
	return s.commit(w, r, http.StatusNoContent, nil, webhookEvent{"meeting.context.deleted", map[string]any{
		"context_id": gone["id"], "meeting_id": gone["meeting_id"], "workspace_id": gone["workspace_id"], "deleted_at": stamp(s.Now())}})
}

// contentDisposition names a download the way RFC 6266 allows: an ASCII
// fallback and the exact UTF-8 name.
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name))
}

func (s *Sandbox) contextContent(w http.ResponseWriter, r *http.Request) *apiError {
	return s.inMeetingRes(r, func(_ *User, m *meeting, ur *userResources) *apiError {
		_, c, e := contextOf(ur, m, r)
		if e != nil {
			return e
		}
		ct, _ := contextFormat(str(c.meta, "source_format"))
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Disposition", contentDisposition(c.name))
		w.Header().Set("Content-Length", strconv.Itoa(len(c.content)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(c.content)
		return nil
	})
}

// exportTranscript answers the meeting's transcript as SRT, the one format
// the API documents.
func (s *Sandbox) exportTranscript(w http.ResponseWriter, r *http.Request) *apiError {
	if f := r.URL.Query().Get("format"); f != "" && f != "srt" {
		return newErr(http.StatusBadRequest, CodeValidation, "format must be srt")
	}
	return s.inMeetingRes(r, func(u *User, m *meeting, _ *userResources) *apiError {
		var b strings.Builder
		at := time.Duration(0)
		speakers := []string{u.Name}
		for _, p := range m.participants {
			if p.UserID == nil || *p.UserID != u.ID {
				speakers = append(speakers, p.Name)
			}
		}
		for i, name := range speakers {
			line := fmt.Sprintf("%s: Notes for %q.", name, m.Title)
			fmt.Fprintf(&b, "%d\n%s --> %s\n%s\n\n", i+1, srtTime(at), srtTime(at+4*time.Second), line)
			at += 5 * time.Second
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Disposition", contentDisposition(m.ID+".srt"))
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, b.String())
		return nil
	})
}

func srtTime(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d,%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}
