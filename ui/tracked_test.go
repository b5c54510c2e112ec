package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// trackedSession is a sid tracked on odoo17.test that nothing checked yet.
func trackedSession() sessions.Session {
	return sessions.Session{ID: "tr", URL: "http://odoo17.test", DB: "typed", SID: sidB,
		ObtainedAt: t0, Method: "tracked", State: sessions.StateActive, UpdatedAt: t0}
}

// submitTrack fills the track form with a URL on odoo18.test and paste as
// the sid, and submits it.
func submitTrack(t *testing.T, paste string) model {
	t.Helper()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{})
	m, _ = press(t, m, "t")
	m.track.inputs[trackURL].SetValue("http://odoo18.test")
	m.track.inputs[trackSID].SetValue(paste)
	m, _ = press(t, m, "enter")
	return m
}

func TestTrackPastedCookie(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, paste, wantTook string
	}{
		{"bare sid", sidA, ""},
		{"cookie pair", "session_id=" + sidA, "took the sid out of `session_id=…`"},
		{"Cookie header", "Cookie: tz=Europe/Brussels; session_id=" + sidA + "; frontend_lang=en",
			"took the sid out of `session_id=…`"},
		{"Set-Cookie header", "Set-Cookie: session_id=" + sidA + "; Expires=Sat, 01 Mar 2025; " +
			"HttpOnly; Path=/", "took the sid out of `session_id=…`"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := submitTrack(t, tc.paste)
			if m.screen != screenList || len(m.list.all) != 1 {
				t.Fatalf("screen %d, %d sessions, error %q", m.screen, len(m.list.all), m.track.err)
			}
			if got := m.list.all[0].SID; got != sidA {
				t.Errorf("tracked sid %q", got)
			}
			took := strings.Contains(m.status.text, "took the sid out of")
			if took != (tc.wantTook != "") || !strings.Contains(m.status.text, tc.wantTook) {
				t.Errorf("status %q", m.status.text)
			}
		})
	}
}

func TestTrackRefusesWhatIsNoSid(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, paste, want string }{
		{"nothing", "  ", "the session id is missing"},
		{"empty cookie", "Cookie: session_id=; frontend_lang=en", "nothing follows session_id=: paste the cookie's value too"},
		{"two words", "abc def", "the sid holds a space or a character a cookie cannot carry: " +
			"expected printable ASCII without spaces, quotes, commas, semicolons or backslashes"},
		{"far too long", strings.Repeat("a", 200000), "the sid is 200000 characters long: " +
			"expected at most 512 (Odoo's are 40 to about 84)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := submitTrack(t, tc.paste)
			if m.screen != screenTrack || len(m.list.all) != 0 || m.track.err != tc.want {
				t.Errorf("screen %d, %d sessions, error %q; want the form kept with %q",
					m.screen, len(m.list.all), m.track.err, tc.want)
			}
			if m.track.inputs[trackURL].Value() != "http://odoo18.test" {
				t.Errorf("URL field lost: %q", m.track.inputs[trackURL].Value())
			}
		})
	}
}

func TestForgetPromptByState(t *testing.T) {
	t.Parallel()
	noAnswer := sessions.Check{Transport: "header", Err: "qa.example.com answered, but not as Odoo does"}
	tests := []struct {
		name   string
		state  sessions.State
		login  string
		checks []sessions.Check
		want   string
	}{
		{"active", sessions.StateActive, "admin", nil,
			"forget admin on qa.example.com:8069? It stays logged in there."},
		{"logged out", sessions.StateLoggedOut, "admin", nil, "forget admin on qa.example.com:8069?"},
		{"not accepted", sessions.StateRejected, "admin", nil, "forget admin on qa.example.com:8069?"},
		{"expired", sessions.StateExpired, "admin", nil, "forget admin on qa.example.com:8069?"},
		{"no check answered", sessions.StateActive, "admin", []sessions.Check{noAnswer},
			"forget admin on qa.example.com:8069? It may still be logged in there."},
		{"nobody known", sessions.StateActive, "", []sessions.Check{noAnswer},
			"forget sid " + sessions.MaskSID(sidA) + " on qa.example.com:8069? It may still be " +
				"logged in there."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := testSession("a", "qa.example.com", "qa", tc.login, sidA)
			s.State = tc.state
			if tc.login == "" {
				s.UserName = ""
			}
			for _, c := range tc.checks {
				s.RecordCheck(c, t0)
			}
			m, _ := newTestModel(t, &fakeClient{}, testOpts{session: []sessions.Session{s}})
			m, _ = press(t, m, "x")
			if m.confirm == nil || m.confirm.prompt != tc.want {
				t.Errorf("prompt %+v, want %q", m.confirm, tc.want)
			}
		})
	}
}

func TestTrackedUncheckedState(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{accept: map[odoo.Transport]bool{"cookie": true}}
	m, _ := newTestModel(t, fc, testOpts{session: []sessions.Session{trackedSession()}})
	row := m.list.rowView(0)
	if !strings.Contains(row, "unchecked") || strings.Contains(row, "active") {
		t.Errorf("row before any check: %q", row)
	}
	m, cmd := press(t, m, "c")
	m = send(t, m, waitMsg[checkDoneMsg](t, cmd))
	if row := m.list.rowView(0); !strings.Contains(row, "active") {
		t.Errorf("row after a check: %q", row)
	}
}

func TestTrackedDetails(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{info: odoo.SessionInfo{UID: 6, Name: "Marc Demo", Username: "demo",
		DB: "prod", ServerVersion: "17.0"}}
	m, _ := newTestModel(t, fc, testOpts{session: []sessions.Session{trackedSession()}})
	m, _ = press(t, m, "enter")
	if title := m.detail.titleText(); !strings.HasPrefix(title, "- on odoo17.test") ||
		!strings.HasSuffix(title, "unchecked") {
		t.Errorf("title before details %q", title)
	}
	m, _ = press(t, m, "d")
	m, cmd := press(t, m, "y")
	m = send(t, m, waitMsg[detailsDoneMsg](t, cmd))

	s := m.list.all[0]
	got := []any{s.Login, s.UserName, s.UID, s.DB, s.ServerVersion}
	if diff := cmp.Diff([]any{"demo", "Marc Demo", 6, "prod", "17.0"}, got); diff != "" {
		t.Errorf("login, name, uid, db, version (-want +got):\n%s", diff)
	}
	if title := m.detail.titleText(); !strings.HasPrefix(title, "demo on odoo17.test · "+
		"database prod") || !strings.HasSuffix(title, "active") {
		t.Errorf("title after details %q", title)
	}
	if row := m.list.rowView(0); !strings.Contains(row, "demo") {
		t.Errorf("row after details %q", row)
	}
}

// TestTrackedDetailsLateReply fetches the details of a tracked sid with a
// reply stamped after the console's last tick: the user line names nobody
// before, and the idle clock then shows its whole length, not more.
func TestTrackedDetailsLateReply(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{info: odoo.SessionInfo{UID: 6, Name: "Marc Demo", Username: "demo"}}
	m, _ := newTestModel(t, fc, testOpts{session: []sessions.Session{trackedSession()}})
	m, _ = press(t, m, "enter")
	if v := m.detail.View(); !strings.Contains(v, "user      unknown: d asks the server") ||
		strings.Contains(v, "uid 0") {
		t.Errorf("user line of an unidentified sid:\n%s", v)
	}
	m, _ = press(t, m, "d")
	m, cmd := press(t, m, "y")
	msg := waitMsg[detailsDoneMsg](t, cmd)
	msg.at = t0.Add(700 * time.Millisecond)
	m = send(t, m, msg)

	v := m.detail.View()
	if !strings.Contains(v, "Marc Demo (uid 6)") {
		t.Errorf("user line after details:\n%s", v)
	}
	if !strings.Contains(v, "· 7d 00:00:00 left") {
		t.Errorf("idle clock after a late reply, want its whole 7 days left:\n%s", v)
	}
}

func TestDetailTitleFallsBackToName(t *testing.T) {
	t.Parallel()
	s := trackedSession()
	s.UserName = "Marc Demo"
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: []sessions.Session{s}})
	m, _ = press(t, m, "enter")
	if title := m.detail.titleText(); !strings.HasPrefix(title, "Marc Demo on odoo17.test") {
		t.Errorf("title %q", title)
	}
}

// TestTrackKeepsTheServerRoot: a page copied from a browser names the
// server; a sid tracked already on it is refused, as the command line does.
func TestTrackKeepsTheServerRoot(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{})
	for i, want := range []string{"", "that sid is already tracked: sid " + sessions.MaskSID(sidA) +
		", unchecked"} {
		m, _ = press(t, m, "t")
		m.track.inputs[trackURL].SetValue("http://odoo18.test:8069/odoo/contacts?debug=1")
		m.track.inputs[trackSID].SetValue(sidA)
		m, _ = press(t, m, "enter")
		if m.track.err != want {
			t.Errorf("try %d: error %q, want %q", i+1, m.track.err, want)
		}
	}
	if len(m.list.all) != 1 || m.list.all[0].URL != "http://odoo18.test:8069" {
		t.Errorf("tracked %d sessions, the first on %q", len(m.list.all), m.list.all[0].URL)
	}
}

// TestCheckThatSavedRestartsTheIdleClock: on Odoo 18 a check can save the
// session; the console says so and counts the idle limit from then.
func TestCheckThatSavedRestartsTheIdleClock(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{accept: map[odoo.Transport]bool{"cookie": true}, saves: true}
	m, _ := newTestModel(t, fc, testOpts{session: []sessions.Session{trackedSession()}})
	if !m.list.all[0].SavedAt.IsZero() {
		t.Fatal("the tracked session starts with a save time")
	}
	m, cmd := press(t, m, "c")
	m = send(t, m, waitMsg[checkDoneMsg](t, cmd))
	if got := m.list.all[0].SavedAt; !got.Equal(t0) {
		t.Errorf("SavedAt %v after a check that saved, want %v", got, t0)
	}
	if !strings.Contains(m.status.text, "the server saved the session with this check") {
		t.Errorf("status %q", m.status.text)
	}
}

// TestTrackFormTakesTheSelectedServer: t on a session opens the form on its
// server, the cursor in the sid field.
func TestTrackFormTakesTheSelectedServer(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions()})
	m, _ = press(t, m, "t")
	if got := m.track.inputs[trackURL].Value(); got != m.list.selected().URL || m.track.focus != trackSID {
		t.Errorf("URL %q, focus %d; want %q and the sid field", got, m.track.focus, m.list.selected().URL)
	}
}
