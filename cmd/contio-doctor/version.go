package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/Contio-AI/contio-doctor/diagnosis"
)

func (e *env) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(e.stdout, "contio-doctor %s (%s, %s/%s)\n", diagnosis.ToolVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
