package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/Contio-AI/contio-doctor/internal/config"
	"github.com/Contio-AI/contio-doctor/internal/integration"
)

func (e *env) initCmd() *cobra.Command {
	var path string
	var from []string
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter " + config.DefaultFile + " (or one read from the code with --from)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			body := config.Starter
			if len(from) > 0 {
				ig := &integration.Integration{}
				if err := attachScan(cmd.Context(), ig, from, 0); err != nil {
					return err
				}
				body = config.FromCode(ig.Code, filepath.Dir(path))
			}
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if errors.Is(err, fs.ErrExist) {
				return usageErr(fmt.Errorf("%s already exists; not overwriting it (remove it or pass --config another path)", path))
			}
			if err != nil {
				return usageErr(err)
			}
			if _, err := f.WriteString(body); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, `wrote %s
next: export CONTIO_CLIENT_ID=... CONTIO_CLIENT_SECRET=... (from the Partner Dashboard),
      replace the app.example.com URLs with your app's, then run: contio-doctor
  or: run "contio-doctor sandbox" in another terminal and paste its export lines
      to check this file against the built-in sandbox first
`, path)
			return nil
		},
	}
	cmd.Flags().StringVarP(&path, "config", "c", config.DefaultFile, "where to write the starter config")
	stringArrayVar(cmd.Flags(), &from, "from", "write the config from the code at PATH (repeatable): its calls, scopes, redirect URI, retries, webhook route")
	return cmd
}
