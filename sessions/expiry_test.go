package sessions

import (
	"testing"
	"time"
)

func TestTimeLeft(t *testing.T) {
	t.Parallel()
	exp := t0.Add(time.Hour)
	tests := []struct {
		name   string
		sess   Session
		now    time.Time
		want   time.Duration
		wantOK bool
	}{
		{"no expires_at", Session{}, t0, 0, false},
		{"a second before", Session{ExpiresAt: exp}, exp.Add(-time.Second), time.Second, true},
		{"at", Session{ExpiresAt: exp}, exp, 0, true},
		{"a second after", Session{ExpiresAt: exp}, exp.Add(time.Second), -time.Second, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := tc.sess.TimeLeft(tc.now)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("TimeLeft = %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestIdleLeft(t *testing.T) {
	t.Parallel()
	s := Session{SavedAt: t0}
	if _, ok := (Session{}).IdleLeft(t0, 0); ok {
		t.Error("IdleLeft without SavedAt reported a deadline")
	}
	if got, _ := s.IdleLeft(t0.Add(IdleLimit-time.Second), 0); got != time.Second {
		t.Errorf("default limit: IdleLeft = %v, want 1s", got)
	}
	if got, _ := s.IdleLeft(t0.Add(time.Hour), 2*time.Hour); got != time.Hour {
		t.Errorf("2h limit: IdleLeft = %v, want 1h", got)
	}
}

func TestDeadline(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		sess      Session
		want      time.Time
		wantClock Clock
	}{
		{"nothing known", Session{}, time.Time{}, ClockNone},
		{"expires_at only", Session{ExpiresAt: t0}, t0, ClockExpiresAt},
		{"idle only", Session{SavedAt: t0}, t0.Add(IdleLimit), ClockIdle},
		{"idle first", Session{SavedAt: t0, ExpiresAt: t0.Add(90 * 24 * time.Hour)},
			t0.Add(IdleLimit), ClockIdle},
		{"expires_at first", Session{SavedAt: t0, ExpiresAt: t0.Add(time.Hour)},
			t0.Add(time.Hour), ClockExpiresAt},
		{"same instant", Session{SavedAt: t0, ExpiresAt: t0.Add(IdleLimit)},
			t0.Add(IdleLimit), ClockExpiresAt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, clock := tc.sess.Deadline(0)
			if !got.Equal(tc.want) || clock != tc.wantClock {
				t.Errorf("Deadline = %v, %v; want %v, %v", got, clock, tc.want, tc.wantClock)
			}
		})
	}
}

func TestFormatLeft(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-time.Hour, "expired"},
		{0, "expired"},
		{time.Nanosecond, "00:00:01"},
		{time.Second, "00:00:01"},
		{time.Hour - time.Second, "00:59:59"},
		{time.Hour - 1500*time.Millisecond, "00:59:59"},
		{day - time.Second, "23:59:59"},
		{day, "1d 00:00:00"},
		{90*day - 48*time.Second, "89d 23:59:12"},
		{400 * day, "400d 00:00:00"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			if got := FormatLeft(tc.d); got != tc.want {
				t.Errorf("FormatLeft(%v) = %q, want %q", tc.d, got, tc.want)
			}
		})
	}
}

func TestEffectiveState(t *testing.T) {
	t.Parallel()
	exp := t0.Add(time.Hour)
	active := Session{State: StateActive, ExpiresAt: exp}
	checked := active
	checked.RecordCheck(Check{Transport: TransportCookie, Accepted: true}, exp.Add(time.Minute))
	failed := active
	failed.RecordCheck(Check{Transport: TransportCookie, Err: "timeout"}, exp.Add(time.Minute))
	idle := Session{State: StateActive, SavedAt: t0}
	tests := []struct {
		name string
		sess Session
		now  time.Time
		want State
	}{
		{"a second before expires_at", active, exp.Add(-time.Second), StateActive},
		{"at expires_at", active, exp, StateExpired},
		{"a second after expires_at", active, exp.Add(time.Second), StateExpired},
		{"checked after expires_at", checked, exp.Add(time.Hour), StateActive},
		{"failed check after expires_at", failed, exp.Add(time.Hour), StateExpired},
		{"a second before idle limit", idle, t0.Add(IdleLimit - time.Second), StateActive},
		{"at idle limit", idle, t0.Add(IdleLimit), StateExpired},
		{"no clock at all", Session{State: StateActive}, t0.Add(1000 * time.Hour), StateActive},
		{"logged out stays", Session{State: StateLoggedOut}, t0, StateLoggedOut},
		{"rejected past expiry", Session{State: StateRejected, ExpiresAt: exp}, exp, StateRejected},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.sess.EffectiveState(tc.now); got != tc.want {
				t.Errorf("EffectiveState = %q, want %q", got, tc.want)
			}
		})
	}
}
