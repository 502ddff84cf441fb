package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/Contio-AI/contio-doctor/internal/config"
)

func (e *env) initCmd() *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter " + config.DefaultFile,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if errors.Is(err, fs.ErrExist) {
				return usageErr(fmt.Errorf("%s already exists; not overwriting it (remove it or pass --config another path)", path))
			}
			if err != nil {
				return usageErr(err)
			}
			if _, err := f.WriteString(config.Starter); err != nil {
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
	return cmd
}
