package sessions

import (
	"strings"
	"time"
)

// The words and marks the console and the command line both show for a
// session, so that they read the same.

// Unchecked reports whether s is a tracked sid that no check got an answer
// for and no details fetch vouched for: its state is only the store's
// default.
func (s Session) Unchecked() bool {
	if s.Method != "tracked" || !s.SavedAt.IsZero() || (s.State != StateActive && s.State != "") {
		return false
	}
	for _, h := range s.Checks {
		for _, c := range h {
			if c.Err == "" {
				return false
			}
		}
	}
	return true
}

// StateWord is how a state reads: "active", "logged out", "not accepted",
// "expired"; "unknown" for a value this build does not know.
func StateWord(st State) string {
	switch st {
	case StateActive, "":
		return "active"
	case StateLoggedOut:
		return "logged out"
	case StateRejected:
		return "not accepted"
	case StateExpired:
		return "expired"
	}
	return "unknown"
}

// StateWordAt is the state of s at now in words, "unchecked" for a tracked
// sid nothing has tested yet.
func (s Session) StateWordAt(now time.Time, idleLimit time.Duration) string {
	if s.Unchecked() {
		return "unchecked"
	}
	return StateWord(s.StateAt(now, idleLimit))
}

// CheckMark is the one-character outcome of a check: ✓ accepted, ✗ refused,
// ! could not check, · never checked.
func CheckMark(c Check, ok bool) string {
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

// CheckMarks are the marks of the last check through each transport, header
// first. After a logout, an acceptance from before it shows as never
// checked: an accepted check since would have made the session active
// again, and nothing is known since.
func (s Session) CheckMarks() string {
	marks := make([]string, len(Transports))
	for i, t := range Transports {
		c, ok := s.LastCheck(t)
		if ok && c.Accepted && s.State == StateLoggedOut {
			ok = false
		}
		marks[i] = CheckMark(c, ok)
	}
	return strings.Join(marks, " ")
}
