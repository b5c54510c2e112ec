package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/odoo-sessions/odoo-sessions/sessions"
)

func TestLoggedOutHasNoCountdown(t *testing.T) {
	t.Parallel()
	s := testSession("a", "qa.example.com", "qa", "admin", sidA)
	s.State = sessions.StateLoggedOut
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: []sessions.Session{s}})
	m = send(t, m, tickMsg{at: t0.Add(time.Minute), tag: m.tickTag})
	row := strings.Split(viewText(m), "\n")[2]
	if strings.Contains(row, "idle") || strings.Contains(row, "exp") ||
		strings.Contains(row, ":59:") {
		t.Errorf("a logged-out row counts down: %q", row)
	}
	if !strings.Contains(row, " - ") || !strings.Contains(row, "logged out") {
		t.Errorf("row %q does not show - and logged out", row)
	}

	m, _ = press(t, m, "enter")
	view := viewText(m)
	if strings.Contains(view, " left") {
		t.Errorf("the detail view counts down a logged-out session:\n%s", view)
	}
}

func TestNarrowListKeepsPorts(t *testing.T) {
	t.Parallel()
	a := testSession("a", "127.0.0.1", "qa", "admin", sidA)
	b := testSession("b", "127.0.0.1", "qa", "admin", sidB)
	a.URL, b.URL = "http://127.0.0.1:41235", "http://127.0.0.1:41236"
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: []sessions.Session{a, b},
		w: 60, h: 16})
	lines := strings.Split(viewText(m), "\n")
	for i, port := range []string{":41235", ":41236"} {
		if !strings.Contains(lines[2+i], port) || !strings.Contains(lines[2+i], "127.") {
			t.Errorf("row %q lost the start of the host or the port %s", lines[2+i], port)
		}
	}
}
func TestFitHost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		host  string
		width int
		want  string
	}{
		{"127.0.0.1:41235", 20, "127.0.0.1:41235     "},
		{"127.0.0.1:41235", 11, "127.…:41235"},
		{"odoo.example.com:8069", 12, "odoo.e…:8069"},
		{"odoo.example.com", 8, "odoo.ex…"},
		{"[::1]:8069", 6, "…:8069"},
		{"127.0.0.1:41235", 4, "…235"},
	}
	for _, tc := range tests {
		if got := fitHost(tc.host, tc.width); got != tc.want {
			t.Errorf("fitHost(%q, %d) = %q, want %q", tc.host, tc.width, got, tc.want)
		}
	}
}

// TestNarrowListKeepsAShortDatabase: at 80 columns the database column
// stays when every host, user and database fits whole.
func TestNarrowListKeepsAShortDatabase(t *testing.T) {
	t.Parallel()
	short := []sessions.Session{
		testSession("a", "127.0.0.1", "demo", "admin", sidA),
		testSession("b", "127.0.0.1", "erp", "demo", sidB),
	}
	long := []sessions.Session{
		testSession("a", "odoo-staging.internal.example.com", "production_eu", "administrator", sidA),
	}
	for _, tc := range []struct {
		name   string
		list   []sessions.Session
		wantDB bool
	}{{"short", short, true}, {"long", long, false}} {
		m, _ := newTestModel(t, &fakeClient{}, testOpts{session: tc.list, w: 80, h: 24})
		view := viewText(m)
		checkFits(t, view, 80, 24)
		header := strings.Split(view, "\n")[1]
		if got := strings.Contains(header, " DB "); got != tc.wantDB {
			t.Errorf("%s: database column shown %v, want %v:\n%s", tc.name, got, tc.wantDB, view)
		}
		if tc.wantDB && !strings.Contains(m.list.rowView(0), "demo") {
			t.Errorf("%s: row without its database: %q", tc.name, m.list.rowView(0))
		}
	}
}
