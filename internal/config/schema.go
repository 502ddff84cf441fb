package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// The keys valid at each level of the schema (DESIGN.md "The config file").
var (
	topKeys      = []string{"version", "api_url", "auth_url", "oauth", "tokens", "admin", "calls", "http", "webhooks", "ignore"}
	oauthKeys    = []string{"client_id", "client_secret", "redirect_uri", "token_redirect_uri", "registered_redirect_uris", "scopes", "authorization_url", "basic_auth_header"}
	tokensKeys   = []string{"access_token", "refresh_token"}
	adminKeys    = []string{"api_key", "client_id"}
	callKeys     = []string{"name", "method", "path", "auth", "headers", "per_minute"}
	httpKeys     = []string{"timeout", "max_retries", "backoff", "honors_retry_after", "retry_statuses", "retries_code_exchange"}
	webhooksKeys = []string{"url", "secret", "probe"}
	ignoreKeys   = []string{"check", "reason", "until"}

	authSchemes = []string{integration.AuthBearer, integration.AuthBasic, integration.AuthAPIKey, integration.AuthNone}
	backoffs    = []string{"none", "fixed", "exponential"}
)

// sections maps a section name to its keys, to say where a misplaced key
// belongs ("client_secret belongs under oauth").
var sections = []struct {
	name string
	keys []string
}{
	{"", topKeys}, {"oauth", oauthKeys}, {"tokens", tokensKeys}, {"admin", adminKeys},
	{"calls[]", callKeys}, {"http", httpKeys}, {"webhooks", webhooksKeys}, {"ignore[]", ignoreKeys},
}

// decoder turns the YAML node tree into an Integration, collecting errors.
type decoder struct {
	file    string
	vars    varLookup
	envPath string // the env file in use, "" for none
	errs    Errors
	dropped int // problems beyond maxErrors, counted but not kept
	// expanded counts the bytes of every expanded value so far, against
	// maxExpandTotal (aliases can repeat one big value many times).
	expanded int
}

// parse decodes a config file's bytes. envPath is only used to say where a
// missing variable can be set.
func parse(file string, data []byte, vars varLookup, envPath string) (in *integration.Integration, err error) {
	defer func() {
		// yaml.v3 is not expected to panic, but no input may crash the doctor.
		if r := recover(); r != nil {
			in, err = nil, &Error{File: file, Msg: "the YAML parser failed on this file; check its syntax"}
		}
	}()
	root, err := parseYAML(file, data)
	if err != nil {
		return nil, err
	}
	d := &decoder{file: file, vars: vars, envPath: envPath}
	in = d.integration(root)
	if len(d.errs) > 0 {
		errs := d.errs.sorted()
		if d.dropped > 0 {
			errs = append(errs, &Error{File: file, Msg: fmt.Sprintf("and %d more problems not shown; fix the ones above first", d.dropped)})
		}
		return nil, errs
	}
	return in, nil
}

// parseYAML parses exactly one YAML document into its node tree (nil for an
// empty file).
func parseYAML(file string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, yamlError(file, data, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, &Error{File: file, Line: extra.Line, Column: extra.Column, Msg: "a second YAML document (after ---): the config is one document"}
	case !errors.Is(err, io.EOF):
		return nil, yamlError(file, data, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, nil // only comments: an empty config
	}
	return doc.Content[0], nil
}

// errAt records a problem at a node's position.
func (d *decoder) errAt(n *yaml.Node, format string, args ...any) {
	if len(d.errs) >= maxErrors {
		d.dropped++
		return
	}
	e := &Error{File: d.file, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
}

// at is a node's position as a Source.
func (d *decoder) at(n *yaml.Node) integration.Source {
	return integration.Source{File: d.file, Line: n.Line, Column: n.Column}
}

// pair is one key of a mapping with its value.
type pair struct {
	Name  string
	Key   *yaml.Node
	Value *yaml.Node
}

// kindName says what a node is, for "expected a string, found a list".
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return "a single value"
	}
	return "something else"
}

// resolve follows aliases (*anchor) to the node they stand for.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// isNull reports whether n is an empty value (`key:`, `~`, `null`).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// mapping checks that n is a mapping of the allowed keys and returns its
// pairs. Unknown keys (with a suggestion), duplicate keys and complex keys
// are errors. Merge keys (<<: *anchor) are honoured; explicit keys win.
// where names the section for messages ("" for the top level).
func (d *decoder) mapping(n *yaml.Node, where string, allowed []string) []pair {
	n = resolve(n)
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.errAt(n, "%s must be a mapping of keys (like `key: value`), found %s", sectionTitle(where), kindName(n))
		return nil
	}
	var out []pair
	seen := map[string]*yaml.Node{}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errAt(k, "%s: a key must be a plain name, found %s", sectionTitle(where), kindName(k))
			continue
		}
		if k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		name := k.Value
		if first, dup := seen[name]; dup {
			d.errAt(k, "duplicate key %s%s (first set at line %d)", keyName(name), in(where), first.Line)
			continue
		}
		seen[name] = k
		if where == "" && strings.HasPrefix(name, "x-") {
			continue // extension keys hold anchors for reuse, as in compose files
		}
		if !containsString(allowed, name) {
			d.errAt(k, "unknown key %s%s%s", keyName(name), in(where), suggest(name, where, allowed))
			continue
		}
		out = append(out, pair{Name: name, Key: k, Value: v})
	}
	for _, m := range merges {
		for _, src := range mergeSources(m) {
			for i := 0; i+1 < len(src.Content); i += 2 {
				k, v := src.Content[i], src.Content[i+1]
				if k.Kind != yaml.ScalarNode || seen[k.Value] != nil || !containsString(allowed, k.Value) {
					continue
				}
				seen[k.Value] = k
				out = append(out, pair{Name: k.Value, Key: k, Value: v})
			}
		}
	}
	return out
}

// mergeSources lists the mappings a merge key's value names: one mapping
// or a list of them, usually through aliases.
func mergeSources(v *yaml.Node) []*yaml.Node {
	v = resolve(v)
	if v == nil {
		return nil
	}
	if v.Kind == yaml.MappingNode {
		return []*yaml.Node{v}
	}
	var out []*yaml.Node
	if v.Kind == yaml.SequenceNode {
		for _, item := range v.Content {
			if m := resolve(item); m != nil && m.Kind == yaml.MappingNode {
				out = append(out, m)
			}
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// in renders " in oauth" for messages ("" at the top level).
func in(where string) string {
	if where == "" {
		return " at the top level"
	}
	return " in " + where
}

func sectionTitle(where string) string {
	if where == "" {
		return "the config"
	}
	return where
}

// text reads a scalar and expands its ${VAR} references. ok is false when
// the node is not a scalar or the expansion failed (the error is recorded).
func (d *decoder) text(n *yaml.Node, key string) (val integration.Value, ok bool) {
	n = resolve(n)
	if n == nil {
		return val, false
	}
	val.From = d.at(n)
	val.Set = true
	if n.Kind != yaml.ScalarNode {
		d.errAt(n, "%s must be a single value, found %s", key, kindName(n))
		return val, false
	}
	if isNull(n) {
		val.Literal = true
		return val, true
	}
	limit := maxValueSize
	if left := maxExpandTotal - d.expanded; left < limit {
		limit = left
	}
	x := expand(n.Value, d.vars, limit)
	if len(x.Vars) > 0 {
		d.expanded += len(x.Value)
	}
	if x.Bad != "" && limit < maxValueSize && strings.Contains(x.Bad, "the limit of") {
		x.Bad = fmt.Sprintf("the config's values expand to more than the limit of %s in all (is a big variable referenced many times?)", sizeName(maxExpandTotal))
	}
	if x.Bad != "" {
		d.errAt(n, "%s: %s", key, x.Bad)
		return val, false
	}
	for _, name := range x.Missing {
		d.errAt(n, "%s: variable %s is not set; %s, or give a default with ${%s:-value}", key, name, d.whereToSet(name), name)
	}
	if len(x.Missing) > 0 {
		return val, false
	}
	val.Raw = x.Value
	val.Literal = len(x.Vars) == 0
	if len(x.Vars) > 0 {
		val.From.EnvVar = x.Vars[0]
	}
	return val, true
}

// whereToSet says where a missing variable can be defined.
func (d *decoder) whereToSet(name string) string {
	if d.envPath != "" {
		return fmt.Sprintf("export %s or add %s=... to %s", name, name, d.envPath)
	}
	return fmt.Sprintf("export %s, add %s=... to a .env file beside the config, or pass --env-file", name, name)
}

// str reads a string-valued key.
func (d *decoder) str(p pair, where string) integration.Value {
	return d.strText(p.Value, keyPath(where, p.Name))
}

// strText reads a string value. An explicit tag other than !!str
// (`client_secret: !!int 5`) says the value is not the string the app
// sends: it is refused at its position.
func (d *decoder) strText(n *yaml.Node, key string) integration.Value {
	if r := resolve(n); r != nil && r.Kind == yaml.ScalarNode && r.Style&yaml.TaggedStyle != 0 && r.Tag != "!!str" {
		d.errAt(r, "%s: the YAML tag %s is not allowed here; this key takes a string (remove the tag, or quote the value)", key, r.Tag)
		return integration.Value{From: d.at(r), Set: true}
	}
	v, _ := d.text(n, key)
	return v
}

// strList reads a list of strings; a single value is accepted as a list
// of one, kept whole (a check can then flag "a,b" or "a b").
func (d *decoder) strList(p pair, where string) []integration.Value {
	key := keyPath(where, p.Name)
	n := resolve(p.Value)
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		if v := d.strText(n, key); v.Raw != "" || v.Literal {
			return []integration.Value{v}
		}
		return nil
	}
	out := make([]integration.Value, 0, len(n.Content))
	for i, item := range n.Content {
		before := len(d.errs) + d.dropped
		if v := d.strText(item, key+"["+strconv.Itoa(i)+"]"); len(d.errs)+d.dropped == before {
			out = append(out, v)
		}
	}
	return out
}

// integer reads a whole number within [lo, hi].
func (d *decoder) integer(p pair, where, what string, lo, hi int) (int, integration.Source, bool) {
	key := keyPath(where, p.Name)
	v, ok := d.text(p.Value, key)
	if !ok {
		return 0, v.From, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v.Raw))
	if err != nil || n < lo || n > hi {
		d.errAt(resolve(p.Value), "%s must be %s, a whole number from %d to %d", key, what, lo, hi)
		return 0, v.From, false
	}
	return n, v.From, true
}

// boolean reads true or false (also yes/no, on/off, any case).
func (d *decoder) boolean(p pair, where string) (bool, integration.Source, bool) {
	key := keyPath(where, p.Name)
	v, ok := d.text(p.Value, key)
	if !ok {
		return false, v.From, false
	}
	switch strings.ToLower(strings.TrimSpace(v.Raw)) {
	case "true", "yes", "on":
		return true, v.From, true
	case "false", "no", "off":
		return false, v.From, true
	}
	d.errAt(resolve(p.Value), "%s must be true or false", key)
	return false, v.From, false
}

// enum checks a value against its allowed words.
func (d *decoder) enum(p pair, where string, allowed []string) integration.Value {
	key := keyPath(where, p.Name)
	v, ok := d.text(p.Value, key)
	if !ok || containsString(allowed, v.Raw) {
		return v
	}
	hint := ""
	if best := closest(v.Raw, allowed); best != "" && v.Literal {
		hint = fmt.Sprintf("; did you mean %q?", best)
	}
	d.errAt(resolve(p.Value), "%s must be one of %s%s", key, strings.Join(allowed, ", "), hint)
	return v
}

func keyPath(where, name string) string {
	if where == "" {
		return name
	}
	return where + "." + name
}

// integration decodes the top level.
func (d *decoder) integration(root *yaml.Node) *integration.Integration {
	in := &integration.Integration{Version: 1}
	in.APIURL.Raw, in.AuthURL.Raw = DefaultAPIURL, DefaultAuthURL
	if root == nil {
		return in
	}
	for _, p := range d.mapping(root, "", topKeys) {
		switch p.Name {
		case "version":
			if v, ok := d.text(p.Value, "version"); ok && strings.TrimSpace(v.Raw) != "1" {
				d.errAt(resolve(p.Value), "unsupported config version; this contio-doctor reads `version: 1`")
			}
		case "api_url":
			in.APIURL = d.str(p, "")
		case "auth_url":
			in.AuthURL = d.str(p, "")
		case "oauth":
			d.oauth(p.Value, &in.OAuth)
		case "tokens":
			for _, q := range d.mapping(p.Value, "tokens", tokensKeys) {
				switch q.Name {
				case "access_token":
					in.Tokens.AccessToken = d.str(q, "tokens")
				case "refresh_token":
					in.Tokens.RefreshToken = d.str(q, "tokens")
				}
			}
		case "admin":
			for _, q := range d.mapping(p.Value, "admin", adminKeys) {
				switch q.Name {
				case "api_key":
					in.Admin.APIKey = d.str(q, "admin")
				case "client_id":
					in.Admin.ClientID = d.str(q, "admin")
				}
			}
		case "calls":
			in.Calls = d.calls(p.Value)
		case "http":
			d.http(p.Value, &in.HTTP)
		case "webhooks":
			for _, q := range d.mapping(p.Value, "webhooks", webhooksKeys) {
				switch q.Name {
				case "url":
					in.Webhooks.URL = d.str(q, "webhooks")
				case "secret":
					in.Webhooks.Secret = d.str(q, "webhooks")
				case "probe":
					in.Webhooks.Probe, _, _ = d.boolean(q, "webhooks")
				}
			}
		case "ignore":
			in.Ignore = d.ignore(p.Value)
		}
	}
	return in
}

func (d *decoder) oauth(n *yaml.Node, o *integration.OAuth) {
	const w = "oauth"
	for _, p := range d.mapping(n, w, oauthKeys) {
		switch p.Name {
		case "client_id":
			o.ClientID = d.str(p, w)
		case "client_secret":
			o.ClientSecret = d.str(p, w)
		case "redirect_uri":
			o.RedirectURI = d.str(p, w)
		case "token_redirect_uri":
			o.TokenRedirectURI = d.str(p, w)
		case "registered_redirect_uris":
			o.RegisteredRedirectURIs = d.strList(p, w)
		case "scopes":
			o.ScopesSet, o.ScopesFrom = true, d.at(p.Key)
			o.Scopes = d.strList(p, w)
		case "authorization_url":
			o.AuthorizationURL = d.str(p, w)
		case "basic_auth_header":
			o.BasicAuthHeader = d.str(p, w)
		}
	}
}

func (d *decoder) calls(n *yaml.Node) []integration.Call {
	n = resolve(n)
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.errAt(n, "calls must be a list of calls (each `- method: GET` …), found %s", kindName(n))
		return nil
	}
	out := make([]integration.Call, 0, len(n.Content))
	for i, item := range n.Content {
		where := "calls[" + strconv.Itoa(i) + "]"
		item = resolve(item)
		if item == nil {
			continue
		}
		if isNull(item) {
			d.errAt(item, "%s is empty", where)
			continue
		}
		c := integration.Call{At: d.at(item)}
		pairs := d.mapping(item, where, callKeys)
		if item.Kind != yaml.MappingNode {
			continue
		}
		for _, p := range pairs {
			switch p.Name {
			case "name":
				c.Name = d.str(p, where)
			case "method":
				c.Method = d.str(p, where)
			case "path":
				c.Path = d.str(p, where)
				if path, query, ok := strings.Cut(c.Path.Raw, "?"); ok {
					c.Query = c.Path
					c.Path.Raw, c.Query.Raw = path, query
				}
			case "auth":
				c.Auth = d.enum(p, where, authSchemes)
			case "headers":
				c.Headers = d.strList(p, where)
			case "per_minute":
				c.PerMinute, c.PerMinuteFrom, _ = d.integer(p, where, "the expected peak requests per minute", 0, 1_000_000)
			}
		}
		if !c.Method.Set {
			d.errAt(item, "%s has no method: say which HTTP method the code uses (GET, POST, …)", where)
		}
		if !c.Path.Set {
			d.errAt(item, "%s has no path: give the request path the code calls, like /v1/partner/user/meetings", where)
		}
		out = append(out, c)
	}
	return out
}

func (d *decoder) http(n *yaml.Node, h *integration.HTTP) {
	const w = "http"
	for _, p := range d.mapping(n, w, httpKeys) {
		switch p.Name {
		case "timeout":
			h.TimeoutSet = true
			v, ok := d.text(p.Value, "http.timeout")
			h.TimeoutFrom = v.From
			if !ok {
				continue
			}
			dur, err := time.ParseDuration(strings.TrimSpace(v.Raw))
			switch {
			case err != nil && isDigits(strings.TrimSpace(v.Raw)):
				d.errAt(resolve(p.Value), "http.timeout needs a unit: write 30s, 1m or 1500ms")
			case err != nil:
				d.errAt(resolve(p.Value), "http.timeout must be a duration like 30s, 1m or 1500ms")
			case dur < 0:
				d.errAt(resolve(p.Value), "http.timeout cannot be negative (0 means no timeout)")
			default:
				h.Timeout = dur
			}
		case "max_retries":
			h.MaxRetriesSet = true
			h.MaxRetries, h.MaxRetriesFrom, _ = d.integer(p, w, "how many times a failed request is retried", 0, 1000)
		case "backoff":
			h.Backoff = d.enum(p, w, backoffs)
		case "honors_retry_after":
			h.HonorsRetrySet = true
			h.HonorsRetryAfter, h.HonorsRetryFrom, _ = d.boolean(p, w)
		case "retry_statuses":
			h.RetryStatusSet, h.RetryStatusFrom = true, d.at(p.Key)
			h.RetryStatuses = d.statuses(p)
		case "retries_code_exchange":
			h.RetriesCodeExchange, h.RetriesCodeExchangeFrom, _ = d.boolean(p, w)
		}
	}
}

// statuses reads http.retry_statuses: a list of HTTP status codes.
func (d *decoder) statuses(p pair) []int {
	n := resolve(p.Value)
	if n == nil || isNull(n) {
		return nil
	}
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []int
	for i, item := range items {
		key := "http.retry_statuses[" + strconv.Itoa(i) + "]"
		v, ok := d.text(item, key)
		if !ok {
			continue
		}
		code, err := strconv.Atoi(strings.TrimSpace(v.Raw))
		if err != nil || code < 100 || code > 599 {
			d.errAt(resolve(item), "%s must be an HTTP status code from 100 to 599", key)
			continue
		}
		out = append(out, code)
	}
	return out
}

func (d *decoder) ignore(n *yaml.Node) []integration.Waiver {
	n = resolve(n)
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.errAt(n, "ignore must be a list of waivers (each `- check: CD2005` with a reason), found %s", kindName(n))
		return nil
	}
	var out []integration.Waiver
	for i, item := range n.Content {
		where := "ignore[" + strconv.Itoa(i) + "]"
		item = resolve(item)
		if item == nil {
			continue
		}
		if isNull(item) {
			d.errAt(item, "%s is empty", where)
			continue
		}
		w := integration.Waiver{At: d.at(item)}
		pairs := d.mapping(item, where, ignoreKeys)
		if item.Kind != yaml.MappingNode {
			continue
		}
		ok := true
		for _, p := range pairs {
			switch p.Name {
			case "check":
				w.Check = strings.TrimSpace(d.str(p, where).Raw)
			case "reason":
				w.Reason = strings.TrimSpace(d.str(p, where).Raw)
			case "until":
				v, good := d.text(p.Value, where+".until")
				if !good {
					ok = false
					continue
				}
				day, err := time.Parse(time.DateOnly, strings.TrimSpace(v.Raw))
				if err != nil {
					d.errAt(resolve(p.Value), "%s.until must be a date written YYYY-MM-DD, like 2027-01-31", where)
					ok = false
					continue
				}
				// The waiver holds through the whole of that day, in UTC.
				w.Until = day.Add(24*time.Hour - time.Nanosecond)
			}
		}
		if w.Check == "" {
			d.errAt(item, "%s has no check: name the check ID (like CD2005) or name to ignore", where)
			ok = false
		}
		if w.Reason == "" {
			d.errAt(item, "%s has no reason: say why the finding is accepted, so the next reader knows", where)
			ok = false
		}
		if ok {
			out = append(out, w)
		}
	}
	return out
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// keyName quotes a key for a message when it looks like a key. Anything
// else (long, with spaces, '=' or quotes, or mixing upper case, lower case
// and digits like a token) may be a value pasted in the wrong place,
// perhaps a secret, and is not echoed.
func keyName(name string) string {
	const hidden = "(a key that looks like a value, not shown)"
	if len(name) == 0 || len(name) > 32 {
		return hidden
	}
	var upper, lower, digit bool
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isNameByte(c, i == 0) {
			return hidden
		}
		upper = upper || 'A' <= c && c <= 'Z'
		lower = lower || 'a' <= c && c <= 'z'
		digit = digit || '0' <= c && c <= '9'
	}
	if upper && lower && digit {
		return hidden
	}
	return fmt.Sprintf("%q", name)
}
