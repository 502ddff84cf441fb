package checks

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCredentialStrayChars(t *testing.T) {
	cases := []struct {
		name   string
		secret string
		want   string // "" means no finding
	}{
		{"clean", credSecret, ""},
		{"interior space is CD1003's", "abcd efgh ijkl", ""},
		{"trailing LF", credSecret + "\n", "oauth.client_secret has a line feed (LF, U+000A) at the end"},
		{"CRLF", credSecret + "\r\n", "a carriage return (CR, U+000D) at character 44 of 45 and a line feed (LF, U+000A) at the end"},
		{"leading space", " " + credSecret, "a space (U+0020) at the start"},
		{"trailing spaces", credSecret + "  ", "a space (U+0020) at character 44 of 45 and a space (U+0020) at the end"},
		{"BOM", "\ufeff" + credSecret, "a byte order mark (BOM, U+FEFF) at the start"},
		{"zero-width space", "CANARY\u200bsecret", "a zero-width space (U+200B) at character 7 of 13"},
		{"non-breaking space", "CANARYsecret\u00a0", "a non-breaking space (U+00A0) at the end"},
		{"tab", "CANARY\tsecret", "a tab (U+0009) at character 7 of 13"},
		{"invalid UTF-8", "CANARY\xffsecret", "an invalid UTF-8 byte"},
		{"other control", "CANARY\x01secret", "a control character (U+0001)"},
		{"non-ASCII letter", "CANARYsécret", "a non-ASCII character (U+00E9)"},
		{"many", "\t\t\t\t\t\tCANARY", "a tab (U+0009) at the start, a tab (U+0009) at character 2 of 12, a tab (U+0009) at character 3 of 12, a tab (U+0009) at character 4 of 12 and 2 more"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := credIG()
			ig.OAuth.ClientSecret.Raw = tc.secret
			ig.OAuth.BasicAuthHeader.Raw = ""
			fs, err := credRun(t, "CD1001", ig)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if len(fs) != 0 {
					t.Fatalf("want no finding, got %q", fs[0].Message)
				}
				return
			}
			if len(fs) != 1 {
				t.Fatalf("want one finding, got %d", len(fs))
			}
			f := fs[0]
			if !strings.Contains(f.Message, tc.want) {
				t.Errorf("message %q does not contain %q", f.Message, tc.want)
			}
			if f.Location != ig.OAuth.ClientSecret.From {
				t.Errorf("location %v, want %v", f.Location, ig.OAuth.ClientSecret.From)
			}
			if !strings.Contains(f.Commands[0], `"$CONTIO_CLIENT_SECRET" | od -c`) {
				t.Errorf("no od command for the env var: %q", f.Commands)
			}
		})
	}
}

func TestCredentialStrayCharsShowsClientIDsButNotSecrets(t *testing.T) {
	ig := credIG()
	ig.OAuth.ClientID.Raw = credID + "\r"
	ig.Admin.APIKey.Raw = credAPIKey + "\n"
	fs, err := credRun(t, "CD1001", ig)
	if err != nil || len(fs) != 2 {
		t.Fatalf("want 2 findings, got %d (%v)", len(fs), err)
	}
	if want := `as stored: "` + credID + `\r"`; !strings.Contains(fs[0].Evidence, want) {
		t.Errorf("client ID evidence %q, want it to contain %q", fs[0].Evidence, want)
	}
	if !strings.Contains(fs[1].Evidence, "(44 chars, sha256:") || !strings.Contains(fs[1].Evidence, "(43 chars, sha256:") {
		t.Errorf("API key evidence %q should show fingerprints before and after cleaning", fs[1].Evidence)
	}
}

func TestCredentialStrayCharsLeavesWebhookWhitespaceToCD7002(t *testing.T) {
	ig := credIG()
	ig.Webhooks.Secret.Raw = credHook + "\n"
	assertMessages(t, credMessages(t, "CD1001", ig))
	ig.Webhooks.Secret.Raw = "\ufeff" + credHook
	assertMessages(t, credMessages(t, "CD1001", ig), "webhooks.secret has a byte order mark (BOM, U+FEFF) at the start")
}

// plainCredential is strayCharFinding's shortcut: every value it passes
// must be one the full rune-by-rune test finds nothing in, whatever the
// credential's name.
func TestPlainCredentialShortcutIsSafe(t *testing.T) {
	alphabet := []string{"a", "Z", "0", "~", "!", " ", "\t", "\r", "\n", "\x7f", "\x00", "é", "\u200b", "\xff"}
	var gen func(prefix string, depth int)
	checked := 0
	gen = func(prefix string, depth int) {
		if plainCredential(prefix) {
			checked++
			for _, name := range []string{"oauth.client_secret", "webhooks.secret", "oauth.client_id"} {
				runes := []rune(prefix)
				for i, r := range runes {
					bad := strayRune(r) || (r == ' ' && (allSpace(runes[:i]) || allSpace(runes[i+1:])))
					if (r == utf8.RuneError || bad) && !webhookSecretWhitespace(name, r) {
						t.Fatalf("plainCredential(%q) is true, but %s has a stray %q at %d", prefix, name, r, i)
					}
				}
			}
		}
		if depth == 0 {
			return
		}
		for _, a := range alphabet {
			gen(prefix+a, depth-1)
		}
	}
	gen("", 4)
	if checked < 100 {
		t.Fatalf("only %d plain values generated", checked)
	}
}
