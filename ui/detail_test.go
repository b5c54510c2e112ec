package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// detailCases are sessions the detail view must explain: a REST login with
// mixed checks, a stock Odoo 16 web login on a cookie-only server, a
// two-factor login never checked, and one with more findings than 80x24
// has room for.
func detailCases() []struct {
	name  string
	sess  sessions.Session
	notes map[string]string
} {
	rest := threeSessions()[2]
	rest.RESTModule = "installed"

	web := testSession("w", "odoo16.example.com", "demo", "admin", sidB)
	web.ExpiresAt, web.Method, web.ServerVersion, web.RESTModule = time.Time{}, "web", "16.0", "absent"
	for _, c := range []sessions.Check{
		{Transport: "header", Status: 200}, {Transport: "cookie", Accepted: true, Status: 200},
		{Transport: "param", Status: 200},
	} {
		web.RecordCheck(c, t0)
	}

	mfa := web
	mfa.ID, mfa.Login, mfa.UserName, mfa.RESTModule, mfa.Checks = "t", "totp", "Tina Totp", "", nil

	crowded := web
	crowded.ID, crowded.Checks = "x", nil
	crowded.Info, _ = json.Marshal(map[string]any{"uid": 2, "db": "other"})
	for _, c := range []sessions.Check{
		{Transport: "header", Err: "odoo16.example.com did not answer in time"},
		{Transport: "cookie", Accepted: true, Status: 200}, {Transport: "param", Status: 200},
	} {
		crowded.RecordCheck(c, t0)
	}
	return []struct {
		name  string
		sess  sessions.Session
		notes map[string]string
	}{
		{"rest", rest, nil},
		{"web-cookie-only", web, nil},
		{"two-factor", mfa, map[string]string{"t": "XML-RPC refuses passwords of two-factor users"}},
		{"crowded", crowded, nil},
	}
}

func TestDetailView(t *testing.T) {
	t.Parallel()
	for _, tc := range detailCases() {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s/%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				t.Parallel()
				m, _ := newTestModel(t, &fakeClient{}, testOpts{
					session: []sessions.Session{tc.sess}, w: size[0], h: size[1]})
				for id, note := range tc.notes {
					m.detail.moduleNotes[id] = "REST module unknown: " + note
				}
				m, _ = press(t, m, "enter")
				if m.screen != screenDetail || m.detail.sess.ID != tc.sess.ID {
					t.Fatalf("screen %d on %q", m.screen, m.detail.sess.ID)
				}
				m = send(t, m, tickMsg{at: t0.Add(90 * time.Second), tag: m.tickTag})
				view := viewText(m)
				checkFits(t, view, size[0], size[1])
				if !strings.Contains(view, "session_info (") || m.detail.vp.Height() < 1 {
					t.Errorf("no room left for session_info (viewport %d lines)",
						m.detail.vp.Height())
				}
				golden(t, view)
			})
		}
	}
}

func TestDetailDiagnosis(t *testing.T) {
	t.Parallel()
	cases := detailCases()
	tests := []struct {
		name  string
		sess  sessions.Session
		w, h  int
		wants []string
	}{
		{"cookie-only in full sentences", cases[1].sess, 80, 24, []string{
			"Logged in; this server reads only the cookie (as stock Odoo 16 and 18 do):",
			"not like an ended\n session.",
			"\n   header: not accepted (HTTP 200, no logged-in session), at 10:00:00 UTC",
			"\n   cookie: accepted, HTTP 200, at 10:00:00 UTC",
		}},
		{"never checked", cases[2].sess, 80, 24, []string{
			"Not checked yet: c checks every transport",
		}},
		{"web login has no expires_at", cases[1].sess, 80, 24, []string{
			"expires   none: the server gave no expires_at\n",
			"only the REST module's login (/session/auth/login) gives one",
			"idle      saved 2025-03-01 10:00:00 UTC · 6d 23:58:30 left\n",
		}},
		{"both clocks, the nearer marked", cases[0].sess, 80, 24, []string{
			"· 00:40:30 left soon · ends first\n",
			"expires_at is advisory: Odoo does not enforce it",
			"Odoo drops sessions idle for 7 days; counted from the last save",
		}},
		{"REST module", cases[1].sess, 80, 24, []string{"REST module: absent on demo"}},
		{"REST module unknown", cases[2].sess, 80, 24, []string{
			"REST module unknown: XML-RPC refuses passwords of two-factor users"}},
		{"every summary stays when evidence is cut", cases[3].sess, 80, 24, []string{
			"Accepted through cookie; not accepted through param.",
			"No Odoo answer through header: that says nothing about the sid.",
			`The server answered for database "other", not the session's "demo".`,
			"… more evidence in a taller window",
		}},
		{"other database at full height", cases[3].sess, 120, 40, []string{
			"No Odoo answer through header: that says nothing about the sid.",
			"   header: no answer at 10:00:00 UTC (odoo16.example.com did not answer in time)",
			`The server answered for database "other", not the session's "demo".`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, _ := newTestModel(t, &fakeClient{}, testOpts{
				session: []sessions.Session{tc.sess}, w: tc.w, h: tc.h})
			m.detail.moduleNotes["t"] = "REST module unknown: XML-RPC refuses passwords of two-factor users"
			m, _ = press(t, m, "enter")
			m = send(t, m, tickMsg{at: t0.Add(90 * time.Second), tag: m.tickTag})
			view := viewText(m)
			checkFits(t, view, tc.w, tc.h)
			for _, want := range tc.wants {
				if !strings.Contains(view, want) {
					t.Errorf("view lacks %q:\n%s", want, view)
				}
			}
		})
	}
}

func TestDetailActions(t *testing.T) {
	t.Parallel()
	info, _ := json.Marshal(map[string]any{"uid": 7, "name": "Fresh Name", "db": "qa"})
	fc := &fakeClient{accept: map[odoo.Transport]bool{"cookie": true},
		info: odoo.SessionInfo{UID: 7, Name: "Fresh Name", DB: "qa", Raw: info}}
	m, st := newTestModel(t, fc, testOpts{session: threeSessions()})
	m, _ = press(t, m, "enter")

	// 2 checks the cookie transport alone.
	m, cmd := press(t, m, "2")
	m, cmd = sendCmd(t, m, waitMsg[checkDoneMsg](t, cmd))
	m = send(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if c, ok := m.detail.sess.LastCheck("cookie"); !ok || !c.Accepted {
		t.Fatalf("cookie check not recorded: %+v", m.detail.sess.Checks)
	}
	if _, ok := m.detail.sess.LastCheck("header"); ok {
		t.Error("2 also checked the header")
	}
	if !strings.Contains(viewText(m), "2 cookie   ✓ accepted") {
		t.Errorf("matrix does not show the cookie check:\n%s", viewText(m))
	}

	// l asks which transport; 2 logs out through the cookie.
	m, cmd = press(t, m, "l")
	if cmd != nil || !m.detail.choosing || !strings.Contains(viewText(m), "log out through") {
		t.Fatal("l did not ask for a transport")
	}
	m, cmd = press(t, m, "2")
	m, cmd = sendCmd(t, m, waitMsg[logoutDoneMsg](t, cmd))
	m = send(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if got := fc.Calls(); got[len(got)-1] != "logout 6df1 cookie" {
		t.Errorf("last call %q", got[len(got)-1])
	}
	if m.detail.sess.State != sessions.StateLoggedOut {
		t.Errorf("state %q", m.detail.sess.State)
	}

	// d warns that it resets the idle timer before calling get_session_info.
	m = send(t, m, tickMsg{at: t0.Add(time.Hour), tag: m.tickTag})
	m, cmd = press(t, m, "d")
	if cmd != nil || m.confirm == nil ||
		!strings.Contains(viewText(m), "idle clock (7 days) starts again") {
		t.Fatal("d did not ask first")
	}
	m, cmd = press(t, m, "y")
	done := waitMsg[detailsDoneMsg](t, cmd)
	m, cmd = sendCmd(t, m, done)
	if got := fc.Calls(); got[len(got)-1] != "info 6df1 cookie" {
		t.Errorf("details fetched with %q, want the transport that works", got[len(got)-1])
	}
	s := m.list.session("a")
	if s.UID != 7 || s.UserName != "Fresh Name" || !s.SavedAt.Equal(t0) {
		t.Errorf("after details: uid %d name %q saved %v", s.UID, s.UserName, s.SavedAt)
	}
	if !strings.Contains(viewText(m), `"name": "Fresh Name"`) {
		t.Error("the JSON viewport does not show the new session_info")
	}
	waitMsg[sessionsSavedMsg](t, cmd)
	if st.snapshot()[0].UserName != "Fresh Name" {
		t.Error("details not stored")
	}

	// y copies the sid with OSC 52.
	m, cmd = press(t, m, "y")
	if cmd == nil || !strings.Contains(m.status.text, "sid copied") {
		t.Fatal("y did not copy")
	}
	if got := fmt.Sprintf("%T %v", cmd(), cmd()); got != "tea.setClipboardMsg "+sidA {
		t.Errorf("clipboard command gave %q", got)
	}

	m, _ = press(t, m, "esc")
	if m.screen != screenList {
		t.Error("esc did not go back")
	}
}

func TestDetailForgottenElsewhere(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions()})
	m, _ = press(t, m, "enter")
	list := append(threeSessions()[1:], sessions.Session{ID: "a", Forgotten: true})
	m = send(t, m, sessionsLoadedMsg{key: m.loadKey, list: list}) // stale key: dropped
	if m.screen != screenDetail {
		t.Fatal("a stale load changed the screen")
	}
	m.watchKey = 99
	m = send(t, m, sessionsLoadedMsg{key: 99, list: list, fp: fingerprintList(list)})
	if m.screen != screenList || !strings.Contains(m.status.text, "forgotten") {
		t.Errorf("screen %d status %q", m.screen, m.status.text)
	}
}

func TestPrettyInfoSanitises(t *testing.T) {
	t.Parallel()
	got := prettyInfo(json.RawMessage(`{"name":"a\u001b[31mred","n":1}`))
	want := []string{"{", `  "name": "a\u001b[31mred",`, `  "n": 1`, "}"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	raw := prettyInfo(json.RawMessage("not json \x1b]52;c;evil\x07"))
	if strings.ContainsRune(raw[0], '\x1b') {
		t.Errorf("escape kept: %q", raw[0])
	}
}

func TestLoginView(t *testing.T) {
	t.Parallel()
	t.Run("demo", func(t *testing.T) {
		t.Parallel()
		m, _ := newTestModel(t, &fakeClient{}, testOpts{cfg: demoConfig})
		m = fillLogin(t, m, "admin", "admin")
		m.login.err = "wrong login or password"
		view := viewText(m)
		checkFits(t, view, 80, 24)
		golden(t, view)
	})
	t.Run("totp", func(t *testing.T) {
		t.Parallel()
		fc := &fakeClient{loginRes: &odoo.LoginResult{SID: "half", TOTPRequired: true}}
		m, _ := newTestModel(t, fc, testOpts{cfg: demoConfig})
		m = fillLogin(t, m, "mfa", "pw")
		m, cmd := press(t, m, "enter")
		m = send(t, m, waitMsg[loginDoneMsg](t, cmd))
		view := viewText(m)
		checkFits(t, view, 80, 24)
		golden(t, view)
	})
}

func TestErrorText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"unreachable", fmt.Errorf("login: %w", odoo.ErrUnreachable),
			"cannot reach qa:8069: is the server running and the URL right?"},
		{"auth", odoo.ErrAuthFailed, "wrong login or password"},
		{"route", fmt.Errorf("%w: POST /session/auth/login answered 404: is "+
			"base_rest_auth_user_service installed on this database?", odoo.ErrRouteMissing),
			"route missing: POST /session/auth/login answered 404: is " +
				"base_rest_auth_user_service installed on this database?"},
		{"expired", odoo.ErrSessionExpired,
			"the server does not know this session: logged out, expired or dropped"},
		{"server text is sanitised", fmt.Errorf("odd \x1b[2J\x1b]0;x\x07answer"), "odd answer"},
		{"need db", odoo.ErrNeedDatabase,
			"qa:8069 hosts several databases: name one in the Database field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := errorText(tc.err, "qa:8069"); got != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestErrorTextKeepsWhatTheClientSaw: behind the advice, the message says
// what came back, as the command line does.
func TestErrorTextKeepsWhatTheClientSaw(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "<html><head><title>Internal \x1b[31mServer Error</title></head></html>")
	}))
	defer srv.Close()
	c, err := odoo.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	got := errorText(c.Check(context.Background(), strings.Repeat("a", 40), odoo.TransportCookie).Err,
		"qa:8069")
	want := "qa:8069 answered, but not as Odoo does: is the URL right? (/web/session/check " +
		"answered 500 with an HTML page titled \"Internal Server Error\": not an Odoo server?)"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
