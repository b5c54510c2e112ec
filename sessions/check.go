package sessions

import (
	"slices"
	"time"
)

// MaxChecks is how many checks RecordCheck keeps per transport.
const MaxChecks = 10

// Transports lists the three sid transports in display order.
var Transports = [...]string{TransportHeader, TransportCookie, TransportParam}

// RecordCheck adds c to the history of its transport, keeping the last
// MaxChecks, stamps the record as updated at now and derives the state:
// an accepted check makes the session active; when the latest checks of all
// three transports say not accepted and none of them failed, the session is
// rejected, unless it was logged out, which says more. Otherwise the state
// is left as it was: a check never marks a session logged out, but one that
// a server still accepts after a logout is active again. A check that saved
// the session moves SavedAt. A zero c.At is set to now.
func (s *Session) RecordCheck(c Check, now time.Time) {
	if c.At.IsZero() {
		c.At = now
	}
	if s.Checks == nil {
		s.Checks = make(map[string][]Check, len(Transports))
	}
	h := append(s.Checks[c.Transport], c)
	if len(h) > MaxChecks {
		h = append(h[:0:0], h[len(h)-MaxChecks:]...)
	}
	s.Checks[c.Transport] = h
	s.UpdatedAt = now
	if c.Saved && c.At.After(s.SavedAt) {
		s.SavedAt = c.At
	}

	switch {
	case c.Accepted:
		s.State = StateActive
	case s.State != StateLoggedOut && s.allRejected():
		s.State = StateRejected
	}
}

// allRejected reports whether every transport has a latest check that
// completed and was not accepted.
func (s *Session) allRejected() bool {
	for _, t := range Transports {
		last, ok := s.LastCheck(t)
		if !ok || last.Accepted || last.Err != "" {
			return false
		}
	}
	return true
}

// LastCheck returns the latest check made through transport, if any.
func (s Session) LastCheck(transport string) (Check, bool) {
	h := s.Checks[transport]
	if len(h) == 0 {
		return Check{}, false
	}
	return h[len(h)-1], true
}

// lastAcceptedAt returns the time of the latest accepted check through any
// transport.
func (s Session) lastAcceptedAt() (time.Time, bool) {
	var last time.Time
	for _, h := range s.Checks {
		for i := len(h) - 1; i >= 0; i-- {
			if h[i].Accepted {
				if h[i].At.After(last) {
					last = h[i].At
				}
				break
			}
		}
	}
	return last, !last.IsZero()
}

// Clone returns a copy of s that shares no memory with it: a Session copied
// by assignment shares its check history and info, so RecordCheck on the
// copy would change the original's history too.
func (s Session) Clone() Session {
	c := s
	c.Info = slices.Clone(s.Info)
	if s.Checks != nil {
		c.Checks = make(map[string][]Check, len(s.Checks))
		for t, h := range s.Checks {
			c.Checks[t] = slices.Clone(h)
		}
	}
	return c
}
