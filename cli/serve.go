package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/odoo-sessions/odoo-sessions/demoserver"
)

func runServeDemo(ctx context.Context, g *globals, args []string) error {
	fs := newFlagSet(g, "serve-demo", "[--listen 127.0.0.1:8069] [--odoo 15|16|17|18]")
	listen := fs.String("listen", "127.0.0.1:8069", "the address to listen on")
	major := fs.Int("odoo", g.odooMajor, "which Odoo to behave like: 15 (with the REST module), 16, 17 or 18")
	fs.Usage = func() {
		w := g.env.Stdout
		fmt.Fprintln(w, "usage: odoo-sessions serve-demo [--listen 127.0.0.1:8069] [--odoo 15|16|17|18]")
		fmt.Fprintln(w, "\nRuns the built-in Odoo-compatible server alone, for curl and other clients.")
		fmt.Fprintln(w, "It keeps everything in memory and forgets it when it stops.")
		fmt.Fprintln(w, "\ndemo users:")
		printDemoUsers(w, 0)
		fmt.Fprintln(w, "\nflags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *major < 15 || *major > 18 {
		return usagef("serve-demo: --odoo %d: expected 15, 16, 17 or 18", *major)
	}

	srv, err := newDemoServer(*major, g)
	if err != nil {
		return err
	}
	url, stop, err := srv.Start(*listen)
	if err != nil {
		return &exitError{code: ExitUsage, err: fmt.Errorf("serve-demo: listen on %s: %w", *listen, err)}
	}
	fmt.Fprintf(g.env.Stdout, "demo Odoo %d server at %s (database %s); stop with Ctrl-C\n",
		*major, url, demoserver.DemoDatabase)
	printDemoUsers(g.env.Stdout, *major)

	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return stop(shutdown)
}

// printDemoUsers lists the demo users of one version, or of all when major
// is 0.
func printDemoUsers(w io.Writer, major int) {
	users := demoserver.DemoUsers(major)
	if major == 0 {
		users = demoserver.DemoUsers(18)
	}
	for _, u := range users {
		fmt.Fprintln(w, "  "+demoUserLine(u))
	}
	if major == 0 || major >= 16 {
		fmt.Fprintln(w, "  (totp: Odoo 16 to 18 only; 'odoo-sessions demo-totp' prints its current code)")
	}
}

func demoUserLine(u demoserver.DemoUser) string {
	return strings.TrimRight(fmt.Sprintf("%-6s password %-6s %s", u.Login, u.Password, u.Note), " ")
}

// newDemoServer builds the demo server of one Odoo version.
func newDemoServer(major int, g *globals) (*demoserver.Server, error) {
	opts := demoserver.Demo(major, g.env.Now)
	opts.Logger = g.logger
	srv, err := demoserver.New(opts)
	if err != nil {
		return nil, fmt.Errorf("demo server: %w", err)
	}
	return srv, nil
}

func runDemoTOTP(_ context.Context, g *globals, args []string) error {
	fs := newFlagSet(g, "demo-totp", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	code, err := demoserver.TOTPCode(demoserver.DemoTOTPSecret, g.env.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(g.env.Stdout, code)
	return nil
}
