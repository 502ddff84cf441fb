package config

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// fuzzCanary is what every ${S…} variable holds during fuzzing: an error
// message may contain it only when the input itself does.
const fuzzCanary = "ZQXcanaryQZX"

func fuzzVars() varLookup {
	return varLookup{env: func(name string) (string, bool) {
		if strings.HasPrefix(name, "S") {
			return fuzzCanary + "\r\"'", true
		}
		return "", false
	}}
}

func FuzzLoad(f *testing.F) {
	for _, path := range []string{fullYAML, "../../testdata/healthy.yaml"} {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(Starter))
	for _, seed := range []string{
		"",
		"version: 1\n",
		"oauth:\n  client_secret: ${S}\n  client_id: ${MISSING:-x}\n",
		"calls:\n  - {method: GET, path: '/x?y=${S}', per_minute: ${S}}\n",
		"http:\n  timeout: ${S}\n  retry_statuses: ${S}\n",
		"ignore:\n  - {check: x, reason: y, until: ${S}}\n",
		"x-a: &a {auth: bearer}\ncalls:\n  - <<: [*a, *a]\n    method: GET\n    path: /\n",
		"a: &a [*a]\n",
		"oauth: *nope\n",
		"oauth:\n  client_id: \"abc\n",
		"oauth:\n\tclient_id: x\n",
		"\ufeffversion: 1\n",
		"version: 1\n---\nversion: 2\n",
		"? [a]\n: b\n",
		"oauth:\n  scopes: ${S}\n  registered_redirect_uris: ${S} \n",
		"http:\n  backoff: ${S}\n  honors_retry_after: ${S}\n",
		"version: ${S\n",
		"$$${S:-${S}}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := parse("fuzz.yaml", data, fuzzVars(), "")
		if err == nil {
			if in == nil {
				t.Fatal("nil Integration without an error")
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) || err.Error() == "" {
			t.Fatalf("error is not a config *Error: %T %v", err, err)
		}
		if strings.Contains(err.Error(), fuzzCanary) && !strings.Contains(string(data), fuzzCanary) {
			t.Fatalf("error echoes a variable's value: %v", err)
		}
		var es Errors
		if !errors.As(err, &es) {
			es = Errors{e}
		}
		for _, x := range es {
			if (x.Line < 1 || x.Column < 1) && !strings.HasPrefix(x.Msg, "and ") {
				t.Fatalf("error without line:column: %v", x)
			}
		}
	})
}

func FuzzDotenv(f *testing.F) {
	for _, path := range []string{fullEnv, "testdata/crlf.env", "../../testdata/healthy.env"} {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	for _, seed := range []string{
		"", "\n", "\r\n", "#", "KEY=v", "export KEY='v'", `KEY="a\"b\\"`, `KEY="open`, "KEY='open",
		"KEY=v # c", "=v", "1=v", "KEY v", "\ufeffKEY=v", "KEY=\"v\" x", "export", "export =", "KEY=\"\\",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := parseDotenv("fuzz.env", data)
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error is not Errors: %T %v", err, err)
			}
			for _, e := range es {
				if e.Line < 1 || e.Column < 1 {
					t.Fatalf("error without a position: %v", e)
				}
			}
			return
		}
		lines := 1 + strings.Count(string(data), "\n")
		for key, e := range d.Values {
			if !validDotenvKey(key) || e.Line < 1 || e.Line > lines || e.Column < 1 {
				t.Fatalf("bad entry %q: %+v", key, e)
			}
			if strings.Contains(e.Value, "\n") && !strings.Contains(string(data), `\n`) {
				t.Fatalf("value of %q spans lines", key)
			}
		}
	})
}

func validDotenvKey(key string) bool {
	for i := 0; i < len(key); i++ {
		if !isNameByte(key[i], i == 0) {
			return false
		}
	}
	return key != ""
}

// FuzzExpand: expansion never panics, never builds a value past its limit,
// and never quotes a variable's value in its syntax message.
func FuzzExpand(f *testing.F) {
	for _, seed := range []string{"", "$", "$$", "${", "${S}", "${S:-d}", "${MISSING:-${S}}", "a${S}b${S}c", "${S}${S}${S}${S}", "$${S}", "${1x}", "${S:-}"} {
		f.Add(seed, 64)
	}
	big := strings.Repeat(fuzzCanary, 8)
	vars := varLookup{env: func(name string) (string, bool) {
		if strings.HasPrefix(name, "S") {
			return big, true
		}
		return "", false
	}}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if limit < 0 || limit > 1<<16 {
			return
		}
		x := expand(s, vars, limit)
		if x.Bad != "" {
			if strings.Contains(x.Bad, fuzzCanary) {
				t.Fatalf("message quotes a value: %s", x.Bad)
			}
			return
		}
		if strings.Contains(s, "$") && len(x.Value) > limit {
			t.Fatalf("value of %d bytes past the limit %d", len(x.Value), limit)
		}
	})
}
