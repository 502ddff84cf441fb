// Package config reads contio-doctor.yaml (or the CONTIO_* environment
// variables) into an integration.Integration, keeping every value raw and
// every value's position.
//
// Where values come from:
//   - the config file: DefaultFile in the working directory, or Options.Path;
//   - ${VAR} and ${VAR:-default} inside its string values, looked up first
//     in the process environment, then in the env file (the process
//     environment wins, as with dotenv tools, so a CI secret overrides a
//     developer's .env); $$ is a literal dollar sign;
//   - the env file: Options.EnvFile, else .env beside the config when present;
//   - with no config file at all, the CONTIO_* variables (process
//     environment first, then the env file) are the config.
//
// Every problem is reported as *Error with file:line:col; several problems
// come back together as Errors. No error message ever quotes a value: a
// value may be a secret. Messages quote keys and variable names only.
package config

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// DefaultFile is the config file looked for in the working directory.
const DefaultFile = "contio-doctor.yaml"

// DefaultEnvFile is the dotenv file looked for beside the config.
const DefaultEnvFile = ".env"

// Defaults for keys the config may leave out (their Value.Set is false).
const (
	DefaultAPIURL  = "https://api.contio.ai"
	DefaultAuthURL = "https://auth.contio.ai"
)

// Bounds on what a load reads and builds: a real config or env file is a
// few KiB, and a value a few hundred bytes. Each limit is refused with an
// error that names it, never by running out of memory.
const (
	maxConfigSize  = 1 << 20   // bytes of the config file
	maxEnvFileSize = 256 << 10 // bytes of the env file
	maxValueSize   = 64 << 10  // bytes of one value after ${VAR} expansion
	maxExpandTotal = 1 << 20   // bytes of all expanded values of one load
)

// maxErrors bounds how many problems one load reports.
const maxErrors = 50

// Options say where the config comes from.
type Options struct {
	// Path is the config file; "" means DefaultFile when it exists, else
	// the environment.
	Path string
	// PathExplicit is true when --config was given: a missing file is then
	// an error rather than a fall-back to the environment.
	PathExplicit bool
	// EnvFile is a dotenv file; "" means .env beside the config when present.
	EnvFile string
	// LookupEnv reads the process environment; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// Name, when set, is how positions and the report name the config
	// file instead of Path (the demo's files live in a folder removed on
	// exit); the env file is then named beside it.
	Name string
	// RefuseEmpty makes Load return ErrNothingToCheck when there is no
	// config file and no CONTIO_* variable at all: a run would otherwise
	// probe the production hosts with nothing to check.
	RefuseEmpty bool
}

// ErrNothingToCheck is Load's error, with RefuseEmpty, when there is
// neither a config file nor any CONTIO_* variable. It says how to start.
var ErrNothingToCheck = &Error{Msg: "nothing to check: no " + DefaultFile + " here and no CONTIO_* variable set.\n" +
	"  See a report first:      contio-doctor demo\n" +
	"  Describe your app:       contio-doctor init   (writes " + DefaultFile + "; then export CONTIO_CLIENT_ID and CONTIO_CLIENT_SECRET)\n" +
	"  Or point at a config:    contio-doctor --config path/to/" + DefaultFile}

// envVars are the variables that make up a config when there is no file.
var envVars = []string{"CONTIO_API_URL", "CONTIO_AUTH_URL", "CONTIO_CLIENT_ID", "CONTIO_CLIENT_SECRET", "CONTIO_REDIRECT_URI",
	"CONTIO_SCOPES", "CONTIO_ACCESS_TOKEN", "CONTIO_REFRESH_TOKEN", "CONTIO_API_KEY", "CONTIO_WEBHOOK_URL", "CONTIO_WEBHOOK_SECRET"}

// Error is a config problem with its position.
type Error struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.File != "":
		return e.File + ": " + e.Msg
	}
	return e.Msg
}

// Errors are several config problems, sorted by position. Error prints one
// per line; errors.As finds the first *Error.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As and errors.Is see each *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// sorted orders es by file, line and column (stable, so problems at one
// position keep the order they were found in).
func (es Errors) sorted() Errors {
	slices.SortStableFunc(es, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return es
}

// proxyVars are the environment variables snapshotted into Integration.Env.
var proxyVars = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY"}

// Load reads the config. Every error it returns is, or wraps, *Error or
// Errors, and means exit code 2.
func Load(opts Options) (*integration.Integration, error) {
	lookupEnv := opts.LookupEnv
	if lookupEnv == nil {
		lookupEnv = os.LookupEnv
	}
	path := opts.Path
	if path == "" {
		path = DefaultFile
	}
	data, mode, err := readFile(path, maxConfigSize)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !opts.PathExplicit:
		path, data = "", nil // no config file: the environment is the config
	case errors.Is(err, fs.ErrNotExist):
		return nil, &Error{File: path, Msg: "config file not found (run `contio-doctor init` to write a starter, or leave out --config to use the CONTIO_* environment variables)"}
	case err != nil:
		return nil, &Error{File: path, Msg: err.Error()}
	}

	envPath, explicitEnv := opts.EnvFile, opts.EnvFile != ""
	if !explicitEnv {
		dir := "."
		if path != "" {
			dir = filepath.Dir(path)
		}
		envPath = filepath.Join(dir, DefaultEnvFile)
	}
	var file *dotenv
	switch envData, _, err := readFile(envPath, maxEnvFileSize); {
	case errors.Is(err, fs.ErrNotExist) && !explicitEnv:
		envPath = "" // no .env beside the config: fine
	case errors.Is(err, fs.ErrNotExist):
		return nil, &Error{File: envPath, Msg: "env file not found (check --env-file)"}
	case err != nil:
		return nil, &Error{File: envPath, Msg: err.Error()}
	default:
		envName := envPath
		if opts.Name != "" {
			envName = filepath.Join(filepath.Dir(opts.Name), filepath.Base(envPath))
		}
		if file, err = parseDotenv(envName, envData); err != nil {
			return nil, err
		}
	}
	vars := varLookup{env: lookupEnv, file: file}

	var in *integration.Integration
	if path == "" {
		if opts.RefuseEmpty && !slices.ContainsFunc(envVars, func(n string) bool { _, _, ok := vars.get(n); return ok }) {
			return nil, ErrNothingToCheck
		}
		in = fromEnv(vars)
	} else {
		name := path
		if opts.Name != "" {
			name = opts.Name
		}
		if in, err = parse(name, data, vars, envPath); err != nil {
			return nil, err
		}
		in.ConfigPath, in.ConfigMode, in.ConfigBytes = name, mode, data
	}
	in.Env = map[string]string{}
	for _, name := range proxyVars {
		if v, ok := lookupEnv(name); ok {
			in.Env[name] = v
		}
	}
	return in, nil
}

// sizeName renders a byte limit the way the messages print it (64 KiB, 1 MiB).
func sizeName(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// fromEnv builds the Integration from the CONTIO_* variables alone.
func fromEnv(vars varLookup) *integration.Integration {
	get := func(name string) integration.Value {
		raw, entry, ok := vars.get(name)
		if !ok {
			return integration.Value{From: integration.Source{EnvVar: name}}
		}
		from := integration.Source{EnvVar: name}
		if entry != nil {
			from.File, from.Line, from.Column = vars.file.Path, entry.Line, entry.Column
		}
		return integration.Value{Raw: raw, Set: true, From: from}
	}
	in := &integration.Integration{Version: 1}
	in.APIURL = orDefault(get("CONTIO_API_URL"), DefaultAPIURL)
	in.AuthURL = orDefault(get("CONTIO_AUTH_URL"), DefaultAuthURL)
	in.OAuth.ClientID = get("CONTIO_CLIENT_ID")
	in.OAuth.ClientSecret = get("CONTIO_CLIENT_SECRET")
	in.OAuth.RedirectURI = get("CONTIO_REDIRECT_URI")
	if scopes := get("CONTIO_SCOPES"); scopes.Set {
		in.OAuth.ScopesSet, in.OAuth.ScopesFrom = true, scopes.From
		// Split on spaces only: a tab, "\r" or comma stays inside a scope
		// for the scope checks to see.
		for _, s := range strings.Split(scopes.Raw, " ") {
			if s != "" {
				in.OAuth.Scopes = append(in.OAuth.Scopes, integration.Value{Raw: s, Set: true, From: scopes.From})
			}
		}
	}
	in.Tokens.AccessToken = get("CONTIO_ACCESS_TOKEN")
	in.Tokens.RefreshToken = get("CONTIO_REFRESH_TOKEN")
	in.Admin.APIKey = get("CONTIO_API_KEY")
	in.Admin.ClientID = in.OAuth.ClientID // the admin API's X-Client-ID is the app's client ID
	in.Webhooks.URL = get("CONTIO_WEBHOOK_URL")
	in.Webhooks.Secret = get("CONTIO_WEBHOOK_SECRET")
	return in
}

// orDefault fills an unset value with its default, leaving Set false.
func orDefault(v integration.Value, def string) integration.Value {
	if !v.Set {
		v.Raw = def
	}
	return v
}
