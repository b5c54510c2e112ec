package ui

import (
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/odoo-sessions/odoo-sessions/sessions"
)

func (l listScreen) headerLine() string {
	lay := l.layout
	var b strings.Builder
	b.WriteString(fit("", markWidth))
	b.WriteString(fit("SERVER", lay.host) + " ")
	if lay.db > 0 {
		head := "DATABASE"
		if lay.db < len(head) {
			head = "DB"
		}
		b.WriteString(fit(head, lay.db) + " ")
	}
	b.WriteString(fit("USER", lay.user) + " ")
	if lay.sid > 0 {
		b.WriteString(fit("SID", lay.sid) + " ")
	}
	b.WriteString(fit("TIME LEFT", lay.left) + " ")
	b.WriteString(fit("STATE", lay.state) + " ")
	if lay.checks > 0 {
		b.WriteString("H C P")
	}
	return b.String()
}

// rowView renders the filtered row fi; it works out the countdown from the
// last tick's time.
func (l listScreen) rowView(fi int) string {
	i := l.filtered[fi]
	s := &l.all[i]
	r := &l.rows[i]
	lay := l.layout
	st := l.c.styles
	sel := fi == l.cursor

	left, role := l.leftCell(s)
	state := s.StateWordAt(l.now, l.c.idleLimit)
	if what, ok := l.busy[s.ID]; ok {
		state = what
	}

	var b strings.Builder
	mark := "  "
	if sel {
		mark = "› "
	}
	b.WriteString(mark)
	b.WriteString(fitHost(r.host, lay.host) + " ")
	if lay.db > 0 {
		b.WriteString(fit(r.db, lay.db) + " ")
	}
	b.WriteString(fit(r.user, lay.user) + " ")
	if lay.sid > 0 {
		b.WriteString(fit(maskedSID(s.SID, l.reveal), lay.sid) + " ")
	}
	leftCell := fit(left, lay.left)
	if !sel {
		leftCell = role.Render(leftCell)
	}
	b.WriteString(leftCell + " ")
	b.WriteString(fit(state, lay.state) + " ")
	if lay.checks > 0 {
		b.WriteString(l.checksCell(s))
	}
	if sel {
		return st.Selected.Render(b.String())
	}
	return b.String()
}

// checksCell is "✓ ✗ ·" for the header, cookie and param transports.
func (l listScreen) checksCell(s *sessions.Session) string {
	return s.CheckMarks()
}

// leftCell is the countdown to the nearer of the session's two deadlines,
// marked with its clock in words ("exp" for the module's expires_at, "idle"
// for the server's idle limit), and the style of its urgency; "-" for a
// session logged out.
func (l listScreen) leftCell(s *sessions.Session) (string, lipgloss.Style) {
	if s.State == sessions.StateLoggedOut {
		// Nothing is left to count down: the state column says why.
		return "-", l.c.styles.Faint
	}
	at, clock := s.Deadline(l.c.idleLimit)
	if clock == sessions.ClockNone {
		return "unknown", l.c.styles.Faint
	}
	mark := clockMark(clock)
	d := at.Sub(l.now)
	if d <= 0 {
		return "expired (" + mark + ")", roleFor(d, l.c.styles)
	}
	return countdown(d, "", " "+mark), roleFor(d, l.c.styles)
}

// clockMark is the short name of a clock in the list.
func clockMark(c sessions.Clock) string {
	if c == sessions.ClockExpiresAt {
		return "exp"
	}
	return "idle"
}

// warnUnder is when a countdown starts to warn.
const warnUnder = time.Hour

// countdown renders d with a prefix and suffix, and says "soon" in words
// under warnUnder so the warning does not rest on colour.
func countdown(d time.Duration, prefix, suffix string) string {
	if d <= 0 {
		return sessions.FormatLeft(d)
	}
	s := prefix + sessions.FormatLeft(d) + suffix
	if d < warnUnder {
		s += " soon"
	}
	return s
}

// roleFor is the style that matches a countdown's urgency.
func roleFor(d time.Duration, st styles) lipgloss.Style {
	switch {
	case d <= 0:
		return st.Expired
	case d < warnUnder:
		return st.Warning
	}
	return st.OK
}
