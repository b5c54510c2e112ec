package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/charmbracelet/x/term"

	"github.com/odoo-sessions/odoo-sessions/config"
	"github.com/odoo-sessions/odoo-sessions/odoo"
)

// globals holds what every command shares: flags before the command name,
// the configuration, the logger and the environment.
type globals struct {
	env     Env
	cfg     config.Config
	logger  *slog.Logger
	logFile io.Closer
	// outMu serialises what goroutines print on env.Stdout.
	outMu sync.Mutex

	demo       bool
	odooMajor  int
	storePath  string
	configPath string
	// configFile is the configuration file read, "" when none could be
	// found.
	configFile string
}

func parseGlobals(args []string, env Env) (*globals, []string, error) {
	g := &globals{env: env}
	fs := flag.NewFlagSet("odoo-sessions", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	logPath := fs.String("log", "", "write the operations log to this file "+
		"(default: the user cache folder, odoo-sessions/odoo-sessions.log)")
	debug := fs.Bool("debug", false, "log at debug level")
	fs.BoolVar(&g.demo, "demo", false, "start the built-in demo server and open the console on it")
	fs.IntVar(&g.odooMajor, "odoo", 15, "with --demo: which Odoo the demo server behaves like (15 to 18)")
	fs.StringVar(&g.storePath, "store", "", "the tracked sessions file "+
		"(default: $XDG_STATE_HOME/odoo-sessions/sessions.json)")
	fs.StringVar(&g.configPath, "config", "", "the configuration file "+
		"(default: the user configuration folder, odoo-sessions/config.json)")
	fs.Usage = func() {
		fmt.Fprint(env.Stdout, commandsHelp)
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil, nil, err
		}
		return nil, nil, usagef("%v (see 'odoo-sessions --help')", err)
	}
	if g.odooMajor < 15 || g.odooMajor > 18 {
		return nil, nil, usagef("--odoo %d: expected 15, 16, 17 or 18", g.odooMajor)
	}
	// Commands that need no configuration (serve-demo, demo-totp) run
	// whatever the file holds; the others load it.
	g.cfg = config.Default()
	if rest := fs.Args(); len(rest) == 0 || !slices.Contains(configFree, rest[0]) {
		if err := g.loadConfig(); err != nil {
			return nil, nil, err
		}
	}
	g.openLog(*logPath, *debug)
	return g, fs.Args(), nil
}

func (g *globals) loadConfig() error {
	path := g.configPath
	if path == "" {
		p, err := config.DefaultPath()
		if err != nil {
			g.cfg = config.Default()
			return nil
		}
		path = p
	}
	if g.configPath != "" {
		// A file named on the command line is meant to be read.
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return usagef("--config %s: no such file", path)
		}
	}
	cfg, err := config.Load(path)
	if err != nil {
		return &exitError{code: ExitUsage, err: err}
	}
	g.cfg, g.configFile = cfg, path
	return nil
}

// openLog points the logger at a file; when the file cannot be opened the
// log is discarded, since nothing may write to the terminal the console
// draws on.
func (g *globals) openLog(path string, debug bool) {
	if g.env.Logger != nil {
		g.logger = g.env.Logger
		return
	}
	g.logger = slog.New(slog.DiscardHandler)
	if path == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return
		}
		path = filepath.Join(dir, "odoo-sessions", "odoo-sessions.log")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return
	}
	level := slog.LevelInfo
	if debug {
		level = slog.LevelDebug
	}
	g.logFile = f
	g.logger = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: level}))
}

func (g *globals) close() {
	if g.logFile != nil {
		g.logFile.Close()
	}
}

// client returns an Odoo client for url with the configured timeout.
func (g *globals) client(url string) (*odoo.Client, error) {
	u, err := config.ParseServerURL(url)
	if err != nil {
		return nil, usagef("--url: %v", err)
	}
	return g.newClient(u)
}

func (g *globals) newClient(url string) (*odoo.Client, error) {
	return odoo.New(url, odoo.WithLogger(g.logger), odoo.WithTimeout(g.cfg.Timeout.Duration),
		odoo.WithClock(g.env.Now))
}

// terminalPassword returns a reader of secrets from the terminal, or nil
// when standard input is not one.
func terminalPassword() func(string) (string, error) {
	fd := os.Stdin.Fd()
	if !term.IsTerminal(fd) {
		return nil
	}
	return func(prompt string) (string, error) {
		fmt.Fprint(os.Stderr, prompt)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(os.Stderr)
		return string(b), err
	}
}
