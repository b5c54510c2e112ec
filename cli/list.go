package cli

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"text/tabwriter"
	"time"

	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// listJSON is one session in the --json output of list.
type listJSON struct {
	ID          string                     `json:"id"`
	URL         string                     `json:"url"`
	DB          string                     `json:"db"`
	Login       string                     `json:"login"`
	Name        string                     `json:"name"`
	UID         int                        `json:"uid"`
	SID         string                     `json:"sid"`
	Method      string                     `json:"method"`
	State       string                     `json:"state"`
	ExpiresAt   *time.Time                 `json:"expires_at"`
	IdleUntil   *time.Time                 `json:"idle_until"`
	SecondsLeft *int64                     `json:"seconds_left"`
	Clock       string                     `json:"clock"`
	ObtainedAt  time.Time                  `json:"obtained_at"`
	Checks      map[string]*sessions.Check `json:"checks"`
}

func runList(_ context.Context, g *globals, args []string) error {
	fs := newFlagSet(g, "list", "[--json] [--show-sid]")
	asJSON := fs.Bool("json", false, "print one JSON document")
	showSID := fs.Bool("show-sid", false, "print whole sids instead of masked ones")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	all, err := g.loadSessions()
	if err != nil {
		return err
	}
	now := g.env.Now()
	if *asJSON {
		out := make([]listJSON, 0, len(all))
		for _, s := range all {
			out = append(out, g.listEntry(s, now, *showSID))
		}
		return writeJSON(g.env.Stdout, out)
	}
	printList(g.env.Stdout, all, now, g.cfg.IdleLimit.Duration, *showSID)
	return nil
}

func (g *globals) listEntry(s sessions.Session, now time.Time, showSID bool) listJSON {
	limit := g.cfg.IdleLimit.Duration
	deadline, clock := s.Deadline(limit)
	e := listJSON{
		ID: s.ID, URL: s.URL, DB: s.DB, Login: s.Login, Name: s.UserName, UID: s.UID,
		SID: sessions.MaskSID(s.SID), Method: s.Method, State: string(s.StateAt(now, limit)),
		Clock:      clock.String(),
		ObtainedAt: s.ObtainedAt.UTC(), Checks: map[string]*sessions.Check{},
	}
	if showSID {
		e.SID = s.SID
	}
	if clock != sessions.ClockNone {
		left := int64(deadline.Sub(now).Seconds())
		e.SecondsLeft = &left
	}
	if !s.ExpiresAt.IsZero() {
		t := s.ExpiresAt.UTC()
		e.ExpiresAt = &t
	}
	if !s.SavedAt.IsZero() {
		t := s.SavedAt.Add(limit).UTC()
		e.IdleUntil = &t
	}
	for _, tr := range []string{sessions.TransportHeader, sessions.TransportCookie, sessions.TransportParam} {
		if c, ok := s.LastCheck(tr); ok {
			e.Checks[tr] = &c
		} else {
			e.Checks[tr] = nil
		}
	}
	return e
}

func printList(w io.Writer, all []sessions.Session, now time.Time, limit time.Duration, showSID bool) {
	if len(all) == 0 {
		fmt.Fprintln(w, "no tracked sessions: log in with 'odoo-sessions login' or open the console")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HOST\tDB\tUSER\tSID\tLEFT\tSTATE\tH C P")
	for _, s := range all {
		sid := sessions.MaskSID(s.SID)
		if showSID {
			sid = s.SID
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", host(s.URL), clean(s.DB),
			clean(s.Login), sid, timeLeft(s, now, limit), s.StateWordAt(now, limit), s.CheckMarks())
	}
	tw.Flush()
}

func timeLeft(s sessions.Session, now time.Time, limit time.Duration) string {
	deadline, clock := s.Deadline(limit)
	switch {
	case s.State == sessions.StateLoggedOut:
		return "-"
	case clock == sessions.ClockNone:
		return "unknown"
	case clock == sessions.ClockIdle:
		return sessions.FormatLeft(deadline.Sub(now)) + " idle"
	default:
		return sessions.FormatLeft(deadline.Sub(now)) + " exp"
	}
}

func host(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return clean(raw)
	}
	return clean(u.Host)
}
