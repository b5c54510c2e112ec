// Package cli parses the command line of odoo-sessions and runs its
// commands: the console, the built-in demo server, and the one-shot
// login, check, logout, list, track and info commands.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// Exit codes shared by every command.
const (
	ExitOK          = 0 // done, every check accepted
	ExitRefused     = 1 // the server answered and refused
	ExitUsage       = 2 // the command line is wrong, or a local file cannot be used
	ExitUnreachable = 3 // no answer, or an answer that is not Odoo's
)

// Env is what a command may touch of the outside world, so tests can run
// commands in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads an environment variable.
	Getenv func(string) string
	// Now is the clock.
	Now func() time.Time
	// ReadPassword reads a secret from the terminal without echo; nil when
	// standard input is not a terminal.
	ReadPassword func(prompt string) (string, error)
	// Logger receives the operations log; it never reaches the terminal.
	Logger *slog.Logger
}

// usageError is a command-line mistake: exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// local marks err as a problem with a local file, such as the sessions
// file or its folders: exit 2, as the configuration's problems do, never 1,
// which says that a server refused.
func local(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: ExitUsage, err: err}
}

// exitError carries an exit code with an error already explained to the user.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

const commandsHelp = `usage: odoo-sessions [flags] [command] [command flags]

Without a command, odoo-sessions opens the console.

commands:
  serve-demo   run the built-in Odoo-compatible server alone
  serve-ssh    serve the console over SSH to the keys of an authorized_keys file
  login        log in and track the session
  check        test a sid through each transport
  logout       log a sid out
  list         show the tracked sessions
  track        track a sid obtained elsewhere
  info         what a server is: version, databases, REST login route
  devices      the sessions Odoo 18 records for a sid's user (res.device)
  demo-totp    print the current two-factor code of the demo user totp

Run 'odoo-sessions COMMAND --help' for the flags of a command.

flags:
`

// configFree are the commands that do not read the configuration file.
var configFree = []string{"serve-demo", "demo-totp"}

type command struct {
	name string
	run  func(ctx context.Context, g *globals, args []string) error
}

func commands() []command {
	return []command{
		{"serve-demo", runServeDemo},
		{"serve-ssh", runServeSSH},
		{"login", runLogin},
		{"check", runCheck},
		{"logout", runLogout},
		{"list", runList},
		{"track", runTrack},
		{"info", runInfo},
		{"devices", runDevices},
		{"demo-totp", runDemoTOTP},
	}
}

// Run runs the command line args (without the program name) and returns
// the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	g, rest, err := parseGlobals(args, env)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil {
		return report(env.Stderr, err)
	}
	defer g.close()
	if len(rest) == 0 {
		return report(env.Stderr, runConsole(ctx, g))
	}
	if rest[0] == "help" {
		// "help" and "help COMMAND" are the same as the --help flags.
		rest = append(rest[1:], "--help")
		if len(rest) == 1 {
			return Run(ctx, rest, env)
		}
	}
	for _, c := range commands() {
		if c.name == rest[0] {
			err := c.run(ctx, g, rest[1:])
			if errors.Is(err, flag.ErrHelp) {
				return ExitOK
			}
			return report(env.Stderr, err)
		}
	}
	return report(env.Stderr, usagef("unknown command %q: expected one of %s",
		rest[0], commandNames()))
}

func commandNames() string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

// report prints err as one line on stderr and returns its exit code.
func report(stderr io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	code := exitCode(err)
	if msg := err.Error(); msg != "" {
		fmt.Fprintf(stderr, "odoo-sessions: %s\n", odoo.Sanitize(msg, 400))
	}
	return code
}

// warn prints err as a one-line warning on stderr: something went wrong
// that does not stop the command.
func (g *globals) warn(err error) {
	fmt.Fprintf(g.env.Stderr, "odoo-sessions: warning: %s\n", odoo.Sanitize(err.Error(), 400))
}

func exitCode(err error) int {
	var ue *usageError
	var ee *exitError
	switch {
	case errors.As(err, &ue):
		return ExitUsage
	case errors.As(err, &ee):
		return ee.code
	case localFile(err):
		return ExitUsage
	case unreachable(err):
		return ExitUnreachable
	case errors.Is(err, odoo.ErrTransportIgnored):
		// The server answered: it does not read the sid that way.
		return ExitRefused
	default:
		return ExitRefused
	}
}

// localFile reports whether err refuses the sessions file or one of its
// folders, for errors that reach Run without passing through local.
func localFile(err error) bool {
	return errors.As(err, new(*sessions.PermissionError)) || errors.As(err, new(*sessions.CorruptError)) ||
		errors.As(err, new(*sessions.VersionError))
}

// unreachable reports whether err means the server could not be reached
// or did not answer as Odoo.
func unreachable(err error) bool {
	for _, target := range []error{
		odoo.ErrUnreachable, odoo.ErrTLS, odoo.ErrTimeout, odoo.ErrNotOdoo,
		odoo.ErrRouteMissing,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints its usage to stdout when asked with --help.
func newFlagSet(g *globals, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(g.env.Stdout, "usage: odoo-sessions %s %s\n\nflags:\n", name, synopsis)
		fs.SetOutput(g.env.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parseFlags parses args and turns flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return err // the flag package has printed the usage
	}
	if err != nil {
		return usagef("%s: %v (see 'odoo-sessions %s --help')", fs.Name(), err, fs.Name())
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q (see 'odoo-sessions %s --help')",
			fs.Name(), fs.Arg(0), fs.Name())
	}
	return nil
}

// DefaultEnv is the environment of the running process.
func DefaultEnv() Env {
	return Env{
		Stdin:        os.Stdin,
		Stdout:       os.Stdout,
		Stderr:       os.Stderr,
		Getenv:       os.Getenv,
		Now:          time.Now,
		ReadPassword: terminalPassword(),
	}
}
