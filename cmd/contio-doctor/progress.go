package main

import (
	"fmt"
	"io"
	"net/url"
	"sync"
	"time"

	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

// progressEvery is how often the progress line is redrawn.
const progressEvery = 100 * time.Millisecond

// progress shows, on a terminal's stderr only, how far a live run has got:
// the probes answered so far out of the most the run may send, and the
// time spent. It returns the function that stops it and clears the line.
// Pipes, files and CI logs get nothing: machine formats own stdout, and
// stderr stays quiet.
func (e *env) progress(client *probe.Client, ig *integration.Integration, red *redact.Redactor, noColor bool) (done func()) {
	if client == nil || !e.stderrIsTTY() {
		return func() {}
	}
	total := 0
	for _, n := range probe.DefaultBudget {
		total += n
	}
	count := func() int { return len(client.Exchanges()) }
	return startProgress(e.stderr, progressHosts(ig), total, count, newPalette(e.useColour(true, noColor)), red)
}

// startProgress redraws the line from count until done is called.
func startProgress(w io.Writer, hosts string, total int, count func() int, pal palette, red *redact.Redactor) (done func()) {
	start := time.Now()
	draw := func() {
		line := progressLine(hosts, count(), total, time.Since(start))
		fmt.Fprint(w, "\r\033[K"+pal.dim.Sprint(red.String(line)))
	}
	draw()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				draw()
			}
		}
	}()
	return func() {
		close(stop)
		wg.Wait()
		fmt.Fprint(w, "\r\033[K")
	}
}

// progressLine is one state of the progress line.
func progressLine(hosts string, done, total int, elapsed time.Duration) string {
	return fmt.Sprintf("contio-doctor: probing %s: %d of at most %d requests, %.1fs", hosts, done, total, elapsed.Seconds())
}

// progressHosts names the hosts a run probes, for the progress line.
func progressHosts(ig *integration.Integration) string {
	hosts := ""
	for _, v := range []integration.Value{ig.APIURL, ig.AuthURL} {
		if u, err := url.Parse(v.Raw); err == nil && u.Host != "" && u.Host != hosts {
			if hosts != "" {
				hosts += " and "
			}
			hosts += u.Host
		}
	}
	if hosts == "" {
		hosts = "the Contio API"
	}
	return hosts
}
