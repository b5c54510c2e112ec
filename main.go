// Command odoo-sessions is a terminal console for people who run and test
// Odoo servers: it logs users in and out through Odoo's session endpoints,
// keeps every session id it got in view with a live countdown to its
// expiry, and tests each way Odoo accepts a session id.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/odoo-sessions/odoo-sessions/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.DefaultEnv())
	stop()
	os.Exit(code)
}
