package ui

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// brokenStore loads once, then fails every later load with err.
type brokenStore struct {
	mu    sync.Mutex
	list  []sessions.Session
	loads int
	err   error
}

func (s *brokenStore) Load() ([]sessions.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads++
	if s.loads > 1 {
		return nil, s.err
	}
	return copySessions(s.list), nil
}

func (s *brokenStore) Update(
	fn func([]sessions.Session) []sessions.Session) ([]sessions.Session, error) {
	return nil, s.err
}

// squeeze drops all white space, which wrapping adds and moves.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// statusLine is the status line of a view h lines high.
func statusLine(view string, h int) string { return strings.Split(view, "\n")[h-2] }

const adminNote = "logged in as an administrator: Odoo rewrites the web.base.url " +
	"parameter to the address used here, unless web.base.url.freeze is set"

func TestFullMessageOneKeyAway(t *testing.T) {
	t.Parallel()
	longURL := "http://" + strings.Repeat("very-long-host-name.", 12) + "example.com:8069"
	perm := &sessions.PermissionError{Path: "/home/qa/.local/state/odoo-sessions/sessions.json",
		Mode: 0o644, Fix: "chmod 600 /home/qa/.local/state/odoo-sessions/sessions.json"}
	tests := []struct {
		name string
		// act brings the console to the message.
		act  func(t *testing.T, m model) model
		want string
	}{
		{"admin note", func(t *testing.T, m model) model {
			m, _ = press(t, m, "n")
			m = fillLogin(t, m, "admin", "admin")
			m, cmd := press(t, m, "enter")
			return send(t, m, waitMsg[loginDoneMsg](t, cmd))
		}, adminNote},
		{"store permissions", func(t *testing.T, m model) model {
			m = send(t, m, tickMsg{at: t0.Add(2 * time.Second), tag: m.tickTag})
			m, cmd := sendCmd(t, m, tickMsg{at: t0.Add(3 * time.Second), tag: m.tickTag})
			return send(t, m, waitMsg[sessionsLoadedMsg](t, cmd))
		}, perm.Error()},
		{"URL error", func(t *testing.T, m model) model {
			m, cmd := press(t, m, "c")
			return send(t, m, waitMsg[checkDoneMsg](t, cmd))
		}, "parse " + longURL + ": invalid port"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := okLogin()
			res.Notes = []string{adminNote}
			fc := &fakeClient{loginRes: res, checkErr: errors.New("parse " + longURL +
				": invalid port")}
			st := &brokenStore{list: threeSessions(), err: perm}
			m := New(Config{
				NewClient: func(string) (Client, error) { return fc, nil },
				Store:     st,
				Clock:     func() time.Time { return t0 },
				NoColor:   true,
				URL:       "http://localhost:8069",
			}).(model)
			list, _ := st.Load()
			m = send(t, m, sessionsLoadedMsg{key: m.loadKey, list: list, fp: fingerprintList(list)})
			m = send(t, m, tea.WindowSizeMsg{Width: 120, Height: 30})
			m = tc.act(t, m)
			line := statusLine(viewText(m), 30)
			if !strings.Contains(line, " e shows all") {
				t.Fatalf("the status line does not offer the rest: %q", line)
			}
			m, _ = press(t, m, "e")
			if m.screen != screenAnswer {
				t.Fatalf("e opened screen %d", m.screen)
			}
			view := viewText(m)
			checkFits(t, view, 120, 30)
			if !strings.Contains(squeeze(view), squeeze(tc.want)) {
				t.Errorf("the full message lacks %q:\n%s", tc.want, view)
			}
		})
	}
}

func TestFullMessageView(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{checkErr: fmt.Errorf("check: %w", errors.New(strings.Repeat(
		"the server said something long about the request it did not like; ", 4)))}
	m, _ := newTestModel(t, fc, testOpts{session: threeSessions()})
	m, cmd := press(t, m, "c")
	m = send(t, m, waitMsg[checkDoneMsg](t, cmd))
	m, _ = press(t, m, "e")
	view := viewText(m)
	checkFits(t, view, 80, 24)
	golden(t, view)
}

func TestConfirmPromptsFit(t *testing.T) {
	t.Parallel()
	long := testSession("a", strings.Repeat("long-host.", 6)+"example.com", "qa",
		"someone.with.a.long.login@example.com", sidA)
	ended := long
	ended.ID, ended.State = "e", sessions.StateLoggedOut
	tests := []struct {
		name string
		keys []string
		want string
	}{
		{"forget", []string{"x"}, "forget someone"},
		{"prune one", []string{"G", "P"}, "prune 1 session that is logged out"},
		{"details", []string{"enter", "d"}, "fetch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, _ := newTestModel(t, &fakeClient{}, testOpts{
				session: []sessions.Session{long, ended}})
			m, _ = press(t, m, tc.keys...)
			if m.confirm == nil {
				t.Fatal("no question asked")
			}
			line := strings.TrimSpace(statusLine(viewText(m), 24))
			if !strings.HasPrefix(line, tc.want) || !strings.HasSuffix(line, "(y/n)") {
				t.Errorf("prompt %q: want it to start with %q and end with (y/n)", line, tc.want)
			}
		})
	}
}

func TestPruneGrammar(t *testing.T) {
	t.Parallel()
	list := threeSessions()
	list[0].State, list[1].State = sessions.StateLoggedOut, sessions.StateLoggedOut
	for n, want := range map[int]string{
		1: "prune 1 session that is ", 2: "prune 2 sessions that are "} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			m, _ := newTestModel(t, &fakeClient{}, testOpts{session: list[:n]})
			m, _ = press(t, m, "P")
			if m.confirm == nil || !strings.HasPrefix(m.confirm.prompt, want) {
				t.Errorf("prompt %+v, want %q…", m.confirm, want)
			}
		})
	}
}

func TestStaleStatusCleared(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{loginRes: okLogin()}, testOpts{cfg: demoConfig,
		session: threeSessions()})
	m = fillLogin(t, m, "admin", "admin")
	m, cmd := press(t, m, "enter")
	m = send(t, m, waitMsg[loginDoneMsg](t, cmd))
	if !strings.Contains(statusLine(viewText(m), 24), "logged in as admin") {
		t.Fatalf("no login status: %q", statusLine(viewText(m), 24))
	}
	m, _ = press(t, m, "up")
	if !strings.Contains(statusLine(viewText(m), 24), "logged in as admin") {
		t.Errorf("moving the cursor dropped the status: %q", statusLine(viewText(m), 24))
	}
	m, _ = press(t, m, "enter")
	if line := strings.TrimSpace(statusLine(viewText(m), 24)); line != "" {
		t.Errorf("the next action kept the old status: %q", line)
	}
}
