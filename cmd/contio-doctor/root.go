package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

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
	// term, when set, answers the three above instead, each on first use
	// (run: most lines never need the ioctls; tests set the fields).
	term *terminal
	// clock and runID fix a run's time and identifier (tests); nil and ""
	// mean the real clock and a random ID.
	clock func() time.Time
	runID string
	// fullTree builds every command whatever the line invokes, and
	// rebuilds counts the lines rootCmd built too little for (tests).
	fullTree bool
	rebuilds int
	// exit ends the process from outside the command's goroutine (stuck);
	// nil means os.Exit. args is the command line being run.
	exit func(code int)
	args []string
}

// stuck ends the process when an offline check has run for the whole
// timeout. Offline checks run in turn on the command's goroutine, which
// cannot be taken back from a check that ignores its context; such a check
// is a bug in the doctor, so the run ends as the doctor's own failure,
// naming the check and how to run without it.
func (e *env) stuck(id string, after time.Duration) {
	fmt.Fprintf(e.stderr, "%s check %s did not finish within %s; this is a bug in contio-doctor (please report it with the command you ran); --skip %s runs without it\n",
		e.stderrPalette(e.args).err.Sprint("contio-doctor:"), id, after, id)
	exit := e.exit
	if exit == nil {
		exit = os.Exit
	}
	exit(diagnosis.ExitInternal)
}

// run is the whole program; main exits once with what it returns.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, lookupEnv: os.LookupEnv, getwd: os.Getwd, term: detectTerminal(stdout, stderr)}
	return e.run(args)
}

func (e *env) run(args []string) (code int) {
	e.args = args
	defer func() {
		if p := recover(); p != nil {
			// Never print the panic value: it may hold a secret.
			fmt.Fprintln(e.stderr, e.stderrPalette(args).err.Sprint("contio-doctor: internal error")+" (please report it with the command you ran)")
			code = diagnosis.ExitInternal
		}
	}()
	err := e.execute(args, e.fullTree)
	if errors.Is(err, errNotBuilt) {
		// Nothing has run or printed yet: again, with every command.
		e.rebuilds++
		err = e.execute(args, true)
	}
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

// execute builds the command tree for args (whole if full) and runs it.
func (e *env) execute(args []string, full bool) error {
	root := e.rootCmd(args, full)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	return root.Execute()
}

// rootCmd builds the command tree for one command line. Only what args
// invoke is built: the root (always: it is the run command and the parent)
// and the one subcommand args name, if any. When the line may need every
// command (help, completion, a word that names none of them, arguments
// for the root to refuse, or full), everything is built. The root goes
// without its flags and version when the line starts with a subcommand's
// name: then nothing reads them.
func (e *env) rootCmd(args []string, full bool) *cobra.Command {
	full = full || needsHelp(args)
	target, rootFlags := "", true
	if !full && len(args) > 0 && args[0] != "" && !strings.HasPrefix(args[0], "-") {
		// The first word names the command whatever the root's flags are:
		// cobra's Find does not read them for it. Not a command's name:
		// help, completion, a typo or a config file; each may list them all.
		if isSubcommand(args[0]) {
			target, rootFlags = args[0], false
		} else {
			full = true
		}
	}
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
		Args:          rootArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.runDoctor(cmd, ro)
		},
	}
	root.SetFlagErrorFunc(flagError)
	root.SuggestionsMinimumDistance = 2
	root.SetVersionTemplate("contio-doctor {{.Version}}\n")
	if rootFlags {
		// The root runs (or its flags come before the command's name):
		// it needs its version (the --version flag) and its flags.
		root.Version = diagnosis.ToolVersion()
		ro.bind(root)
	}
	if !full && rootFlags {
		// Flags first: find the command past them and their values.
		switch w, rest := firstWord(args, root.Flags()); {
		case rest:
			full = true
		case w == "":
		case isSubcommand(w):
			target = w
		default:
			full = true
		}
	}
	if !full {
		// Nothing on this line can reach the completion command.
		root.CompletionOptions.DisableDefaultCmd = true
	}
	for _, s := range subcommands() {
		if full || s.name == target {
			root.AddCommand(s.build(e))
		}
	}
	switch {
	case !full && !rootFlags:
		// The root must not run: if cobra chose it, say so before it reads
		// a flag, and the line runs again on the whole tree.
		root.DisableFlagParsing = true
		root.Args = func(*cobra.Command, []string) error { return errNotBuilt }
	case !full:
		// Had cobra found a command that is not built, its name would reach
		// the root as an argument.
		root.Args = func(_ *cobra.Command, words []string) error {
			if len(words) > 0 {
				return errNotBuilt
			}
			return nil
		}
	}
	return root
}

// runCmd is `contio-doctor run`, the root's own run by name.
func (e *env) runCmd() *cobra.Command {
	ro := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the checks (the default command)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.runDoctor(cmd, ro)
		},
	}
	ro.bind(cmd)
	return cmd
}

// subcommand is one command under the root: the name cobra finds it by
// (the first word of its Use), and how to build it.
type subcommand struct {
	name  string
	build func(*env) *cobra.Command
}

// builtinCommands are the root's own commands.
var builtinCommands = [...]subcommand{
	{"run", (*env).runCmd},
	{"checks", (*env).checksCmd},
	{"explain", (*env).explainCmd},
	{"init", (*env).initCmd},
	{"version", (*env).versionCmd},
}

// subcommands are the root's commands, in the order they are added.
func subcommands() []subcommand {
	return append(builtinCommands[:len(builtinCommands):len(builtinCommands)], extraCommands...)
}

// extraCommands are the commands that live in their own files (demo,
// sandbox, webhook, har); each file appends its name and constructor at
// init.
var extraCommands []subcommand

// errNotBuilt says rootCmd guessed wrong: the line invokes a command it
// did not build.
var errNotBuilt = errors.New("contio-doctor: the command line needs a command that was not built")

func isSubcommand(name string) bool {
	for _, s := range builtinCommands {
		if s.name == name {
			return true
		}
	}
	for _, s := range extraCommands {
		if s.name == name {
			return true
		}
	}
	return false
}

// needsHelp reports whether args may ask for help (--help, -h, -vh, ...):
// help lists every command, so it needs them all.
func needsHelp(args []string) bool {
	for _, a := range args {
		if a == "--help" || strings.HasPrefix(a, "--help=") ||
			(strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "h")) {
			return true
		}
	}
	return false
}

// firstWord is the first argument that is not a flag or a flag's value,
// as cobra's Find reads the root's flags ("" when there is none before
// "--"): a long flag that is not bool (or not known) takes the next
// argument unless it has "=", and so does a lone short flag. rest reports
// arguments before it that are no command but still reach the root as
// arguments: "", "-" and whatever follows "--".
func firstWord(args []string, flags *pflag.FlagSet) (word string, rest bool) {
	for i := 0; i < len(args); i++ {
		s := args[i]
		switch {
		case s == "--":
			return "", i+1 < len(args)
		case s == "" || s == "-":
			return "", true
		case strings.HasPrefix(s, "--") && !strings.Contains(s, "=") && !noOptDefVal(flags.Lookup(s[2:])),
			strings.HasPrefix(s, "-") && !strings.Contains(s, "=") && len(s) == 2 && !noOptDefVal(flags.ShorthandLookup(s[1:])):
			i++ // its value
		case !strings.HasPrefix(s, "-"):
			return s, false
		}
	}
	return "", false
}

func noOptDefVal(f *pflag.Flag) bool { return f != nil && f.NoOptDefVal != "" }
