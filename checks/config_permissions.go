package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/Contio-AI/contio-doctor/internal/contio"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

var _ = register(&Check{
	ID:      "CD1007",
	Name:    "config-readable-with-secret",
	Guide:   contio.GuideNone,
	Title:   "A config file holding a secret is readable by other users",
	Symptom: "Nothing fails, but other accounts on the machine (or in the container image) can read a working Contio credential.",
	Cause: "The config file spells out at least one secret and its permissions let the group or everyone read it, " +
		"as files created with the usual umask do.",
	Fix:      "Move the secret to an environment variable (see CD1006), or restrict the file to its owner.",
	Verifies: "a config file that contains a secret is readable by its owner only.",
	Severity: SeverityWarning,
	Needs:    NeedsConfig,
	Run:      configReadableWithSecret,
})

func configReadableWithSecret(_ context.Context, in *Input) ([]Finding, error) {
	ig := in.Integration
	if ig.ConfigPath == "" {
		return nil, Skip("no config file", "pass --config or create contio-doctor.yaml")
	}
	if ig.ConfigMode == 0 {
		return nil, Skip("the config file's permissions are unknown on this system", "run on a system with Unix file permissions")
	}
	perm := ig.ConfigMode.Perm()
	if perm&0o044 == 0 {
		return nil, nil // private: no need to list the secrets
	}
	lits := literalSecrets(ig)
	if len(lits) == 0 {
		return nil, nil
	}
	var names []string
	for _, s := range lits {
		names = append(names, s.Name)
	}
	who := "its group"
	if perm&0o004 != 0 {
		who = "every user"
	}
	return []Finding{{
		Message: fmt.Sprintf("%s has mode %04o, readable by %s, and holds %s", ig.ConfigPath, uint32(perm), who,
			strings.Join(names, ", ")),
		Location: integration.Source{File: ig.ConfigPath},
		Commands: []string{"chmod 600 " + shellQuote(ig.ConfigPath)},
	}}, nil
}

// shellQuote quotes a path for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
