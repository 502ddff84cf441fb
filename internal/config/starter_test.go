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
