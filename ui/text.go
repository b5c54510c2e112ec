package ui

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// fit cuts s to width cells with an ellipsis and pads it with spaces to
// exactly width cells.
func fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(s)
	if w > width {
		return ansi.Truncate(s, width, "…")
	}
	return s + strings.Repeat(" ", width-w)
}

// clip cuts s to width cells without padding.
func clip(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// hostOf returns the host (and port) of a server URL, or the URL itself.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return odoo.Sanitize(raw, 80)
	}
	return odoo.Sanitize(u.Host, 80)
}

// maskedSID shows the sid masked, or whole when the user asked to reveal it.
func maskedSID(sid string, reveal bool) string {
	if reveal {
		return odoo.Sanitize(sid, 0)
	}
	return sessions.MaskSID(sid)
}

// cloneSession copies s deeply enough that the copy can leave the Update
// goroutine while the model keeps changing the original.
func cloneSession(s sessions.Session) sessions.Session {
	if s.Checks != nil {
		s.Checks = maps.Clone(s.Checks)
		for t, h := range s.Checks {
			s.Checks[t] = slices.Clone(h)
		}
	}
	s.Info = slices.Clone(s.Info)
	return s
}

// stateText is how a state reads on screen.
func stateText(st sessions.State) string {
	switch st {
	case sessions.StateActive, "":
		return "active"
	case sessions.StateLoggedOut:
		return "logged out"
	case sessions.StateRejected:
		return "not accepted"
	case sessions.StateExpired:
		return "expired"
	}
	return odoo.Sanitize(string(st), 12)
}

// checkMark is the one-character outcome of a check: ✓ accepted, ✗ refused,
// ! could not check, · never checked.
func checkMark(c sessions.Check, ok bool) string {
	switch {
	case !ok:
		return "·"
	case c.Err != "":
		return "!"
	case c.Accepted:
		return "✓"
	}
	return "✗"
}

// checkWord spells a check's outcome out.
func checkWord(c sessions.Check, ok bool) string {
	switch {
	case !ok:
		return "never checked"
	case c.Err != "":
		return "error"
	case c.Accepted:
		return "accepted"
	}
	return "not accepted"
}
