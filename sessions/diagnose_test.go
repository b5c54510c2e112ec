package sessions

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestDiagnose(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 3, 18, 0, 0, 0, time.UTC)
	ok := func(tr string) Check { return Check{Transport: tr, Accepted: true, Status: 200, At: at} }
	no := func(tr string) Check { return Check{Transport: tr, Status: 200, At: at} }
	fail := func(tr string) Check { return Check{Transport: tr, At: at, Err: "connection refused"} }
	h, c, p := TransportHeader, TransportCookie, TransportParam
	tests := []struct {
		name     string
		checks   []Check
		state    State
		want     []FindingKind
		evidence string // a piece of text the first finding's evidence must hold
	}{
		{name: "never checked", want: nil},
		{name: "all accepted", checks: []Check{ok(h), ok(c), ok(p)},
			want: []FindingKind{FindAllAccepted}, evidence: "header: accepted, HTTP 200"},
		{name: "cookie only", checks: []Check{no(h), ok(c), no(p)},
			want: []FindingKind{FindCookieOnly}, evidence: "param: not accepted"},
		{name: "header dropped", checks: []Check{no(h), ok(c), ok(p)},
			want: []FindingKind{FindHeaderDropped}, evidence: "header: not accepted"},
		{name: "param ignored", checks: []Check{ok(h), ok(c), no(p)},
			want: []FindingKind{FindParamIgnored}},
		{name: "cookie dropped", checks: []Check{ok(h), no(c), ok(p)},
			want: []FindingKind{FindCookieDropped}, evidence: "cookie: not accepted"},
		{name: "nowhere", checks: []Check{no(h), no(c), no(p)},
			want: []FindingKind{FindNotLoggedIn}, evidence: "header: not accepted"},
		{name: "accepted, then logged out", checks: []Check{ok(h), ok(c), ok(p)}, state: StateLoggedOut,
			want: []FindingKind{FindStale}, evidence: "header: accepted"},
		{name: "nowhere after logout", checks: []Check{no(h), no(c), no(p)}, state: StateLoggedOut,
			want: []FindingKind{FindNotLoggedIn}},
		{name: "one unreachable", checks: []Check{ok(h), ok(c), fail(p)},
			want: []FindingKind{FindMixed, FindNoAnswer}},
		{name: "no answer at all", checks: []Check{fail(h), fail(c), fail(p)},
			want: []FindingKind{FindNoAnswer}, evidence: "header: no answer"},
		{name: "partly checked", checks: []Check{ok(c)},
			want: []FindingKind{FindMixed, FindUnchecked}, evidence: "cookie: accepted"},
		{name: "latest check wins", checks: []Check{ok(h), no(h), ok(c), no(c), ok(p), no(p)},
			want: []FindingKind{FindNotLoggedIn}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s Session
			for _, c := range tt.checks {
				s.RecordCheck(c, at)
			}
			if tt.state != "" {
				s.State = tt.state // as a logout after the checks leaves it
			}
			got := s.Diagnose()
			if len(got) != len(tt.want) {
				t.Fatalf("Diagnose() = %+v, want kinds %v", got, tt.want)
			}
			for i, f := range got {
				if f.Kind != tt.want[i] || f.Summary == "" {
					t.Fatalf("finding %d = %+v, want kind %s with a summary", i, f, tt.want[i])
				}
			}
			if tt.evidence != "" && !strings.Contains(strings.Join(got[0].Evidence, "\n"), tt.evidence) {
				t.Fatalf("evidence %q does not hold %q", got[0].Evidence, tt.evidence)
			}
		})
	}
}

func TestDiagnoseNotLoggedInAfterLogoutSaysSo(t *testing.T) {
	t.Parallel()
	s := Session{State: StateLoggedOut}
	for _, tr := range Transports {
		s.RecordCheck(Check{Transport: tr, Status: 200}, time.Now())
	}
	if got := s.Diagnose()[0].Summary; !strings.Contains(got, "expected after the logout") {
		t.Fatalf("summary %q does not say the logout explains it", got)
	}
}

// TestDiagnoseNeverSeenLoggedIn: Odoo answers an unknown sid as it answers
// an ended session; only a sid once seen logged in is said to have ended.
func TestDiagnoseNeverSeenLoggedIn(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 3, 18, 0, 0, 0, time.UTC)
	refuse := func(s Session) string {
		for _, tr := range Transports {
			s.RecordCheck(Check{Transport: tr, Status: 200, At: at.Add(time.Hour)}, at)
		}
		return s.Diagnose()[0].Summary
	}
	if got := refuse(Session{Method: "tracked"}); !strings.Contains(got, "knows no session by this sid") {
		t.Errorf("a sid never seen logged in: %q", got)
	}
	seen := Session{Method: "tracked"}
	seen.RecordCheck(Check{Transport: TransportCookie, Accepted: true, Status: 200, At: at}, at)
	for name, s := range map[string]Session{"accepted once": seen, "logged in here": {Method: "web"}} {
		if got := refuse(s); !strings.Contains(got, "the session ended on the server") {
			t.Errorf("%s: %q", name, got)
		}
	}
}

func TestDiagnoseOtherDatabase(t *testing.T) {
	t.Parallel()
	info, _ := json.Marshal(map[string]any{"db": "qa2", "uid": 6})
	s := Session{DB: "qa", Info: info}
	got := s.Diagnose()
	if len(got) != 1 || got[0].Kind != FindOtherDB || !strings.Contains(got[0].Summary, `"qa2"`) {
		t.Fatalf("Diagnose() = %+v, want one other-database finding naming qa2", got)
	}
	s.Info, _ = json.Marshal(map[string]any{"db": "qa"})
	if got := s.Diagnose(); len(got) != 0 {
		t.Fatalf("same database: Diagnose() = %+v, want nothing", got)
	}
}
