package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
	"github.com/odoo-sessions/odoo-sessions/ui"
)

// loginJSON is the --json output of login. Its sid is masked unless
// --show-sid asks for the whole one.
type loginJSON struct {
	URL           string   `json:"url"`
	DB            string   `json:"db"`
	Login         string   `json:"login"`
	UID           int      `json:"uid"`
	Name          string   `json:"name"`
	SID           string   `json:"sid"`
	ExpiresAt     *string  `json:"expires_at"`
	ServerVersion string   `json:"server_version"`
	Method        string   `json:"method"`
	Notes         []string `json:"notes,omitempty"`
	// RESTModule is the state of base_rest_auth_user_service on db, "absent"
	// when the server does not have it, "" when it could not be read.
	RESTModule      string    `json:"rest_module"`
	RESTModuleError string    `json:"rest_module_error,omitempty"`
	ObtainedAt      time.Time `json:"obtained_at"`
}

func runLogin(ctx context.Context, g *globals, args []string) error {
	fs := newFlagSet(g, "login", "(--url URL [--db DB] --login LOGIN | --profile NAME) [--password-stdin] "+
		"[--totp-code CODE] [--json] [--show-sid]")
	url := fs.String("url", "", "the Odoo server, such as http://localhost:8069")
	db := fs.String("db", "", "the database (may be left out when the server has one)")
	login := fs.String("login", "", "the user's login")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input "+
		"(otherwise from ODOO_PASSWORD, or a prompt without echo)")
	totp := fs.String("totp-code", "", "the six-digit two-factor code, for users who have one")
	asJSON := fs.Bool("json", false, "print one JSON document")
	showSID := fs.Bool("show-sid", false, "print the whole sid instead of a masked one")
	profile := addProfileFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := g.applyProfile(fs, *profile); err != nil {
		return err
	}
	if *url == "" || *login == "" {
		return usagef("login: --url and --login are required (or a --profile that names them)")
	}
	c, err := g.client(*url)
	if err != nil {
		return err
	}
	// A session that cannot be kept would be left logged in on the server
	// with nobody knowing its sid: make sure the store is usable first.
	if _, err := g.loadSessions(); err != nil {
		return err
	}
	// The prompt names the account, so that a password is typed for the
	// one it belongs to.
	account := fmt.Sprintf("%s on %s", clean(*login), host(c.URL()))
	password, err := g.password(*fromStdin, "Password for "+account+": ")
	if err != nil {
		return err
	}

	req := odoo.LoginRequest{DB: *db, Login: *login, Password: password, TOTPCode: *totp}
	res, err := loginWithTOTP(ctx, g, c, req, "Two-factor code for "+account+": ")
	if err != nil {
		return err
	}

	now := g.env.Now()
	s := ui.NewSession(c.URL(), *login, *db, res, now)
	module, unknown := ui.LookUpModule(c, req, res, host(c.URL()), g.cfg.Timeout.Duration)
	s.RESTModule = module
	if err := g.addSession(s); err != nil {
		return err
	}
	if *asJSON {
		out := loginOutput(c.URL(), *login, res, now)
		if !*showSID {
			out.SID = sessions.MaskSID(res.SID)
		}
		out.RESTModule, out.RESTModuleError = module, unknown
		return writeJSON(g.env.Stdout, out)
	}
	printLogin(g.env.Stdout, s, res, *showSID)
	if module != "" {
		fmt.Fprintf(g.env.Stdout, "REST module %s is %s on %s\n", restModuleName, clean(module),
			clean(s.DB))
	} else {
		fmt.Fprintln(g.env.Stdout, unknown)
	}
	return nil
}

// restModuleName is the module that adds /session/auth/login.
const restModuleName = "base_rest_auth_user_service"

// loginWithTOTP logs in and, when the user has two-factor authentication
// and no code was given, asks for the code on the terminal with prompt.
func loginWithTOTP(ctx context.Context, g *globals, c *odoo.Client, req odoo.LoginRequest,
	prompt string) (*odoo.LoginResult, error) {
	res, err := c.Login(ctx, req)
	if err != nil || !res.TOTPRequired {
		return res, err
	}
	if g.env.ReadPassword == nil {
		return nil, fmt.Errorf("%w: the password was right; give the code with --totp-code", odoo.ErrTOTPRequired)
	}
	code, err := g.env.ReadPassword(prompt)
	if err != nil {
		return nil, fmt.Errorf("read the two-factor code: %w", err)
	}
	return c.CompleteTOTP(ctx, res.SID, strings.TrimSpace(code))
}

// password takes the password from standard input, ODOO_PASSWORD or
// prompt without echo, in that order.
func (g *globals) password(fromStdin bool, prompt string) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(g.env.Stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("read the password from standard input: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return "", usagef("login: --password-stdin: standard input held no password")
		}
		return line, nil
	}
	if p := g.env.Getenv("ODOO_PASSWORD"); p != "" {
		return p, nil
	}
	if g.env.ReadPassword == nil {
		return "", usagef("login: no password: use --password-stdin or ODOO_PASSWORD, or run in a terminal")
	}
	p, err := g.env.ReadPassword(prompt)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	return p, nil
}

func loginOutput(url, login string, res *odoo.LoginResult, now time.Time) loginJSON {
	out := loginJSON{
		URL: url, DB: res.Info.DB, Login: login, UID: res.Info.UID, Name: res.Info.Name,
		SID: res.SID, ServerVersion: res.Info.ServerVersion, Method: string(res.Method),
		Notes: res.Notes, ObtainedAt: now.UTC(),
	}
	if !res.ExpiresAt.IsZero() {
		s := res.ExpiresAt.UTC().Format(time.RFC3339)
		out.ExpiresAt = &s
	}
	return out
}

func printLogin(w io.Writer, s sessions.Session, res *odoo.LoginResult, showSID bool) {
	sid := sessions.MaskSID(s.SID)
	if showSID {
		sid = s.SID
	}
	fmt.Fprintf(w, "logged in as %s (uid %d) on %s, database %s\n",
		clean(s.UserName), s.UID, s.URL, clean(s.DB))
	fmt.Fprintf(w, "sid        %s\n", sid)
	if s.ExpiresAt.IsZero() {
		fmt.Fprintln(w, "expires_at none given (web login); Odoo drops sessions idle for 7 days")
	} else {
		fmt.Fprintf(w, "expires_at %s UTC\n", s.ExpiresAt.UTC().Format("2006-01-02 15:04:05"))
	}
	fmt.Fprintf(w, "server     %s, via %s login\n", clean(s.ServerVersion), res.Method)
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note       %s\n", clean(n))
	}
}

// clean makes server text safe to print.
func clean(s string) string { return odoo.Sanitize(s, 200) }
