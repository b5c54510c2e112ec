package sessions

import (
	"testing"
	"time"
)

func TestWords(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	tracked := Session{ID: "t", Method: "tracked", State: StateActive, ObtainedAt: now}
	checked := tracked
	checked.RecordCheck(Check{Transport: TransportHeader, Accepted: true, Status: 200, At: now}, now)
	checked.RecordCheck(Check{Transport: TransportCookie, Status: 200, At: now}, now)
	loggedOut := checked
	loggedOut.State = StateLoggedOut
	failed := tracked
	failed.RecordCheck(Check{Transport: TransportParam, Err: "no answer", At: now}, now)

	tests := []struct {
		name         string
		s            Session
		state, marks string
	}{
		{"tracked, never checked", tracked, "unchecked", "· · ·"},
		{"checked", checked, "active", "✓ ✗ ·"},
		{"logged out after an acceptance", loggedOut, "logged out", "· ✗ ·"},
		{"no answer", failed, "unchecked", "· · !"},
		{"unknown state", Session{State: "x\x1b[2J"}, "unknown", "· · ·"},
	}
	for _, tt := range tests {
		if got := tt.s.StateWordAt(now, IdleLimit); got != tt.state {
			t.Errorf("%s: state %q, want %q", tt.name, got, tt.state)
		}
		if got := tt.s.CheckMarks(); got != tt.marks {
			t.Errorf("%s: marks %q, want %q", tt.name, got, tt.marks)
		}
	}
}
