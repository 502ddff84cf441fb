package webhookdiag

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/Contio-AI/contio-doctor/webhook"
)

func FuzzParseRequest(f *testing.F) {
	f.Add([]byte("POST /webhooks HTTP/1.1\r\nX-Contio-Signature: sha256=ab\r\nContent-Length: 2\r\n\r\n{}"))
	f.Add([]byte("POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n2\r\n{}\r\n0\r\n\r\n"))
	f.Add([]byte("POST / HTTP/1.1\nA: b\n c\n\n"))
	f.Add([]byte("\ufeffPOST / HTTP/1.1\nContent-Length: -1\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseRequest(data)
		if err != nil {
			return
		}
		if len(d.Body) > len(data) {
			t.Fatalf("body longer than the dump")
		}
		_, _ = d.Header(webhook.Header)
	})
}

func FuzzParseHAR(f *testing.F) {
	f.Add([]byte(`{"log":{"entries":[{"request":{"headers":[{"name":"X-Contio-Signature","value":"x"}],"postData":{"text":"e30=","encoding":"base64"}}}]}}`), 0)
	f.Add([]byte(`{"log":{"entries":[]}}`), 1)
	f.Fuzz(func(t *testing.T, data []byte, n int) {
		_, _, _ = ParseHAR(data, n)
	})
}

func FuzzParseSignature(f *testing.F) {
	sig := webhook.Sign("k", []byte("{}"))
	for _, s := range []string{sig, strings.ToUpper(sig), sig[7:], " " + sig + "\n", "t=1,v1=" + sig[7:], "v1,abc=", "sha256=sha256=" + sig[7:], sig[:20], "sha256=" + sig[7:] + "zz", "v0=" + sig[7:], "sha1=00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		s := ParseSignature(h)
		strictErr := webhook.Verify("k", []byte("{}"), h)
		formatOK := strictErr == nil || errors.Is(strictErr, webhook.ErrMismatch)
		if s.Strict != formatOK {
			t.Fatalf("ParseSignature(%q).Strict = %v but Verify says %v", h, s.Strict, strictErr)
		}
		for _, d := range s.Digests {
			if len(d) != 32 {
				t.Fatalf("digest of %d bytes from %q", len(d), h)
			}
		}
		_, _ = NodeSDK(h, webhook.Digest("k", []byte("{}")))
	})
}

func FuzzDiagnose(f *testing.F) {
	body := webhook.TestEvent("e", "p", timeZero).Marshal()
	f.Add(body, webhook.Sign("k", body), "k")
	f.Add([]byte("{\"a\":[1.0,\"<\u00fc>\"]}\r\n"), "sha256=00", "k\n")
	f.Add([]byte{0xef, 0xbb, 0xbf, 0xfc}, "", "")
	f.Fuzz(func(t *testing.T, body []byte, header, secret string) {
		if len(body) > 4096 {
			return
		}
		d := Diagnose(Input{Body: body, Header: header, Secret: Secret{"s", secret}})
		if d.Code == "" || d.Verdict == "" {
			t.Fatalf("empty diagnosis for %q %q", body, header)
		}
		if d.Verified != (webhook.Verify(secret, body, header) == nil) {
			t.Fatalf("Verified = %v disagrees with webhook.Verify for %q %q", d.Verified, body, header)
		}
	})
}

var timeZero = time.Time{}
