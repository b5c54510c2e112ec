package ui

import (
	"cmp"
	"encoding/json"
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

// wrapWords breaks plain text into lines of at most width cells, only at
// spaces, so that a path or a command stays whole on its line and can be
// copied; a word wider than a line is cut across lines.
func wrapWords(s string, width int) []string {
	width = max(1, width)
	var lines []string
	line, lw := "", 0
	for _, word := range strings.Fields(s) {
		ww := ansi.StringWidth(word)
		if line != "" && lw+1+ww > width {
			lines, line, lw = append(lines, line), "", 0
		}
		if ww > width && line == "" {
			parts := strings.Split(ansi.Hardwrap(word, width, false), "\n")
			lines = append(lines, parts[:len(parts)-1]...)
			word, ww = parts[len(parts)-1], ansi.StringWidth(parts[len(parts)-1])
		}
		if line != "" {
			line, lw = line+" ", lw+1
		}
		line, lw = line+word, lw+ww
	}
	return append(lines, line)
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

// fitHost fits a server's host and port into width cells, padded. When it
// does not fit, the middle of the host goes first, so both the start of the
// host and the port still tell servers apart; then the host from the left.
func fitHost(host string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(host) <= width {
		return fit(host, width)
	}
	port := ""
	if i := strings.LastIndexByte(host, ':'); i > 0 && !strings.HasSuffix(host, "]") {
		port = host[i:]
	}
	keep := width - 1 - ansi.StringWidth(port)
	if port == "" || keep < 0 {
		if port == "" {
			return fit(host, width)
		}
		return "…" + ansi.TruncateLeft(host, ansi.StringWidth(host)-width+1, "")
	}
	return ansi.Truncate(host, keep, "") + "…" + port
}

// fitHostTrim is fitHost without the padding, for hosts inside a sentence.
func fitHostTrim(host string, width int) string {
	return strings.TrimRight(fitHost(host, width), " ")
}

// maskedSID shows the sid masked, or whole when the user asked to reveal it.
func maskedSID(sid string, reveal bool) string {
	if reveal {
		return odoo.Sanitize(sid, 0)
	}
	return sessions.MaskSID(sid)
}

// who names the session's user for a sentence, or, when nobody knows who
// it is yet, its sid, masked.
func who(s sessions.Session, width int) string {
	if name := odoo.Sanitize(cmp.Or(s.Login, s.UserName), width); name != "" {
		return name
	}
	return "sid " + sessions.MaskSID(s.SID)
}

// acceptedLast reports whether the last check through some transport
// accepted the sid.
func acceptedLast(s sessions.Session) bool {
	for _, t := range sessions.Transports {
		if c, ok := s.LastCheck(t); ok && c.Accepted {
			return true
		}
	}
	return false
}

// minMaskedSID is the shortest sid masked inside other text: a shorter one
// is no Odoo sid, and masking it would garble ordinary words.
const minMaskedSID = 4

// maskIn replaces every occurrence of sid in text, as is or escaped as JSON
// escapes it, by its masked form, unless the user revealed sids.
func maskIn(text, sid string, reveal bool) string {
	if reveal || len(sid) < minMaskedSID {
		return text
	}
	masked := sessions.MaskSID(sid)
	text = strings.ReplaceAll(text, sid, masked)
	if quoted, err := json.Marshal(sid); err == nil {
		if esc := string(quoted[1 : len(quoted)-1]); esc != sid {
			text = strings.ReplaceAll(text, esc, masked)
		}
	}
	return text
}

// maskLines is maskIn for each line.
func maskLines(lines []string, sid string, reveal bool) []string {
	if reveal || len(sid) < minMaskedSID {
		return lines
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = maskIn(l, sid, false)
	}
	return out
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
