package sessions

import (
	"strconv"
	"time"
)

// IdleLimit is how long Odoo keeps a session that is not saved: Odoo 15
// deletes the session file after 7 days without a save, Odoo 16 and later
// use sessions.max_inactivity_seconds, which defaults to the same.
const IdleLimit = 7 * 24 * time.Hour

// Clock names the deadline that ends a session first.
type Clock int

// The clocks of a session.
const (
	ClockNone      Clock = iota // neither expires_at nor a save time is known
	ClockExpiresAt              // the module's advisory expires_at
	ClockIdle                   // the server's idle limit counted from SavedAt
)

// String returns the clock's name as shown to the user.
func (c Clock) String() string {
	switch c {
	case ClockExpiresAt:
		return "expires_at"
	case ClockIdle:
		return "idle"
	default:
		return "none"
	}
}

// TimeLeft returns the time from now to the module's expires_at, negative
// once it has passed. It reports false when the session has no expires_at.
func (s Session) TimeLeft(now time.Time) (time.Duration, bool) {
	if s.ExpiresAt.IsZero() {
		return 0, false
	}
	return s.ExpiresAt.Sub(now), true
}

// IdleLeft returns the time from now until the server may drop the session
// for being idle, counting limit from SavedAt; a limit of zero or less means
// IdleLimit. It reports false when the last save time is unknown.
func (s Session) IdleLeft(now time.Time, limit time.Duration) (time.Duration, bool) {
	if s.SavedAt.IsZero() {
		return 0, false
	}
	return s.idleDeadline(limit).Sub(now), true
}

// Deadline returns the nearer of the module's expires_at and the idle
// deadline, and which clock it is; when both fall at the same instant the
// expires_at clock is named. It returns the zero time and ClockNone when
// neither is known. A limit of zero or less means IdleLimit.
func (s Session) Deadline(limit time.Duration) (time.Time, Clock) {
	hasExp, hasIdle := !s.ExpiresAt.IsZero(), !s.SavedAt.IsZero()
	switch {
	case !hasExp && !hasIdle:
		return time.Time{}, ClockNone
	case !hasIdle:
		return s.ExpiresAt, ClockExpiresAt
	}
	idle := s.idleDeadline(limit)
	if hasExp && !idle.Before(s.ExpiresAt) {
		return s.ExpiresAt, ClockExpiresAt
	}
	return idle, ClockIdle
}

func (s Session) idleDeadline(limit time.Duration) time.Time {
	if limit <= 0 {
		limit = IdleLimit
	}
	return s.SavedAt.Add(limit)
}

// EffectiveState is StateAt with the default IdleLimit.
func (s Session) EffectiveState(now time.Time) State {
	return s.StateAt(now, IdleLimit)
}

// StateAt returns the state to show at now: the recorded state, except that
// an active session whose deadline (see Deadline) has been reached with no
// accepted check since is StateExpired. An accepted check overrides both
// clocks, since expires_at is advisory and Odoo drops idle sessions lazily.
func (s Session) StateAt(now time.Time, limit time.Duration) State {
	if s.State != StateActive && s.State != "" {
		return s.State
	}
	deadline, clock := s.Deadline(limit)
	if clock == ClockNone || now.Before(deadline) {
		return StateActive
	}
	if last, ok := s.lastAcceptedAt(); ok && !last.Before(deadline) {
		return StateActive
	}
	return StateExpired
}

// FormatLeft renders a remaining duration for a countdown: "89d 23:59:12"
// from one day up, "00:59:59" under a day, and "expired" at zero or less.
// Fractions of a second round up, so "00:00:00" is never shown.
func FormatLeft(d time.Duration) string {
	if d <= 0 {
		return "expired"
	}
	var buf [24]byte
	return string(AppendLeft(buf[:0], d))
}

// AppendLeft appends FormatLeft(d) to dst and returns the extended slice;
// it does not allocate when dst has room.
func AppendLeft(dst []byte, d time.Duration) []byte {
	if d <= 0 {
		return append(dst, "expired"...)
	}
	secs := int64((d + time.Second - 1) / time.Second)
	if days := secs / 86400; days > 0 {
		dst = strconv.AppendInt(dst, days, 10)
		dst = append(dst, "d "...)
	}
	secs %= 86400
	dst = appendTwo(dst, secs/3600)
	dst = append(dst, ':')
	dst = appendTwo(dst, secs/60%60)
	dst = append(dst, ':')
	return appendTwo(dst, secs%60)
}

func appendTwo(dst []byte, n int64) []byte {
	return append(dst, byte('0'+n/10), byte('0'+n%10))
}
