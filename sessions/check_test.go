package sessions

import (
	"testing"
	"time"
)

func TestRecordCheckKeepsLastTen(t *testing.T) {
	t.Parallel()
	var s Session
	for i := range 15 {
		s.RecordCheck(Check{Transport: TransportHeader, Status: i}, t0.Add(time.Duration(i)*time.Second))
	}
	h := s.Checks[TransportHeader]
	if len(h) != MaxChecks {
		t.Fatalf("kept %d checks, want %d", len(h), MaxChecks)
	}
	if h[0].Status != 5 || h[9].Status != 14 {
		t.Errorf("kept statuses %d..%d, want 5..14", h[0].Status, h[9].Status)
	}
	last, ok := s.LastCheck(TransportHeader)
	if !ok || last.Status != 14 || !last.At.Equal(t0.Add(14*time.Second)) {
		t.Errorf("LastCheck = %+v, %v", last, ok)
	}
	if !s.UpdatedAt.Equal(t0.Add(14 * time.Second)) {
		t.Errorf("UpdatedAt = %v, want the time of the last check", s.UpdatedAt)
	}
	if _, ok := s.LastCheck(TransportParam); ok {
		t.Error("LastCheck reported a check for a transport never checked")
	}
}

func TestRecordCheckState(t *testing.T) {
	t.Parallel()
	ok := func(tr string) Check { return Check{Transport: tr, Accepted: true, Status: 200} }
	no := func(tr string) Check { return Check{Transport: tr, Status: 200} }
	fail := func(tr string) Check { return Check{Transport: tr, Err: "timeout"} }
	tests := []struct {
		name   string
		start  State
		checks []Check
		want   State
	}{
		{"accepted", StateExpired, []Check{ok(TransportCookie)}, StateActive},
		{"one refusal", StateActive, []Check{no(TransportHeader)}, StateActive},
		{"all three refuse", StateActive,
			[]Check{no(TransportHeader), no(TransportCookie), no(TransportParam)}, StateRejected},
		{"one errored", StateActive,
			[]Check{no(TransportHeader), fail(TransportCookie), no(TransportParam)}, StateActive},
		{"cookie only transport", StateRejected,
			[]Check{no(TransportHeader), no(TransportParam), ok(TransportCookie)}, StateActive},
		{"latest refusal counts", StateActive,
			[]Check{ok(TransportCookie), no(TransportHeader), no(TransportParam), no(TransportCookie)},
			StateRejected},
		{"logged out, refused", StateLoggedOut,
			[]Check{fail(TransportHeader), no(TransportCookie)}, StateLoggedOut},
		{"logged out, all refuse", StateLoggedOut,
			[]Check{no(TransportHeader), no(TransportCookie), no(TransportParam)}, StateLoggedOut},
		{"logged out, still accepted", StateLoggedOut, []Check{ok(TransportParam)}, StateActive},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := Session{State: tc.start}
			for i, c := range tc.checks {
				s.RecordCheck(c, t0.Add(time.Duration(i)*time.Second))
			}
			if s.State != tc.want {
				t.Errorf("State = %q, want %q", s.State, tc.want)
			}
		})
	}
}

func TestCloneSharesNothing(t *testing.T) {
	t.Parallel()
	orig := realisticSession(1)
	c := orig.Clone()
	c.RecordCheck(Check{Transport: TransportHeader}, t0)
	c.Info[0] = 'X'
	if len(orig.Checks[TransportHeader]) != 3 || orig.Info[0] != '{' {
		t.Errorf("editing the clone changed the original: %d checks, info %.10s",
			len(orig.Checks[TransportHeader]), orig.Info)
	}
}

// TestCheckThatSavedMovesSavedAt: a check whose answer saved the session
// restarts the idle clock; an older one does not move it back.
func TestCheckThatSavedMovesSavedAt(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	s := Session{SavedAt: at}
	s.RecordCheck(Check{Transport: TransportCookie, Accepted: true, At: at.Add(time.Hour)}, at)
	if !s.SavedAt.Equal(at) {
		t.Fatalf("a check that did not save moved SavedAt to %v", s.SavedAt)
	}
	s.RecordCheck(Check{Transport: TransportCookie, Accepted: true, Saved: true, At: at.Add(2 * time.Hour)}, at)
	if !s.SavedAt.Equal(at.Add(2 * time.Hour)) {
		t.Errorf("SavedAt %v after a check that saved, want %v", s.SavedAt, at.Add(2*time.Hour))
	}
	s.RecordCheck(Check{Transport: TransportHeader, Accepted: true, Saved: true, At: at.Add(time.Hour)}, at)
	if !s.SavedAt.Equal(at.Add(2 * time.Hour)) {
		t.Errorf("an older save moved SavedAt back to %v", s.SavedAt)
	}
}
