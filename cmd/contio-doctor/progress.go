package main

import (
	"fmt"
	"net/url"

	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/redact"
)

// progress shows, on a terminal's stderr only, that a live run is probing
// the API, and returns the function that clears the line. Pipes, files and
// CI logs get nothing: machine formats own stdout, and stderr stays quiet.
func (e *env) progress(live bool, ig *integration.Integration, red *redact.Redactor) (done func()) {
	if !live || !isTerminal(e.stderr) {
		return func() {}
	}
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
	fmt.Fprint(e.stderr, red.String("contio-doctor: probing "+hosts+" …"))
	return func() { fmt.Fprint(e.stderr, "\r\033[K") }
}
