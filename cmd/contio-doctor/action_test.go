package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestActionBuildsFromItsCheckout runs action.yml's install and run steps
// as GitHub would, with its default inputs: before any release exists the
// action must build the doctor from its own checkout (no go install of a
// tag that does not exist), then run it once with the SARIF report and
// record the exit code. A stand-in go on PATH records what the step runs
// (a real build would cost a cold compile of the whole module).
func TestActionBuildsFromItsCheckout(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash here")
	}
	inRepoRoot(t)
	root, _ := os.Getwd()
	raw, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]struct {
			Default string `yaml:"default"`
		} `yaml:"inputs"`
		Runs struct {
			Steps []struct {
				ID  string `yaml:"id"`
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(raw, &action); err != nil {
		t.Fatal(err)
	}
	if v := action.Inputs["version"].Default; v != "source" {
		t.Fatalf("version defaults to %q: a go install of it fails until a release is published", v)
	}
	script := map[string]string{}
	for _, s := range action.Runs.Steps {
		script[s.ID] = s.Run
	}
	tmp := t.TempDir()
	out := filepath.Join(tmp, "github_output")
	log := filepath.Join(tmp, "log")
	fakeBin := filepath.Join(tmp, "path")
	os.Mkdir(fakeBin, 0o755)
	// go build -o BIN writes a stand-in doctor that logs its arguments.
	fakeGo := `#!/usr/bin/env bash
echo "go $PWD $*" >> "$LOG"
echo "cgo ${CGO_ENABLED-unset}" >> "$LOG"
while [ $# -gt 0 ]; do
  if [ "$1" = "-o" ]; then
    printf '#!/usr/bin/env bash\necho "doctor $*" >> "$LOG"\necho sarif > contio-doctor.sarif\nexit 1\n' > "$2"; chmod +x "$2"
  fi
  shift
done
`
	if err := os.WriteFile(filepath.Join(fakeBin, "go"), []byte(fakeGo), 0o755); err != nil {
		t.Fatal(err)
	}
	step := func(id string, env ...string) {
		t.Helper()
		cmd := exec.Command(bash, "-c", script[id])
		cmd.Dir = tmp
		cmd.Env = append(os.Environ(), append(env, "RUNNER_TEMP="+tmp, "GITHUB_OUTPUT="+out, "LOG="+log,
			"PATH="+fakeBin+string(os.PathListSeparator)+os.Getenv("PATH"))...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("step %s: %v\n%s", id, err, b)
		}
	}
	step("install", "VERSION=source", "ACTION_PATH="+root)
	outputs, _ := os.ReadFile(out)
	bin := strings.TrimPrefix(strings.TrimSpace(string(outputs)), "bin=")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("install step built nothing at %q: %v", bin, err)
	}
	step("run", "BIN="+bin, "CONFIG=contio-doctor.yaml", "FAIL_ON=warning", "EXTRA_ARGS=--offline --report junit=j.xml")
	outputs, _ = os.ReadFile(out)
	if !strings.Contains(string(outputs), "exit-code=1") {
		t.Errorf("run step outputs %q, want the doctor's exit-code=1", outputs)
	}
	got, _ := os.ReadFile(log)
	for _, want := range []string{
		"go " + root + " build -trimpath -o " + bin + " ./cmd/contio-doctor\n",
		"doctor run --fail-on warning --report sarif=contio-doctor.sarif --config contio-doctor.yaml --offline --report junit=j.xml\n",
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("the steps ran:\n%s\nwant a line %q", got, want)
		}
	}
	// A forced static build could not scan a Node app (the grammars are C).
	if strings.Contains(string(got), "cgo 0\n") {
		t.Errorf("the install step forces CGO_ENABLED=0, so --scan cannot read JavaScript or TypeScript:\n%s", got)
	}
	if strings.Contains(string(got), "install") {
		t.Errorf("the default version ran go install:\n%s", got)
	}
}
