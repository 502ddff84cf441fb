package main

import (
	"github.com/Contio-AI/contio-doctor/checks"
	"github.com/Contio-AI/contio-doctor/internal/doctor"
	"github.com/Contio-AI/contio-doctor/internal/integration"
	"github.com/Contio-AI/contio-doctor/internal/probe"
)

func init() {
	newLiveShared = func(ig *integration.Integration, live bool, o *runOptions) (any, func(), error) {
		if !live {
			return nil, func() {}, nil
		}
		l := checks.NewLive(ig, probe.Options{InsecureSkipVerify: o.insecure, UserAgent: "contio-doctor/" + doctor.Version})
		return l, func() {}, nil
	}
}
