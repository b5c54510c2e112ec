package ui

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/odoo"
)

func TestLoginCodeWithSpaces(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{
		loginRes: &odoo.LoginResult{SID: "halfhalfhalfhalf", TOTPRequired: true},
		totpRes:  okLogin(),
	}
	m, _ := newTestModel(t, fc, testOpts{cfg: demoConfig})
	m = fillLogin(t, m, "totp", "totp")
	m, cmd := press(t, m, "enter")
	m = send(t, m, waitMsg[loginDoneMsg](t, cmd))
	m = send(t, m, tea.PasteMsg{Content: "632 845"})
	if got := m.login.inputs[fieldCode].Value(); got != "632 845" {
		t.Fatalf("the pasted code reads %q", got)
	}
	m, cmd = press(t, m, "enter")
	if m.login.err != "" {
		t.Fatalf("the code was refused: %q", m.login.err)
	}
	waitMsg[loginDoneMsg](t, cmd)
	if got := fc.Calls(); got[len(got)-1] != "totp halfhalfhalfhalf 632845" {
		t.Errorf("last call %q", got[len(got)-1])
	}
}

// steppingClock advances by step at every call after the first.
type steppingClock struct {
	mu   sync.Mutex
	at   time.Time
	step time.Duration
}

func (c *steppingClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	at := c.at
	c.at = c.at.Add(c.step)
	return at
}

func TestLoginStampedAtReply(t *testing.T) {
	t.Parallel()
	clock := &steppingClock{at: t0, step: time.Minute}
	fc := &fakeClient{loginRes: okLogin()}
	m, _ := newTestModel(t, fc, testOpts{cfg: func(c *Config) {
		demoConfig(c)
		c.Clock = clock.now
	}})
	m = send(t, m, tickMsg{at: t0, tag: m.tickTag})
	m = fillLogin(t, m, "admin", "admin")
	m, cmd := press(t, m, "enter")
	m = send(t, m, waitMsg[loginDoneMsg](t, cmd))
	s := m.list.all[0]
	if !s.ObtainedAt.After(t0) || !s.SavedAt.Equal(s.ObtainedAt) {
		t.Errorf("obtained %v saved %v: want the time of the reply, after %v", s.ObtainedAt,
			s.SavedAt, t0)
	}
}

func TestLoginURLMessage(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{cfg: func(c *Config) {
		demoConfig(c)
		c.NewClient = func(string) (Client, error) {
			return nil, errors.New(`--url: server URL "x": expected http:// or https:// ` +
				`followed by a host, such as http://localhost:8069`)
		}
	}})
	m = fillLogin(t, m, "admin", "admin")
	m, cmd := press(t, m, "enter")
	m = send(t, m, waitMsg[loginDoneMsg](t, cmd))
	want := `server URL "x": expected http:// or https:// followed by a host, ` +
		`such as http://localhost:8069`
	if m.login.err != want {
		t.Errorf("error %q, want %q", m.login.err, want)
	}
	if view := viewText(m); strings.Contains(view, "--url") || strings.Count(view, `"x"`) > 1 {
		t.Errorf("the form names a flag or repeats the URL:\n%s", view)
	}
	golden(t, viewText(m))
}

// TestLoginProfiles: ↑/↓ on the URL field fills in the configured profiles
// one after the other, and asks each server what it is.
func TestLoginProfiles(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{version: odoo.ServerVersion{Version: "17.0"}}
	m, _ := newTestModel(t, fc, testOpts{cfg: func(c *Config) {
		c.Profiles = []Profile{
			{Name: "prod", URL: "https://erp.example.com", DB: "erp", Login: "ops"},
			{Name: "staging\x1b[2J", URL: "http://staging:8069"},
		}
	}})
	m, _ = press(t, m, "n")
	if m.login.focus != fieldURL {
		t.Fatalf("focus on field %d, want the URL", m.login.focus)
	}
	if h := m.login.hint(fieldURL); h != "profiles: prod, staging · ↑/↓ picks one" {
		t.Errorf("hint before a pick: %q", h)
	}
	values := func() [3]string {
		in := m.login.inputs
		return [3]string{in[fieldURL].Value(), in[fieldDB].Value(), in[fieldLogin].Value()}
	}
	m, cmd := press(t, m, "down")
	if got := values(); got != [3]string{"https://erp.example.com", "erp", "ops"} {
		t.Errorf("after ↓: %q", got)
	}
	m = send(t, m, waitMsg[probeDoneMsg](t, cmd))
	if h := m.login.hint(fieldURL); h != "profile prod (1 of 2) · ↑/↓ picks another · Odoo 17.0" {
		t.Errorf("hint after ↓: %q", h)
	}
	m, _ = press(t, m, "down")
	if got := values(); got != [3]string{"http://staging:8069", "", ""} {
		t.Errorf("after ↓ ↓: %q (the first profile's database or login stayed)", got)
	}
	m, _ = press(t, m, "up")
	if got := values(); got[0] != "https://erp.example.com" {
		t.Errorf("after ↑: %q", got)
	}
}

// TestLoginKeepsTheServerRoot: a session logged in from a page's URL keeps
// the server's root, as the command line's do.
func TestLoginKeepsTheServerRoot(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{loginRes: okLogin()}
	m, _ := newTestModel(t, fc, testOpts{cfg: demoConfig})
	m.login.inputs[fieldURL].SetValue("https://erp.example.com/odoo/contacts#id=3")
	m = fillLogin(t, m, "admin", "admin")
	m, cmd := press(t, m, "enter")
	m = send(t, m, waitMsg[loginDoneMsg](t, cmd))
	if len(m.list.all) != 1 || m.list.all[0].URL != "https://erp.example.com" {
		t.Fatalf("sessions %d, URL %q", len(m.list.all), m.list.all[0].URL)
	}

	m, _ = press(t, m, "n")
	m.login.inputs[fieldURL].SetValue("erp.example.com")
	m.login.inputs[fieldPassword].SetValue("admin")
	m, _ = press(t, m, "enter")
	if m.login.busy || m.login.focus != fieldURL ||
		!strings.Contains(m.login.err, "expected http:// or https:// followed by a host") {
		t.Errorf("a URL without a scheme: busy %v, focus %d, error %q", m.login.busy,
			m.login.focus, m.login.err)
	}
}

// TestLoginURLEditDropsTheServerNote: once the URL is edited, what the last
// server said about itself is no longer shown under it.
func TestLoginURLEditDropsTheServerNote(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{version: odoo.ServerVersion{Version: "15.0"}, dbs: []string{"demo"}}
	m, _ := newTestModel(t, fc, testOpts{})
	m, _ = press(t, m, "n")
	m = typeText(t, m, "http://a:8069")
	m, cmd := press(t, m, "tab")
	m = send(t, m, waitMsg[probeDoneMsg](t, cmd))
	m, _ = press(t, m, "shift+tab")
	if m.login.version != "Odoo 15.0" || len(m.login.dbs) != 1 {
		t.Fatalf("after the probe: %q, %v", m.login.version, m.login.dbs)
	}
	m = typeText(t, m, "0")
	if m.login.version != "" || m.login.dbs != nil || m.login.dbNote != "" {
		t.Errorf("after an edit: %q, %v, %q", m.login.version, m.login.dbs, m.login.dbNote)
	}
	if m, _ = press(t, m, "tab"); m.login.probedURL != "http://a:80690" {
		t.Errorf("leaving the edited URL asked %q", m.login.probedURL)
	}
}
