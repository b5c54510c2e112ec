package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/odoo-sessions/odoo-sessions/odoo"
)

// infoOutput is the --json output of info.
type infoOutput struct {
	URL            string   `json:"url"`
	ServerVersion  string   `json:"server_version,omitempty"`
	VersionError   string   `json:"version_error,omitempty"`
	Databases      []string `json:"databases"`
	DatabasesError string   `json:"databases_error,omitempty"`
	RESTLogin      *bool    `json:"rest_login"`
	RESTLoginNote  string   `json:"rest_login_note,omitempty"`

	listingOff bool // the server does not list its databases (list_db)
}

func runInfo(ctx context.Context, g *globals, args []string) error {
	fs := newFlagSet(g, "info", "(--url URL | --profile NAME) [--json]")
	url := fs.String("url", "", "the Odoo server")
	asJSON := fs.Bool("json", false, "print one JSON document")
	profile := addProfileFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := g.applyProfile(fs, *profile); err != nil {
		return err
	}
	if *url == "" {
		return usagef("info: --url is required (or --profile)")
	}
	c, err := g.client(*url)
	if err != nil {
		return err
	}

	out, err := probeServer(ctx, c)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(g.env.Stdout, out)
	}
	printInfo(g, out)
	return nil
}

// probeServer asks the three questions at once, so that a server that
// never answers costs one timeout, not three. When none gets an answer
// from Odoo, that is the error.
func probeServer(ctx context.Context, c *odoo.Client) (infoOutput, error) {
	var (
		wg               sync.WaitGroup
		v                odoo.ServerVersion
		dbs              []string
		rest             bool
		verr, derr, rerr error
	)
	wg.Go(func() { v, verr = c.Version(ctx) })
	wg.Go(func() { dbs, derr = c.ListDatabases(ctx) })
	wg.Go(func() { rest, rerr = c.RESTRouteAvailable(ctx) })
	wg.Wait()
	if verr != nil && derr != nil && rerr != nil && unreachable(verr) {
		return infoOutput{}, verr
	}

	out := infoOutput{URL: c.URL(), Databases: []string{}}
	if verr != nil {
		out.VersionError = clean(verr.Error())
	} else {
		out.ServerVersion = clean(v.Version)
	}
	if derr != nil {
		out.DatabasesError = clean(derr.Error())
		out.listingOff = errors.Is(derr, odoo.ErrListingDisabled)
	}
	for _, d := range dbs {
		out.Databases = append(out.Databases, clean(d))
	}
	if rerr != nil {
		out.RESTLoginNote = clean(rerr.Error())
	} else {
		out.RESTLogin = &rest
	}
	return out, nil
}

func printInfo(g *globals, out infoOutput) {
	w := g.env.Stdout
	fmt.Fprintf(w, "server     %s\n", out.URL)
	if out.VersionError != "" {
		fmt.Fprintf(w, "version    unknown: %s\n", out.VersionError)
	} else {
		fmt.Fprintf(w, "version    %s\n", out.ServerVersion)
	}
	switch {
	case out.listingOff:
		fmt.Fprintln(w, "databases  not listed: the server's list_db option is off")
	case out.DatabasesError != "":
		fmt.Fprintf(w, "databases  not listed: %s\n", out.DatabasesError)
	case len(out.Databases) == 0:
		fmt.Fprintln(w, "databases  none listed")
	default:
		fmt.Fprintf(w, "databases  %s\n", strings.Join(out.Databases, ", "))
	}
	switch {
	case out.RESTLogin == nil:
		fmt.Fprintf(w, "REST login unknown: %s\n", out.RESTLoginNote)
	case *out.RESTLogin:
		fmt.Fprintln(w, "REST login /session/auth/login answers (base_rest_auth_user_service)")
	default:
		fmt.Fprintln(w, "REST login missing: logins go through /web/session/authenticate")
	}
}
