package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// targetFlags are the flags that name one sid on one server:
// --url, --sid, --sid-stdin and --transport.
type targetFlags struct {
	cmd       string
	url       *string
	sid       *string
	sidStdin  *bool
	transport *string
	allowAll  bool
	// allowAuto accepts "auto": the header, then the cookie when the
	// server says it does not read the header.
	allowAuto bool
}

func addTargetFlags(fs *flag.FlagSet, sidHelp, transport string, allowAll bool) *targetFlags {
	choices := "header, cookie or param"
	if allowAll {
		choices = "header, cookie, param or all"
	}
	return &targetFlags{
		cmd: fs.Name(),
		url: fs.String("url", "", "the Odoo server, such as http://localhost:8069"),
		sid: fs.String("sid", "", sidHelp+" (or --sid-stdin)"),
		sidStdin: fs.Bool("sid-stdin", false, "read the sid from standard input, "+
			"so that it stays out of the process list"),
		transport: fs.String("transport", transport, choices),
		allowAll:  allowAll,
	}
}

// named reports whether a server or a sid was given.
func (t *targetFlags) named() bool {
	return *t.url != "" || *t.sid != "" || *t.sidStdin
}

// resolve reads the sid and returns a client for the server, the sid and
// the transports asked for.
func (t *targetFlags) resolve(g *globals) (*odoo.Client, string, []odoo.Transport, error) {
	ts, err := t.transports()
	if err != nil {
		return nil, "", nil, err
	}
	sid, err := t.readSID(g.env.Stdin)
	if err != nil {
		return nil, "", nil, err
	}
	if *t.url == "" {
		return nil, "", nil, usagef("%s: --url is required", t.cmd)
	}
	c, err := g.client(*t.url)
	if err != nil {
		return nil, "", nil, err
	}
	return c, sid, ts, nil
}

func (t *targetFlags) transports() ([]odoo.Transport, error) {
	s := *t.transport
	if s == "all" && t.allowAll {
		return odoo.Transports, nil
	}
	if s == "auto" && t.allowAuto {
		return []odoo.Transport{odoo.TransportHeader, odoo.TransportCookie}, nil
	}
	for _, tr := range odoo.Transports {
		if string(tr) == s {
			return []odoo.Transport{tr}, nil
		}
	}
	if t.allowAll {
		return nil, usagef("%s: --transport %q: expected header, cookie, param or all", t.cmd, s)
	}
	if t.allowAuto {
		return nil, usagef("%s: --transport %q: expected auto, header, cookie or param", t.cmd, s)
	}
	return nil, usagef("%s: --transport %q: expected header, cookie or param", t.cmd, s)
}

// readSID takes the sid from the flag or standard input. Odoo's sids take
// several shapes (40 hex characters, 84 of base64url on Odoo 18), so only
// printable text without spaces is required.
func (t *targetFlags) readSID(stdin io.Reader) (string, error) {
	s := *t.sid
	if *t.sidStdin {
		b, err := io.ReadAll(io.LimitReader(stdin, 4096))
		if err != nil {
			return "", fmt.Errorf("read the sid from standard input: %w", err)
		}
		s = string(b)
	}
	s = sessions.NormalizeSID(s)
	if s == "" {
		return "", usagef("%s: --sid is required (or --sid-stdin)", t.cmd)
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return "", usagef("%s: --sid: expected printable text without spaces", t.cmd)
	}
	return s, nil
}
