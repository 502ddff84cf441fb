package report

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

func TestWrapCommand(t *testing.T) {
	cmd := `$ curl -sS -X POST https://api.contio.ai/oauth2/token -H 'Authorization: Basic $(printf %s "$CONTIO_CLIENT_ID:$CONTIO_CLIENT_SECRET" | base64)' -d grant_type=authorization_code -d 'redirect_uri=https://app.example.com/oauth/callback'`
	lines := WrapCommand(cmd, 60)
	if len(lines) < 3 {
		t.Fatalf("not wrapped: %q", lines)
	}
	for i, l := range lines {
		last := i == len(lines)-1
		if !last && !strings.HasSuffix(l, ` \`) {
			t.Errorf("line %d has no continuation: %q", i, l)
		}
		if i > 0 && !strings.HasPrefix(l, "    ") {
			t.Errorf("line %d not indented: %q", i, l)
		}
		if w := lipgloss.Width(l); w > 60 && len(shellWords(strings.TrimSuffix(l, ` \`))) > 1 {
			t.Errorf("line %d is %d columns: %q", i, w, l)
		}
	}
	// The quoted header stays on one line.
	if !strings.Contains(strings.Join(lines, "\n"), `'Authorization: Basic $(printf %s "$CONTIO_CLIENT_ID:$CONTIO_CLIENT_SECRET" | base64)'`) {
		t.Errorf("a quoted word was split: %q", lines)
	}
	if got := WrapCommand("$ contio-doctor demo", 60); len(got) != 1 {
		t.Errorf("a short command was wrapped: %q", got)
	}
}

// TestWrappedCommandIsTheSameToAShell: sh reads the wrapped lines as the
// very words of the one-line command.
func TestWrappedCommandIsTheSameToAShell(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh here")
	}
	cmd := `printf '[%s]' one 'two words' "three $HOME-less" four\ five six seven eight nine ten eleven twelve`
	wrapped := strings.Join(WrapCommand("$ "+cmd, 30), "\n")
	wrapped = strings.TrimPrefix(wrapped, "$ ")
	one, err1 := exec.Command(sh, "-c", cmd).Output()
	two, err2 := exec.Command(sh, "-c", wrapped).Output()
	if err1 != nil || err2 != nil || string(one) != string(two) {
		t.Errorf("one line %q (%v)\nwrapped %q (%v)\n%s", one, err1, two, err2, wrapped)
	}
}
