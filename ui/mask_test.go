package ui

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// restInfoSession is an Odoo 15 REST login whose session_info carries the
// sid, as /session/auth/login answers.
func restInfoSession() sessions.Session {
	s := testSession("a", "qa.example.com", "qa", "admin", sidA)
	s.Info, _ = json.Marshal(map[string]any{"uid": 2, "db": "qa",
		"session": map[string]any{"sid": sidA, "expires_at": "2025-05-30 10:00:00"}})
	return s
}

func TestSIDMaskedInDetail(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: []sessions.Session{restInfoSession()},
		w: 120, h: 50})
	m, _ = press(t, m, "enter")
	view := viewText(m)
	if strings.Contains(view, sidA) {
		t.Fatalf("the detail view shows the whole sid:\n%s", view)
	}
	if !strings.Contains(view, `"sid": "6df1…be63"`) || !strings.Contains(view, "r reveals") {
		t.Errorf("the session_info line is not masked, or r is not offered:\n%s", view)
	}

	m, _ = press(t, m, "r")
	view = viewText(m)
	if !strings.Contains(view, `"sid": "`+sidA+`"`) {
		t.Errorf("revealed, the session_info still hides the sid:\n%s", view)
	}
	if !strings.Contains(view, "r hides") || strings.Contains(view, "r reveals") {
		t.Errorf("revealed, the sid line does not offer to hide it:\n%s", view)
	}

	m, _ = press(t, m, "r")
	if view = viewText(m); strings.Contains(view, sidA) {
		t.Errorf("hidden again, the sid still shows:\n%s", view)
	}
}

func TestSIDMaskedInMessages(t *testing.T) {
	t.Parallel()
	echo := fmt.Errorf("check: %w", &odoo.RPCError{Code: 200, HTTPStatus: 200,
		Name: "odoo.exceptions.UserError", Message: "no session " + sidA,
		Debug: "Traceback (most recent call last):\nKeyError: '" + sidA + "'"})
	m, _ := newTestModel(t, &fakeClient{checkErr: echo},
		testOpts{session: []sessions.Session{restInfoSession()}, w: 200, h: 30})
	m, cmd := press(t, m, "c")
	m = send(t, m, waitMsg[checkDoneMsg](t, cmd))
	if view := viewText(m); strings.Contains(view, sidA) ||
		!strings.Contains(view, "no session 6df1…be63") {
		t.Errorf("the status line shows the sid, or not masked:\n%s", view)
	}

	m, _ = press(t, m, "e")
	if m.screen != screenAnswer {
		t.Fatalf("e opened screen %d", m.screen)
	}
	if view := viewText(m); strings.Contains(view, sidA) || !strings.Contains(view, "6df1…be63") {
		t.Errorf("the answer view shows the sid, or not masked:\n%s", view)
	}

	m, _ = press(t, m, "esc", "enter")
	if view := viewText(m); strings.Contains(view, sidA) {
		t.Errorf("the detail view shows the sid:\n%s", view)
	}
}
func TestMaskIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, sid string
		reveal          bool
		want            string
	}{
		{"masked", "a " + sidA + " b " + sidA, sidA, false, "a 6df1…be63 b 6df1…be63"},
		{"revealed", "a " + sidA, sidA, true, "a " + sidA},
		{"no sid", "a " + sidA, "", false, "a " + sidA},
		{"too short to be a sid", "abc", "b", false, "abc"},
		{"JSON escapes", `"x\u003cy-long-sid-value"`, "x<y-long-sid-value", false, `"x<y-…alue"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := maskIn(tc.text, tc.sid, tc.reveal); got != tc.want {
				t.Errorf("maskIn = %q, want %q", got, tc.want)
			}
		})
	}
}
