package sessions

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// FindingKind names one conclusion the console can draw from checks.
type FindingKind string

// The conclusions Diagnose draws.
const (
	FindAllAccepted   FindingKind = "all-accepted"   // every transport accepted
	FindCookieOnly    FindingKind = "cookie-only"    // the server reads only the cookie
	FindHeaderDropped FindingKind = "header-dropped" // cookie and param work, the header does not
	FindParamIgnored  FindingKind = "param-ignored"  // cookie and header work, the param does not
	FindCookieDropped FindingKind = "cookie-dropped" // header or param work, the cookie does not
	FindNotLoggedIn   FindingKind = "not-logged-in"  // no transport accepted
	FindNoAnswer      FindingKind = "no-answer"      // a check got no Odoo answer
	FindOtherDB       FindingKind = "other-database" // the server answered for another database
	FindUnchecked     FindingKind = "unchecked"      // some transports were never checked
	FindMixed         FindingKind = "mixed"          // any other mix of answers
	FindStale         FindingKind = "stale"          // checks made before a logout
)

// Finding is one conclusion with the evidence it rests on.
type Finding struct {
	Kind    FindingKind `json:"kind"`
	Summary string      `json:"summary"`
	// Evidence names the checks and answers behind the summary.
	Evidence []string `json:"evidence"`
}

// Diagnose explains the latest check of each transport and, when a details
// fetch reported a database, compares it with the session's. It returns
// nothing for a session that was never checked.
func (s Session) Diagnose() []Finding {
	var acc, rej, failed, unchecked []string
	evidence := map[string]string{}
	for _, t := range Transports {
		c, ok := s.LastCheck(t)
		switch {
		case !ok:
			unchecked = append(unchecked, t)
			continue
		case c.Err != "":
			failed = append(failed, t)
		case c.Accepted:
			acc = append(acc, t)
		default:
			rej = append(rej, t)
		}
		evidence[t] = describeCheck(c)
	}
	var out []Finding
	switch {
	case s.State == StateLoggedOut && len(acc) > 0:
		// An accepted check after the logout would have made the session
		// active again: these answers are from before it.
		out = append(out, Finding{Kind: FindStale,
			Summary: "logged out through odoo-sessions after these checks: " +
				"check again to see what the server says now",
			Evidence: pick(evidence, append(acc, rej...))})
	case len(acc)+len(rej) > 0:
		out = append(out, verdict(acc, rej, s.State, s.wasLoggedIn(), evidence))
	}
	if len(failed) > 0 {
		out = append(out, Finding{Kind: FindNoAnswer,
			Summary:  "no Odoo answer through " + strings.Join(failed, ", ") + ": that says nothing about the sid",
			Evidence: pick(evidence, failed)})
	}
	if len(unchecked) > 0 && len(unchecked) < len(Transports) {
		out = append(out, Finding{Kind: FindUnchecked,
			Summary: "not checked yet: " + strings.Join(unchecked, ", ")})
	}
	if f, ok := s.otherDatabase(); ok {
		out = append(out, f)
	}
	return out
}

// verdict reads the accepted and rejected transports of the latest round.
func verdict(acc, rej []string, st State, wasLoggedIn bool, ev map[string]string) Finding {
	all := append(append([]string{}, acc...), rej...)
	f := Finding{Evidence: pick(ev, all)}
	switch {
	case len(rej) == 0 && len(acc) == len(Transports):
		f.Kind, f.Summary = FindAllAccepted,
			"logged in, and the server reads the header, the cookie and the parameter"
	case len(acc) == 0:
		f.Kind, f.Summary = FindNotLoggedIn, notLoggedIn(st, wasLoggedIn)
	case same(acc, TransportCookie) && same(rej, TransportHeader, TransportParam):
		f.Kind, f.Summary = FindCookieOnly,
			"logged in; this server reads only the cookie (as stock Odoo 16 and 18 do): "+
				"header and parameter look like anonymous requests to it, not like an ended session"
	case same(acc, TransportCookie, TransportParam) && same(rej, TransportHeader):
		f.Kind, f.Summary = FindHeaderDropped,
			"logged in, but the header does not arrive: cookie and parameter work, "+
				"so something in front of Odoo (a reverse proxy) likely drops X-Openerp-Session-Id"
	case same(acc, TransportCookie, TransportHeader) && same(rej, TransportParam):
		f.Kind, f.Summary = FindParamIgnored,
			"logged in, but the session_id query parameter is not read "+
				"(a proxy rewriting the query, or a server that ignores it)"
	case slices.Contains(rej, TransportCookie):
		f.Kind, f.Summary = FindCookieDropped,
			"logged in through "+strings.Join(acc, " and ")+", but the cookie does not arrive: "+
				"something in front of Odoo likely drops or renames the session_id cookie"
	default:
		f.Kind, f.Summary = FindMixed, "accepted through "+strings.Join(acc, ", ")
		if len(rej) > 0 {
			f.Summary += "; not accepted through " + strings.Join(rej, ", ")
		}
	}
	return f
}

func notLoggedIn(st State, wasLoggedIn bool) string {
	switch {
	case st == StateLoggedOut:
		return "not logged in through any transport, as expected after the logout"
	case !wasLoggedIn:
		// Odoo answers an unknown sid as it answers an ended one.
		return "not logged in through any transport: the server knows no session by this " +
			"sid (it ended, or never was one; this sid was never seen logged in)"
	}
	return "not logged in through any transport: the session ended on the server " +
		"(logout elsewhere, idle limit, password change, or the database filtered out)"
}

// wasLoggedIn reports whether s was ever seen logged in: obtained by a
// login, saved by the server, or accepted by a check.
func (s Session) wasLoggedIn() bool {
	_, accepted := s.lastAcceptedAt()
	return (s.Method != "" && s.Method != "tracked") || !s.SavedAt.IsZero() || accepted
}

// otherDatabase compares the session's database with the one the last
// details fetch reported.
func (s Session) otherDatabase() (Finding, bool) {
	if len(s.Info) == 0 || s.DB == "" {
		return Finding{}, false
	}
	var info struct {
		DB string `json:"db"`
	}
	if json.Unmarshal(s.Info, &info) != nil || info.DB == "" || info.DB == s.DB {
		return Finding{}, false
	}
	return Finding{Kind: FindOtherDB,
		Summary: fmt.Sprintf("the server answered for database %q, not the session's %q", info.DB, s.DB),
		Evidence: []string{fmt.Sprintf("session_info.db is %q; the session was obtained on %q",
			info.DB, s.DB)}}, true
}

func describeCheck(c Check) string {
	at := c.At.UTC().Format("15:04:05 UTC")
	switch {
	case c.Err != "":
		return fmt.Sprintf("%s: no answer at %s (%s)", c.Transport, at, c.Err)
	case c.Accepted:
		return fmt.Sprintf("%s: accepted, HTTP %d, at %s", c.Transport, c.Status, at)
	default:
		return fmt.Sprintf("%s: not accepted (HTTP %d, no logged-in session), at %s",
			c.Transport, c.Status, at)
	}
}

func pick(ev map[string]string, ts []string) []string {
	out := make([]string, 0, len(ts))
	for _, t := range Transports {
		if slices.Contains(ts, t) {
			out = append(out, ev[t])
		}
	}
	return out
}

// same reports whether list holds exactly the given transports.
func same(list []string, want ...string) bool {
	if len(list) != len(want) {
		return false
	}
	for _, w := range want {
		if !slices.Contains(list, w) {
			return false
		}
	}
	return true
}
