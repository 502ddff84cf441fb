package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// starterVars are the variables the starter config references without a
// default.
var starterVars = map[string]string{
	"CONTIO_CLIENT_ID":      "ctp_starterClientID000000000",
	"CONTIO_CLIENT_SECRET":  "starter-secret-canary-3f9a",
	"CONTIO_API_KEY":        "cak_starterKey",
	"CONTIO_WEBHOOK_SECRET": "whsec_starter",
}

func writeStarter(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), DefaultFile)
	if err := os.WriteFile(path, []byte(Starter), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestStarterLoadsWithItsVariablesSet(t *testing.T) {
	path := writeStarter(t)
	in, err := Load(Options{Path: path, PathExplicit: true, LookupEnv: mapEnv(starterVars)})
	if err != nil {
		t.Fatalf("starter config does not load: %v", err)
	}
	if in.OAuth.ClientSecret.Raw != starterVars["CONTIO_CLIENT_SECRET"] || in.OAuth.ClientSecret.Literal {
		t.Errorf("client_secret = %+v, want it from $CONTIO_CLIENT_SECRET", in.OAuth.ClientSecret)
	}
	if len(in.Calls) == 0 || !in.HTTP.TimeoutSet || !in.Webhooks.URL.Set || in.Webhooks.Probe {
		t.Errorf("starter misses a section: calls=%d timeout set=%v webhooks=%v probe=%v",
			len(in.Calls), in.HTTP.TimeoutSet, in.Webhooks.URL.Set, in.Webhooks.Probe)
	}
	if in.Tokens.AccessToken.Raw != "" || !in.Tokens.AccessToken.Set {
		t.Errorf("access_token should default to empty: %+v", in.Tokens.AccessToken)
	}
}

func TestStarterNamesTheFirstMissingVariable(t *testing.T) {
	path := writeStarter(t)
	_, err := Load(Options{Path: path, PathExplicit: true, LookupEnv: mapEnv(nil)})
	if err == nil {
		t.Fatal("starter loaded with no variables set")
	}
	first := strings.SplitN(err.Error(), "\n", 2)[0]
	line := 1 + strings.Count(Starter[:strings.Index(Starter, "${CONTIO_CLIENT_ID}")], "\n")
	want := path + ":" + itoa(line) + ":14: oauth.client_id: variable CONTIO_CLIENT_ID is not set"
	if !strings.HasPrefix(first, want) {
		t.Errorf("first error:\n got %s\nwant %s…", first, want)
	}
}

// TestStarterNeedsOnlyTheClientCredentials: the README's first run exports
// two variables; the optional ones expand to empty instead of failing.
func TestStarterNeedsOnlyTheClientCredentials(t *testing.T) {
	path := writeStarter(t)
	in, err := Load(Options{Path: path, PathExplicit: true, LookupEnv: mapEnv(map[string]string{
		"CONTIO_CLIENT_ID": "ctp_x", "CONTIO_CLIENT_SECRET": "s",
	})})
	if err != nil {
		t.Fatalf("starter with the two documented exports: %v", err)
	}
	if !in.Admin.APIKey.Empty() || !in.Webhooks.Secret.Empty() {
		t.Errorf("optional values not empty: api_key %q webhook secret %q", in.Admin.APIKey.Raw, in.Webhooks.Secret.Raw)
	}
	if in.APIURL.Raw != DefaultAPIURL || in.AuthURL.Raw != DefaultAuthURL {
		t.Errorf("hosts default to production: %s %s", in.APIURL.Raw, in.AuthURL.Raw)
	}
	if got := TemplateLeftovers(in); len(got) != 3 {
		t.Errorf("template URLs found at %v, want redirect_uri, registered_redirect_uris[0] and webhooks.url", got)
	}
	if note := TemplateNote(TemplateLeftovers(in)); !strings.Contains(note, "still the starter template: "+path+" (line ") {
		t.Errorf("note: %s", note)
	}
}

// TestStarterFollowsTheSandboxExports: the export lines `sandbox` prints
// point the starter at the sandbox, with no edit to the file.
func TestStarterFollowsTheSandboxExports(t *testing.T) {
	path := writeStarter(t)
	in, err := Load(Options{Path: path, PathExplicit: true, LookupEnv: mapEnv(map[string]string{
		"CONTIO_API_URL": "http://127.0.0.1:8787", "CONTIO_AUTH_URL": "http://127.0.0.1:8787",
		"CONTIO_CLIENT_ID": "ctp_x", "CONTIO_CLIENT_SECRET": "s", "CONTIO_API_KEY": "cak_x",
		"CONTIO_REDIRECT_URI": "http://127.0.0.1:8787/callback", "CONTIO_WEBHOOK_URL": "http://127.0.0.1:9/hook",
	})})
	if err != nil {
		t.Fatal(err)
	}
	if in.APIURL.Raw != "http://127.0.0.1:8787" || in.AuthURL.Raw != "http://127.0.0.1:8787" || in.Admin.APIKey.Raw != "cak_x" {
		t.Errorf("exports ignored: api %s auth %s", in.APIURL.Raw, in.AuthURL.Raw)
	}
	if len(in.OAuth.RegisteredRedirectURIs) != 1 || in.OAuth.RegisteredRedirectURIs[0].Raw != "http://127.0.0.1:8787/callback" {
		t.Errorf("registered = %+v", in.OAuth.RegisteredRedirectURIs)
	}
	if got := TemplateLeftovers(in); len(got) != 0 {
		t.Errorf("no template value left, got %v", got)
	}
}

func TestNothingToCheck(t *testing.T) {
	t.Chdir(t.TempDir())
	_, err := Load(Options{LookupEnv: mapEnv(map[string]string{"HOME": "/x"}), RefuseEmpty: true})
	if err != ErrNothingToCheck || !strings.Contains(err.Error(), "contio-doctor demo") {
		t.Errorf("no config, no variable: %v", err)
	}
	if _, err := Load(Options{LookupEnv: mapEnv(map[string]string{"CONTIO_CLIENT_ID": "x"}), RefuseEmpty: true}); err != nil {
		t.Errorf("one CONTIO_* variable is a config: %v", err)
	}
	if _, err := Load(Options{LookupEnv: mapEnv(nil)}); err != nil {
		t.Errorf("without RefuseEmpty: %v", err)
	}
}
