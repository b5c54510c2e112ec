package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// withChecks records one check per transport, accepted where ok says so.
func withChecks(s sessions.Session, ok map[string]bool) sessions.Session {
	for _, t := range sessions.Transports {
		if accepted, checked := ok[t]; checked {
			s.RecordCheck(sessions.Check{Transport: t, Accepted: accepted, Status: 200}, t0)
		}
	}
	return s
}

func logoutCases() []struct {
	name string
	sess sessions.Session
	want string
} {
	rest := testSession("a", "qa.example.com", "qa", "admin", sidA)
	web := rest
	web.Method = "web"
	tracked := rest
	tracked.Method = "tracked"
	return []struct {
		name string
		sess sessions.Session
		want string
	}{
		{"REST login", rest, "logout 6df1 header"},
		{"REST login, header works", withChecks(rest, map[string]bool{"header": true,
			"cookie": true}), "logout 6df1 header"},
		{"web login", web, "logout 6df1 cookie"},
		{"web login, header works", withChecks(web, map[string]bool{"header": true}),
			"logout 6df1 cookie"},
		{"REST login on a cookie-only server", withChecks(rest, map[string]bool{"header": false,
			"cookie": true, "param": false}), "logout 6df1 cookie"},
		{"tracked, never checked", tracked, "logout 6df1 cookie"},
		{"tracked on a cookie-only server", withChecks(tracked, map[string]bool{
			"header": false, "cookie": true}), "logout 6df1 cookie"},
	}
}

func TestLogoutDefaultTransport(t *testing.T) {
	t.Parallel()
	for _, tc := range logoutCases() {
		t.Run(tc.name+"/list", func(t *testing.T) {
			t.Parallel()
			fc := &fakeClient{}
			m, _ := newTestModel(t, fc, testOpts{session: []sessions.Session{tc.sess}})
			_, cmd := press(t, m, "l")
			waitMsg[logoutDoneMsg](t, cmd)
			if diff := cmp.Diff([]string{tc.want}, fc.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
		t.Run(tc.name+"/detail", func(t *testing.T) {
			t.Parallel()
			fc := &fakeClient{}
			m, _ := newTestModel(t, fc, testOpts{session: []sessions.Session{tc.sess}})
			m, _ = press(t, m, "enter", "l")
			_, cmd := press(t, m, "enter")
			waitMsg[logoutDoneMsg](t, cmd)
			if diff := cmp.Diff([]string{tc.want}, fc.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLogoutPromptInStatusArea checks that choosing a transport keeps the
// session_info heading and asks on the status line, naming the default.
func TestLogoutPromptInStatusArea(t *testing.T) {
	t.Parallel()
	web := threeSessions()[1]
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: []sessions.Session{web}})
	m, _ = press(t, m, "enter", "l")
	lines := strings.Split(viewText(m), "\n")
	if !strings.Contains(viewText(m), "session_info (") {
		t.Errorf("the prompt replaced the session_info heading:\n%s", viewText(m))
	}
	status := lines[len(lines)-2]
	if !strings.Contains(status, "log out through") || !strings.Contains(status, "2 cookie") ||
		!strings.Contains(status, "enter: cookie") {
		t.Errorf("status line %q does not ask, or names no default", status)
	}
	golden(t, viewText(m))
	m, cmd := press(t, m, "esc")
	if cmd != nil || m.detail.choosing || m.screen != screenDetail {
		t.Errorf("esc did not cancel (choosing %v, screen %d)", m.detail.choosing, m.screen)
	}
}

func TestLogoutTransportIgnored(t *testing.T) {
	t.Parallel()
	ignored := fmt.Errorf("logout at qa: 401: %w", odoo.ErrTransportIgnored)
	rest := testSession("a", "qa.example.com", "qa", "admin", sidA)

	fc := &fakeClient{logoutErr: ignored}
	m, _ := newTestModel(t, fc, testOpts{session: []sessions.Session{rest}})
	m, cmd := press(t, m, "l")
	m = send(t, m, waitMsg[logoutDoneMsg](t, cmd))
	want := "this server does not read the sid from the header; log out through the cookie"
	if m.status.kind != statusError || !strings.HasPrefix(m.status.text, want) {
		t.Errorf("status %q, want %q…", m.status.text, want)
	}
	_, cmd = press(t, m, "l")
	waitMsg[logoutDoneMsg](t, cmd)
	if got := fc.Calls(); got[len(got)-1] != "logout 6df1 cookie" {
		t.Errorf("the next l went %q", got[len(got)-1])
	}

	fc = &fakeClient{logoutErr: ignored}
	m, _ = newTestModel(t, fc, testOpts{session: []sessions.Session{rest}})
	m, cmd = press(t, m, "enter", "l", "1")
	m = send(t, m, waitMsg[logoutDoneMsg](t, cmd))
	if want := want + " (l then 2)"; m.status.text != want {
		t.Errorf("status %q, want %q", m.status.text, want)
	}
}

// TestLoggedOutRowHidesOlderAcceptances: after a logout, the list does not
// show the checks that accepted the sid before it as if it still worked.
func TestLoggedOutRowHidesOlderAcceptances(t *testing.T) {
	t.Parallel()
	s := withChecks(testSession("a", "qa.example.com", "qa", "admin", sidA),
		map[string]bool{"header": true, "cookie": true, "param": false})
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: []sessions.Session{s}})
	if got := m.list.checksCell(m.list.session("a")); got != "✓ ✓ ✗" {
		t.Fatalf("before the logout: %q", got)
	}
	m, cmd := press(t, m, "l")
	m = send(t, m, waitMsg[logoutDoneMsg](t, cmd))
	if m.list.session("a").State != sessions.StateLoggedOut {
		t.Fatalf("state %v after the logout", m.list.session("a").State)
	}
	if got := m.list.checksCell(m.list.session("a")); got != "· · ✗" {
		t.Errorf("after the logout: %q, want the refusal kept and nothing else", got)
	}
}
