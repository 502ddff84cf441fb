package checks

import (
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func TestSecretLiteralInConfig(t *testing.T) {
	ig := credIG()
	assertMessages(t, credMessages(t, "CD1006", ig))

	ig.Webhooks.Secret.Literal = true
	ig.Webhooks.Secret.From.EnvVar = ""
	ig.OAuth.ClientID.Literal = true // a client ID is no secret
	fs, err := credRun(t, "CD1006", ig)
	if err != nil || len(fs) != 1 {
		t.Fatalf("want one finding, got %d (%v)", len(fs), err)
	}
	if want := "webhooks.secret is written in the config file; use secret: ${CONTIO_WEBHOOK_SECRET} instead"; fs[0].Message != want {
		t.Errorf("message %q, want %q", fs[0].Message, want)
	}
	if fs[0].Location != ig.Webhooks.Secret.From || !strings.Contains(fs[0].Evidence, "sha256:") {
		t.Errorf("location %v evidence %q", fs[0].Location, fs[0].Evidence)
	}

	// Authorization values seen in a HAR capture are not "written in the file".
	ig = credIG()
	ig.Calls = append(ig.Calls, integration.Call{Authorization: integration.Value{Raw: "Bearer CANARYobserved", Set: true, Literal: true,
		From: integration.Source{File: "capture.har", HAREntry: 3}}})
	assertMessages(t, credMessages(t, "CD1006", ig))
}
