package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/lazyre"
)

// TestMalformedYAMLCorpusHasPositions: every file of testdata/malformed is
// refused, and every problem it gets names a line and a column, so an
// editor can jump to it.
func TestMalformedYAMLCorpusHasPositions(t *testing.T) {
	files, err := filepath.Glob("testdata/malformed/*.yaml")
	if err != nil || len(files) < 50 {
		t.Fatalf("corpus missing: %d files, %v", len(files), err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			_, err := Load(Options{Path: path, PathExplicit: true, LookupEnv: mapEnv(nil)})
			if err == nil {
				t.Fatal("loaded without an error")
			}
			var es Errors
			var one *Error
			switch {
			case errors.As(err, &es):
			case errors.As(err, &one):
				es = Errors{one}
			default:
				t.Fatalf("not a config error: %T %v", err, err)
			}
			for _, e := range es {
				if e.Line < 1 || e.Column < 1 {
					t.Errorf("no line:column: %v", e)
				}
				if !strings.HasPrefix(e.Error(), path+":") {
					t.Errorf("does not start with the file: %v", e)
				}
			}
		})
	}
}

// TestTabIndentationSaysTabs: a tab-indented file is told about tabs, at
// the tab, not about characters that cannot start a token.
func TestTabIndentationSaysTabs(t *testing.T) {
	_, path, err := loadString(t, "version: 1\noauth:\n\tclient_id: x\n", "", nil)
	want := path + ":3:1: invalid YAML: a tab in the indentation (YAML indents with spaces only; replace the tabs with spaces)"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestFileSizeLimits(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("version: 1\n"+strings.Repeat("# padding\n", maxConfigSize/10+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(Options{Path: big, PathExplicit: true, LookupEnv: mapEnv(nil)})
	if err == nil || !strings.Contains(err.Error(), "larger than the limit of 1 MiB") {
		t.Errorf("big config: %v", err)
	}
	cfg := filepath.Join(dir, DefaultFile)
	os.WriteFile(cfg, []byte("version: 1\n"), 0o600)
	os.WriteFile(filepath.Join(dir, DefaultEnvFile), []byte("A="+strings.Repeat("x", 1<<20)+"\n"), 0o600)
	_, err = Load(Options{Path: cfg, PathExplicit: true, LookupEnv: mapEnv(nil)})
	if err == nil || !strings.Contains(err.Error(), ".env: larger than the limit of 256 KiB") {
		t.Errorf("1 MiB .env: %v", err)
	}
}

// TestExpansionIsBounded: a value referenced many times (through ${VAR} or
// aliases) is refused with the limit named, not by exhausting memory.
func TestExpansionIsBounded(t *testing.T) {
	big := strings.Repeat("x", 200<<10) // fits the .env limit, not a value
	_, path, err := loadString(t, "oauth:\n  client_secret: ${BIG}\n", "BIG="+big+"\n", nil)
	if err == nil || !strings.Contains(err.Error(), path+":2:18: oauth.client_secret: expands to more than the limit of 64 KiB") {
		t.Errorf("one big value: %v", err)
	}
	mid := strings.Repeat("y", 60<<10)
	yaml := "x-a: &a \"${MID}\"\noauth:\n  scopes: [" + strings.TrimSuffix(strings.Repeat("*a, ", 40), ", ") + "]\n"
	_, _, err = loadString(t, yaml, "MID="+mid+"\n", nil)
	if err == nil || !strings.Contains(err.Error(), "expand to more than the limit of 1 MiB in all") {
		t.Errorf("aliased value: %v", err)
	}
	if err != nil && strings.Contains(err.Error(), mid[:20]) {
		t.Error("the error quotes the value")
	}
}

// TestExplicitTagOnAStringIsRefused: `client_secret: !!int 5` is not a
// string the app could send; say so at its position.
func TestExplicitTagOnAStringIsRefused(t *testing.T) {
	_, path, err := loadString(t, "oauth:\n  client_secret: !!int 5\n  scopes: [openid, !!bool true]\n", "", nil)
	for _, want := range []string{
		path + ":2:18: oauth.client_secret: the YAML tag !!int is not allowed here",
		path + ":3:20: oauth.scopes[1]: the YAML tag !!bool is not allowed here",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got  %v\nwant %s…", err, want)
		}
	}
	if _, _, err := loadString(t, "oauth:\n  client_secret: !!str 5\n", "", nil); err != nil {
		t.Errorf("!!str is a string: %v", err)
	}
}

// The YAML message patterns compile (they are compiled on first use).
func TestYAMLMessagePatternsCompile(t *testing.T) {
	for _, l := range []*lazyre.Regexp{yamlLine, yamlAnchor} {
		if l.Get() == nil {
			t.Errorf("%q did not compile", l.Expr)
		}
	}
}
