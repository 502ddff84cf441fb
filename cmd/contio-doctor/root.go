package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/Contio-AI/contio-doctor/diagnosis"
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErr marks err as a usage or config error: exit 2.
func usageErr(err error) error { return &exitError{code: diagnosis.ExitUsage, err: err} }

// exitCode is a clean exit with a code and nothing more to print.
func exitCode(code int) error { return &exitError{code: code} }

// env is the process environment as the commands see it; tests replace it.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	lookupEnv      func(string) (string, bool)
	getwd          func() (string, error)
	// isTTY and stderrTTY report whether stdout and stderr are terminals.
	isTTY, stderrTTY bool
	// columns is stdout's terminal width (0: unknown or not a terminal).
	columns int
	// clock and runID fix a run's time and identifier (tests); nil and ""
	// mean the real clock and a random ID.
	clock func() time.Time
	runID string
}

// run is the whole program; main exits once with what it returns.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, lookupEnv: os.LookupEnv, getwd: os.Getwd, isTTY: isTerminal(stdout), stderrTTY: isTerminal(stderr), columns: terminalColumns(stdout)}
	return e.run(args)
}

func (e *env) run(args []string) (code int) {
	defer func() {
		if p := recover(); p != nil {
			// Never print the panic value: it may hold a secret.
			fmt.Fprintln(e.stderr, e.stderrPalette(args).err.Sprint("contio-doctor: internal error")+" (please report it with the command you ran)")
			code = diagnosis.ExitInternal
		}
	}()
	root := e.rootCmd()
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	err := root.Execute()
	if err == nil {
		return diagnosis.ExitOK
	}
	prefix := e.stderrPalette(args).err.Sprint("contio-doctor:")
	var xe *exitError
	if errors.As(err, &xe) {
		if xe.err != nil {
			fmt.Fprintln(e.stderr, prefix+" "+xe.err.Error())
		}
		return xe.code
	}
	// Errors from cobra itself: unknown flag, bad argument.
	fmt.Fprintln(e.stderr, prefix+" "+err.Error())
	return diagnosis.ExitUsage
}

func (e *env) rootCmd() *cobra.Command {
	ro := &runOptions{}
	root := &cobra.Command{
		Use:   "contio-doctor",
		Short: "Diagnose an integration with the Contio Partner API",
		Long: `contio-doctor reads contio-doctor.yaml (or the CONTIO_* environment variables),
checks the integration offline, probes the API with safe read-only requests, and
prints each problem as symptom, cause and fix, as Contio's troubleshooting guide
lays them out.

Start with "contio-doctor demo" to see a report against the built-in sandbox.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above --fail-on,
2 usage or config error, 3 the doctor itself failed. They never depend on --format.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       diagnosis.ToolVersion(),
		Args:          rootArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.runDoctor(cmd, ro)
		},
	}
	root.SetFlagErrorFunc(flagError)
	root.SuggestionsMinimumDistance = 2
	root.SetVersionTemplate("contio-doctor {{.Version}}\n")
	ro.bind(root)
	runCmd := &cobra.Command{
		Use:   "run",
		Short: "Run the checks (the default command)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.runDoctor(cmd, ro)
		},
	}
	ro.bind(runCmd)
	root.AddCommand(runCmd, e.checksCmd(), e.explainCmd(), e.initCmd(), e.versionCmd())
	for _, mk := range extraCommands {
		root.AddCommand(mk(e))
	}
	return root
}

// extraCommands are the commands that live in their own files (demo,
// sandbox, webhook, har); each file appends its constructor at init.
var extraCommands []func(*env) *cobra.Command
