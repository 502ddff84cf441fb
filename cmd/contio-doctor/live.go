package main

import (
	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/doctor"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

// liveShared builds what live checks share in one run (the probe client,
// its budget and memo); an offline run shares nothing.
func liveShared(ig *integration.Integration, live, insecure bool) any {
	if !live {
		return nil
	}
	return checks.NewLive(ig, probe.Options{InsecureSkipVerify: insecure, UserAgent: "contio-doctor/" + doctor.ToolVersion()})
}
