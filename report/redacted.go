package report

import "github.com/Contio-AI/contio-doctor/checks"

// Redacted returns a copy of r with f applied to every string that came
// from the config, the environment or a response (findings, errors, skip
// reasons, waivers, notes, run facts). Renderers escape text (XML "&amp;",
// GitHub "%3A", Markdown "\*"), and an escaped secret no longer matches the
// redactor's patterns; redacting the values before rendering closes that
// gap. Check texts are ours and are left as they are.
func (r *Report) Redacted(f func(string) string) *Report {
	out := *r
	out.Run.ConfigPath = f(r.Run.ConfigPath)
	out.Run.APIURL = f(r.Run.APIURL)
	out.Run.AuthURL = f(r.Run.AuthURL)
	out.Run.ClientID = f(r.Run.ClientID)
	out.Notes = mapStrings(r.Notes, f)
	out.Flow = r.Flow.redacted(f)
	out.Results = make([]checks.Result, len(r.Results))
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
			fs := make([]checks.Finding, len(res.Findings))
			for j, x := range res.Findings {
				x.Message = f(x.Message)
				x.Symptom = f(x.Symptom)
				x.Cause = f(x.Cause)
				x.Fix = f(x.Fix)
				x.Commands = mapStrings(x.Commands, f)
				x.Evidence = f(x.Evidence)
				x.RequestID = f(x.RequestID)
				x.Location.File = f(x.Location.File)
				x.Location.URL = f(x.Location.URL)
				fs[j] = x
			}
			res.Findings = fs
		}
		out.Results[i] = res
	}
	return &out
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
