package main

import (
	"path/filepath"
	"time"

	"github.com/Contio-AI/contio-doctor/diagnosis"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

// liveProbe builds the probe client of a live run; an offline run has none.
func (e *env) liveProbe(live, insecure bool, timeout time.Duration) *probe.Client {
	if !live {
		return nil
	}
	return probe.New(probe.Options{InsecureSkipVerify: insecure, UserAgent: "contio-doctor/" + diagnosis.ToolVersion(),
		Timeout: probeDeadline(timeout), Memory: e.quotaMemory()})
}

// quotaMemory is where runs leave each other the quota they saw: the
// user's cache directory ($XDG_CACHE_HOME, else ~/.cache), or nowhere.
func (e *env) quotaMemory() *probe.QuotaMemory {
	dir, ok := e.lookupEnv("XDG_CACHE_HOME")
	if !ok || dir == "" || !filepath.IsAbs(dir) {
		home, ok := e.lookupEnv("HOME")
		if !ok || home == "" {
			return nil
		}
		dir = filepath.Join(home, ".cache")
	}
	return &probe.QuotaMemory{Path: filepath.Join(dir, "contio-doctor", "quota.json")}
}

// probeDeadline is how long one probe may take within a run bounded by
// timeout: three quarters of it, so that a probe to a host that hangs
// fails with the step it hung at while its check still has time to say
// so, well before the runner gives up on the check.
func probeDeadline(timeout time.Duration) time.Duration {
	if timeout <= 0 {
		return 0
	}
	return timeout * 3 / 4
}
