package ui

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

func demoConfig(c *Config) {
	c.URL = "http://localhost:8069"
	c.DB = "demo"
	c.FocusLogin = true
	c.DemoUsers = []string{"admin / admin (administrator)", "demo / demo (portal)"}
}

func okLogin() *odoo.LoginResult {
	raw, _ := json.Marshal(map[string]any{"uid": 2, "name": "Mitchell Admin", "db": "demo"})
	return &odoo.LoginResult{
		SID:       sidA,
		ExpiresAt: t0.Add(90 * 24 * time.Hour),
		Method:    odoo.MethodREST,
		Info:      odoo.SessionInfo{UID: 2, Name: "Mitchell Admin", DB: "demo", Raw: raw},
		Notes:     []string{"bound database demo first"},
	}
}

// fillLogin types a login and password on the demo form.
func fillLogin(t *testing.T, m model, login, password string) model {
	t.Helper()
	m = typeText(t, m, login)
	m, _ = press(t, m, "tab")
	return typeText(t, m, password)
}

func TestLoginFlow(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{loginRes: okLogin()}
	m, st := newTestModel(t, fc, testOpts{cfg: demoConfig})

	if m.screen != screenLogin || m.login.focus != fieldLogin {
		t.Fatalf("demo start: screen %d focus %d, want the login field", m.screen, m.login.focus)
	}
	// q and n are typed, not taken as shortcuts, while the form has focus.
	m = fillLogin(t, m, "qn", "s3cret")
	if got := m.login.inputs[fieldLogin].Value(); got != "qn" {
		t.Fatalf("login field = %q, want %q", got, "qn")
	}
	if strings.Contains(viewText(m), "s3cret") {
		t.Fatal("the password is visible on screen")
	}

	m, cmd := press(t, m, "enter")
	if !m.login.busy || cmd == nil {
		t.Fatal("enter did not start a login")
	}
	done := waitMsg[loginDoneMsg](t, cmd)
	want := []odoo.LoginRequest{{DB: "demo", Login: "qn", Password: "s3cret"}}
	if diff := cmp.Diff(want, fc.reqs); diff != "" {
		t.Fatalf("login request (-want +got):\n%s", diff)
	}

	m, cmd = sendCmd(t, m, done)
	if m.screen != screenList || len(m.list.all) != 1 {
		t.Fatalf("after login: screen %d, %d sessions", m.screen, len(m.list.all))
	}
	if v := m.login.inputs[fieldPassword].Value(); v != "" {
		t.Errorf("password kept after a successful login: %q", v)
	}
	if !strings.Contains(m.status.text, "bound database demo first") {
		t.Errorf("status %q lacks the client's note", m.status.text)
	}
	m = send(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if got := st.snapshot(); len(got) != 1 || got[0].SID != sidA || got[0].DB != "demo" {
		t.Fatalf("store holds %+v", got)
	}
	if !strings.Contains(viewText(m), "6df1…be63") || strings.Contains(viewText(m), sidA) {
		t.Error("the row does not show the masked sid, or shows the whole sid")
	}
}

func TestLoginFailureKeepsForm(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{loginErr: odoo.ErrAuthFailed}
	m, _ := newTestModel(t, fc, testOpts{cfg: demoConfig})
	m = fillLogin(t, m, "admin", "typo")
	m, cmd := press(t, m, "enter")
	m = send(t, m, waitMsg[loginDoneMsg](t, cmd))

	if m.screen != screenLogin || m.login.busy {
		t.Fatalf("screen %d busy %v, want the form back", m.screen, m.login.busy)
	}
	if m.login.err != "wrong login or password" {
		t.Errorf("error = %q", m.login.err)
	}
	if !strings.Contains(viewText(m), "error: wrong login or password") {
		t.Error("the error is not shown under the form")
	}
	got := []string{m.login.inputs[fieldURL].Value(), m.login.inputs[fieldLogin].Value(),
		m.login.inputs[fieldPassword].Value()}
	if diff := cmp.Diff([]string{"http://localhost:8069", "admin", "typo"}, got); diff != "" {
		t.Errorf("form after a failure (-want +got):\n%s", diff)
	}

	// Leaving the form forgets the password.
	m, _ = press(t, m, "esc")
	if m.screen != screenList || m.login.inputs[fieldPassword].Value() != "" {
		t.Error("esc did not leave the form and clear the password")
	}
}

func TestLoginValidation(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{}
	m, _ := newTestModel(t, fc, testOpts{cfg: demoConfig})
	m, cmd := press(t, m, "enter")
	if m.login.busy || cmd != nil || m.login.err != "the login is missing" {
		t.Errorf("busy %v, command %v, err %q", m.login.busy, cmd != nil, m.login.err)
	}
}

func TestLoginStaleReplyDropped(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{loginRes: okLogin()}
	m, _ := newTestModel(t, fc, testOpts{cfg: demoConfig})
	m = fillLogin(t, m, "admin", "admin")
	m, cmd := press(t, m, "enter")
	m, _ = press(t, m, "esc") // cancel while waiting
	if m.login.busy || m.login.err != "login cancelled" {
		t.Fatalf("busy %v err %q after esc", m.login.busy, m.login.err)
	}
	m = send(t, m, waitMsg[loginDoneMsg](t, cmd))
	if len(m.list.all) != 0 {
		t.Error("a reply to a cancelled login added a session")
	}
}

func TestLoginTOTP(t *testing.T) {
	t.Parallel()
	full := okLogin()
	full.Method = odoo.MethodWeb
	full.ExpiresAt = time.Time{}
	fc := &fakeClient{
		loginRes: &odoo.LoginResult{SID: "halfhalfhalfhalf", TOTPRequired: true},
		totpRes:  full,
	}
	m, st := newTestModel(t, fc, testOpts{cfg: demoConfig})
	m = fillLogin(t, m, "mfa", "pw")
	m, cmd := press(t, m, "enter")
	m = send(t, m, waitMsg[loginDoneMsg](t, cmd))

	if !m.login.totp || m.login.focus != fieldCode {
		t.Fatalf("totp %v focus %d: the code step did not open", m.login.totp, m.login.focus)
	}
	if m.login.inputs[fieldPassword].Value() != "" {
		t.Error("password kept once it was accepted")
	}
	if !strings.Contains(viewText(m), "two-factor authentication") {
		t.Error("the form does not say the user has two-factor authentication")
	}

	m = typeText(t, m, "12345")
	m, _ = press(t, m, "enter")
	if m.login.busy || m.login.err != "the code has six digits" {
		t.Fatalf("short code: busy %v err %q", m.login.busy, m.login.err)
	}
	m = typeText(t, m, "6")
	m, cmd = press(t, m, "enter")
	m, cmd = sendCmd(t, m, waitMsg[loginDoneMsg](t, cmd))
	if got := fc.Calls(); got[len(got)-1] != "totp halfhalfhalfhalf 123456" {
		t.Errorf("last call %q", got[len(got)-1])
	}
	if m.screen != screenList || len(m.list.all) != 1 || m.login.totp {
		t.Fatalf("after the code: screen %d, %d sessions", m.screen, len(m.list.all))
	}
	waitMsg[sessionsSavedMsg](t, cmd)
	if s := st.snapshot(); len(s) != 1 || s[0].Method != "web" {
		t.Errorf("stored %+v", s)
	}
}

func TestLoginProbe(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{
		version: odoo.ServerVersion{Version: "15.0-20220805", Major: 15},
		dbs:     []string{"demo", "qa"},
	}
	m, _ := newTestModel(t, fc, testOpts{})
	m, _ = press(t, m, "n")
	m = typeText(t, m, "http://odoo.test")
	m, cmd := press(t, m, "tab")
	m = send(t, m, waitMsg[probeDoneMsg](t, cmd))
	view := viewText(m)
	for _, want := range []string{"Odoo 15.0-20220805", "databases: demo, qa"} {
		if !strings.Contains(view, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	m, _ = press(t, m, "down")
	if got := m.login.inputs[fieldDB].Value(); got != "qa" {
		t.Errorf("down picked %q, want qa", got)
	}

	fc.dbErr = odoo.ErrListingDisabled
	m.login.inputs[fieldURL].SetValue("http://other.test")
	m.login.focusField(fieldURL)
	m, cmd = press(t, m, "tab")
	m = send(t, m, waitMsg[probeDoneMsg](t, cmd))
	if !strings.Contains(m.login.dbNote, "list_db is off") {
		t.Errorf("db note %q does not say listing is disabled", m.login.dbNote)
	}
}

func TestLoginSessionRecord(t *testing.T) {
	t.Parallel()
	res := okLogin()
	res.BoundDB = "demo"
	s := sessionFromLogin(loginDoneMsg{url: "http://x", login: "admin", db: ""}, res, t0)
	want := sessions.Session{
		ID: s.ID, URL: "http://x", DB: "demo", Login: "admin", UserName: "Mitchell Admin",
		UID: 2, SID: sidA, ExpiresAt: res.ExpiresAt, ObtainedAt: t0, SavedAt: t0,
		Method: "rest", State: sessions.StateActive, Info: res.Info.Raw, UpdatedAt: t0,
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("session (-want +got):\n%s", diff)
	}
	if s.ID == "" {
		t.Error("no local ID")
	}
}

var _ tea.Model = model{}
