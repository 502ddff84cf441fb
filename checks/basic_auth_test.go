package checks

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

// Table tests for the CD1101–CD1105 Basic-header family. Each case sets
// oauth.basic_auth_header and says what every check of the family reports,
// so a fault is shown to trip its own check and no sibling.

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestBasicAuthFamily(t *testing.T) {
	pair := credID + ":" + credSecret
	long := b64(pair)
	cases := []struct {
		name   string
		header string
		want   map[string]string // check ID → substring of its single finding
	}{
		{"healthy", "Basic " + long, nil},
		{"lower-case scheme is fine", "basic " + long, nil},
		{"form-encoded pair is fine", "Basic " + b64(credID+":"+credSecret), nil},
		{"bearer", "Bearer " + long, map[string]string{"CD1101": "uses the Bearer scheme"}},
		{"no scheme", long, map[string]string{"CD1101": "has no scheme"}},
		{"other scheme", "Token " + long, map[string]string{"CD1101": `uses the scheme "Token" instead of Basic`}},
		{"two spaces", "Basic  " + long, map[string]string{"CD1101": "has 2 spaces between Basic and the credentials"}},
		{"tab", "Basic\t" + long, map[string]string{"CD1101": "has a tab (U+0009) between Basic"}},
		{"leading space", " Basic " + long, map[string]string{"CD1101": "starts with 1 whitespace character(s)"}},
		{"GNU wrap", "Basic " + long[:76] + "\n" + long[76:], map[string]string{"CD1102": "is wrapped after 76 characters, as GNU base64 does unless given -w0"}},
		{"line break elsewhere", "Basic " + long[:40] + "\r\n" + long[40:], map[string]string{"CD1102": "has a line break at character 47"}},
		{"newline after the base64", "Basic " + long + "\n", map[string]string{"CD1102": "ends with a line break after the base64"}},
		{"space inside", "Basic " + long[:40] + " " + long[40:], map[string]string{"CD1102": "has a space (U+0020) at character 47"}},
		{"URL-safe alphabet", "Basic " + base64.URLEncoding.EncodeToString([]byte(credID+":s?>?>?>")), map[string]string{
			"CD1102": "uses the URL-safe alphabet", "CD1105": "the secret part differs"}},
		{"missing padding", "Basic " + strings.TrimRight(b64(credID+":"+credSecret+"xy"), "="), map[string]string{
			"CD1102": "lacks its '=' padding", "CD1105": "(45 characters instead of 43)"}},
		{"not encoded", "Basic " + pair, map[string]string{"CD1102": "is not base64 at all: it has ':' at character 31 of 74"}},
		{"stray character", "Basic " + long[:10] + "!" + long[10:], map[string]string{"CD1102": "has '!' at character 17 of 99, which is not a base64 character"}},
		{"echo without -n", "Basic " + b64(pair+"\n"), map[string]string{"CD1103": "followed by a line feed (LF, U+000A), as `echo` without -n adds"}},
		{"CRLF", "Basic " + b64(pair+"\r\n"), map[string]string{"CD1103": "followed by a carriage return and a line feed"}},
		{"echo and GNU wrap", "Basic " + b64(pair + "\n")[:76] + "\n" + b64(pair + "\n")[76:], map[string]string{
			"CD1102": "is wrapped after 76", "CD1103": "followed by a line feed"}},
		{"secret alone", "Basic " + b64(credSecret), map[string]string{"CD1104": "decodes to a value with no ':': it encodes the client secret alone"}},
		{"run together", "Basic " + b64(credID+credSecret), map[string]string{"CD1104": "run together"}},
		{"old secret", "Basic " + b64(credID+":CANARYoldSecretFromBeforeTheRotation0000000"), map[string]string{
			"CD1105": "the secret part differs from oauth.client_secret (same length, different value"}},
		{"other client", "Basic " + b64("ctp_staging:"+credSecret), map[string]string{
			"CD1105": `the client ID part is "ctp_staging" but oauth.client_id is "` + credID + `"`}},
		{"swapped", "Basic " + b64(credSecret+":"+credID), map[string]string{"CD1105": "the client ID and the secret are swapped"}},
		{"API key as secret", "Basic " + b64(credID+":"+credAPIKey), map[string]string{"CD1105": "the secret part is the admin API key"}},
		{"secret with space", "Basic " + b64(credID+": "+credSecret), map[string]string{"CD1105": "the secret part is oauth.client_secret with whitespace around it"}},
	}
	family := []string{"CD1101", "CD1102", "CD1103", "CD1104", "CD1105"}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := credIG()
			ig.OAuth.BasicAuthHeader.Raw = tc.header
			for _, id := range family {
				fs, err := credRun(t, id, ig)
				if _, skip := IsSkip(err); err != nil && !skip {
					t.Fatalf("%s: %v", id, err)
				}
				want, wantFail := tc.want[id]
				switch {
				case !wantFail && len(fs) > 0:
					t.Errorf("%s: unexpected finding %q", id, fs[0].Message)
				case wantFail && len(fs) != 1:
					t.Errorf("%s: want one finding containing %q, got %d", id, want, len(fs))
				case wantFail && !strings.Contains(fs[0].Message, want):
					t.Errorf("%s: message %q does not contain %q", id, fs[0].Message, want)
				case wantFail && fs[0].Location != ig.OAuth.BasicAuthHeader.From:
					t.Errorf("%s: location %v", id, fs[0].Location)
				case wantFail && !strings.Contains(strings.Join(fs[0].Commands, "\n"), "base64 -w0"):
					t.Errorf("%s: no base64 -w0 command", id)
				}
			}
		})
	}
}

func TestBasicAuthSkipsWithoutAHeader(t *testing.T) {
	ig := credIG()
	ig.OAuth.BasicAuthHeader = integration.Value{}
	for _, id := range []string{"CD1101", "CD1102", "CD1103", "CD1104", "CD1105"} {
		if _, err := credRun(t, id, ig); err == nil {
			t.Errorf("%s: want a skip without a header", id)
		} else if _, ok := IsSkip(err); !ok {
			t.Errorf("%s: want a skip, got %v", id, err)
		}
	}
}

func TestBasicAuthReadsObservedCalls(t *testing.T) {
	ig := credIG()
	ig.OAuth.BasicAuthHeader = integration.Value{}
	ig.Calls = append(ig.Calls, integration.Call{
		Name:          integration.Value{Raw: "token exchange", Set: true},
		Authorization: integration.Value{Raw: "Basic " + b64(credID+":"+credSecret+"\n"), Set: true, From: integration.Source{File: "capture.har", HAREntry: 7}},
		Observed:      true,
	})
	assertMessages(t, credMessages(t, "CD1103", ig), "calls[1] (token exchange) Authorization decodes to client_id:client_secret followed by a line feed")
}

func FuzzParseBasic(f *testing.F) {
	for _, s := range []string{"Basic " + b64("a:b"), "Bearer x", "", " ", "Basic", "Basic \n", "Basic " + b64("a:b\n")[:3], "basic\t\t=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		ig := credIG()
		ig.OAuth.BasicAuthHeader.Raw = raw
		for _, id := range []string{"CD1101", "CD1102", "CD1103", "CD1104", "CD1105"} {
			c, _ := Lookup(id)
			if _, err := c.Run(t.Context(), &Input{Integration: ig}); err != nil {
				if _, ok := IsSkip(err); !ok {
					t.Fatalf("%s: %v", id, err)
				}
			}
		}
	})
}
