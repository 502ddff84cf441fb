package diagnosis

// Redacted returns a copy of r with f applied to every string that came
// from the config, the environment or a response (findings, errors, skip
// reasons, waivers, notes, run facts). Renderers escape text (XML "&amp;",
// GitHub "%3A", Markdown "\*"), and an escaped secret no longer matches the
// redactor's patterns; redacting the values before rendering closes that
// gap. Check texts are ours and are left as they are.
func (r *Report) Redacted(f func(string) string) *Report {
	out := *r
	out.Run.ConfigPath = f(r.Run.ConfigPath)
	out.Run.APIVersion = f(r.Run.APIVersion)
	out.Run.APIURL = f(r.Run.APIURL)
	out.Run.AuthURL = f(r.Run.AuthURL)
	out.Run.ClientID = f(r.Run.ClientID)
	out.Notes = mapStrings(r.Notes, f)
	out.Flow = r.Flow.redacted(f)
	out.Results = make([]Result, len(r.Results))
	for i, res := range r.Results {
		res.SkipReason = f(res.SkipReason)
		res.Enable = f(res.Enable)
		res.Err = f(res.Err)
		if res.Waiver != nil {
			w := *res.Waiver
			w.Reason = f(w.Reason)
			res.Waiver = &w
		}
		if res.Findings != nil {
			fs := make([]Finding, len(res.Findings))
			for j, x := range res.Findings {
				fs[j] = redactFinding(x, f)
			}
			res.Findings = fs
		}
		if res.BlockedBy != nil {
			b := *res.BlockedBy
			b.Reason = f(b.Reason)
			b.Finding = redactFinding(b.Finding, f)
			res.BlockedBy = &b
		}
		out.Results[i] = res
	}
	out.Problems = make([]Problem, len(r.Problems))
	for i, p := range r.Problems {
		p.Message = f(p.Message)
		p.Symptom = f(p.Symptom)
		p.Cause = f(p.Cause)
		p.Fix = f(p.Fix)
		p.Commands = mapStrings(p.Commands, f)
		p.Root.Subject = f(p.Root.Subject)
		ev := make([]Evidence, len(p.Evidence))
		for j, e := range p.Evidence {
			e.Message = f(e.Message)
			e.Evidence = f(e.Evidence)
			e.RequestID = f(e.RequestID)
			e.Location.File = f(e.Location.File)
			e.Location.URL = f(e.Location.URL)
			ev[j] = e
		}
		p.Evidence = ev
		out.Problems[i] = p
	}
	out.Connections = make([]Connection, len(r.Connections))
	for i, c := range r.Connections {
		c.Host = f(c.Host)
		out.Connections[i] = c
	}
	return &out
}

func redactFinding(x Finding, f func(string) string) Finding {
	x.Message = f(x.Message)
	x.Root.Subject = f(x.Root.Subject)
	x.Symptom = f(x.Symptom)
	x.Cause = f(x.Cause)
	x.Fix = f(x.Fix)
	x.Commands = mapStrings(x.Commands, f)
	x.Evidence = f(x.Evidence)
	x.RequestID = f(x.RequestID)
	x.Location.File = f(x.Location.File)
	x.Location.URL = f(x.Location.URL)
	return x
}

func mapStrings(in []string, f func(string) string) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = f(s)
	}
	return out
}
