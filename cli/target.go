package cli

import (
	"flag"
	"fmt"
	"io"

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

// maxSIDInput bounds what --sid-stdin reads: a whole Cookie line holding
// the sid among other cookies fits.
const maxSIDInput = 64 << 10

// readSID takes the sid from the flag or standard input and checks it with
// sessions.CheckSID: Odoo's sids take several shapes (40 hex characters,
// 84 of base64url on Odoo 18), so beyond a length limit only printable
// text without spaces is required.
func (t *targetFlags) readSID(stdin io.Reader) (string, error) {
	s := *t.sid
	flagName := "--sid"
	if *t.sidStdin {
		flagName = "--sid-stdin"
		b, err := io.ReadAll(io.LimitReader(stdin, maxSIDInput+1))
		if err != nil {
			return "", fmt.Errorf("read the sid from standard input: %w", err)
		}
		if len(b) > maxSIDInput {
			return "", usagef("%s: --sid-stdin: standard input holds more than %d bytes: "+
				"expected a sid, or a Cookie line holding one", t.cmd, maxSIDInput)
		}
		s = string(b)
	}
	s = sessions.NormalizeSID(s)
	if s == "" {
		return "", usagef("%s: --sid is required (or --sid-stdin)", t.cmd)
	}
	if err := sessions.CheckSID(s); err != nil {
		return "", usagef("%s: %s: %v", t.cmd, flagName, err)
	}
	return s, nil
}
