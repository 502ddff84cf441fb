package checks_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/diagnosis"

	"github.com/Contio-AI/contio-doctor/checks"
)

func TestRegistryIsValid(t *testing.T) {
	for _, err := range diagnosis.Validate(checks.All()) {
		t.Error(err)
	}
}

// wantedBy maps each wanted ID to the configs that want it.
func wantedBy(t *testing.T, paths []string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, p := range paths {
		ids, _, err := wants(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			out[id] = append(out[id], p)
		}
	}
	return out
}

func liveConfigs(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(testdataDir, "live", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

func TestEveryOfflineCheckHasAFaultConfig(t *testing.T) {
	faults, err := filepath.Glob(filepath.Join(testdataDir, "faults", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	wanted := wantedBy(t, faults)
	for _, c := range offlineChecks() {
		if c.Needs&diagnosis.NeedsCapture != 0 {
			continue // held to a testdata/har capture by TestEveryCaptureCheckHasACapture
		}
		if c.Needs&diagnosis.NeedsSource != 0 {
			continue // held to testdata/scan/faulty by TestEverySourceCheckHasAFaultySample
		}
		if len(wanted[c.ID]) == 0 {
			t.Errorf("%s (%s) has no testdata/faults/%s-<short-name>.yaml with `# want: %s`", c.ID, c.Name, c.ID, c.ID)
		}
	}
}

func TestEveryNetworkCheckHasALiveConfig(t *testing.T) {
	live := liveConfigs(t)
	if len(live) == 0 {
		// Live configs arrive with the probes; until then there is nothing to hold them to.
		t.Log("no testdata/live/*.yaml yet: network checks are not held to a live config")
		return
	}
	wanted := wantedBy(t, live)
	for _, c := range checks.All() {
		if c.Needs&diagnosis.NeedsNetwork != 0 && len(wanted[c.ID]) == 0 {
			t.Errorf("%s (%s) is a network check no testdata/live/*.yaml wants", c.ID, c.Name)
		}
	}
}

func TestTestdataWantsOnlyRegisteredChecks(t *testing.T) {
	paths := append(faultConfigs(t), liveConfigs(t)...)
	for id, where := range wantedBy(t, paths) {
		c, ok := diagnosis.Lookup(id)
		if !ok {
			t.Errorf("%s want unknown check %s", strings.Join(where, ", "), id)
			continue
		}
		for _, p := range where {
			inLive := filepath.Base(filepath.Dir(p)) == "live"
			if network := c.Needs&diagnosis.NeedsNetwork != 0; network && !inLive {
				t.Errorf("%s wants %s (%s), a network check the offline harness never runs; put it under testdata/live", p, id, c.Name)
			}
		}
	}
}

// A fault config is named after the check it exists for; that check must
// be among the ones it wants, so renaming or re-scoping a case stays honest.
func TestFaultConfigNamesMatchTheirWants(t *testing.T) {
	faults, err := filepath.Glob(filepath.Join(testdataDir, "faults", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range faults {
		base := filepath.Base(p)
		id, _, _ := strings.Cut(base, "-")
		if !idShape.MatchString(id) {
			t.Errorf("%s: name it <ID>-<short-name>.yaml, e.g. CD1103-basic-auth-newline.yaml", p)
			continue
		}
		ids, _, err := wants(p)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(ids, id) {
			t.Errorf("%s is named for %s but its # want: is %v", p, id, ids)
		}
	}
}
