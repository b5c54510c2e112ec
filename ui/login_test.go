package ui

import (
	"encoding/json"
	"fmt"
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
	if m.login.busy || m.login.err != "stopped waiting; the server may have logged in anyway" {
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

	// A dead server fails both questions the same way: said once.
	dead := fmt.Errorf("%w: connection refused", odoo.ErrUnreachable)
	fc.verErr, fc.dbErr = dead, fmt.Errorf("list databases: %w", dead)
	m.login.inputs[fieldURL].SetValue("http://dead.test")
	m.login.focusField(fieldURL)
	m, cmd = press(t, m, "tab")
	m = send(t, m, waitMsg[probeDoneMsg](t, cmd))
	if n := strings.Count(viewText(m), "cannot reach"); n != 1 || m.login.dbNote != "" {
		t.Errorf("a dead server is named %d times, db note %q:\n%s", n, m.login.dbNote,
			viewText(m))
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

func TestLoginRESTModule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		state      string
		err        error
		wantState  string
		wantNote   string
		wantStatus string
		wantDetail string
	}{
		{"installed", "installed", nil, "installed", "", "; REST module installed",
			"REST module: installed on demo"},
		{"uninstalled", "uninstalled", nil, "uninstalled", "", "; REST module uninstalled",
			"REST module: uninstalled on demo"},
		{"not on the server", "", nil, "absent", "", "; REST module absent",
			"REST module: absent on demo"},
		{"no right to read modules", "", fmt.Errorf("module state: %w", odoo.ErrAccessDenied), "",
			"admin may not read ir.module.module", "; REST module unknown: admin may not read",
			"REST module unknown: admin may not read ir.module.module"},
		{"password refused", "", fmt.Errorf("module state: %w", odoo.ErrAuthFailed), "",
			"XML-RPC refused the password", "; REST module unknown: XML-RPC refused",
			"REST module unknown: XML-RPC refused the password"},
		{"XML-RPC unreachable", "", fmt.Errorf("module state: %w", odoo.ErrUnreachable), "",
			"XML-RPC could not be reached", "; REST module unknown: XML-RPC could not",
			"REST module unknown: XML-RPC could not be reached"},
		{"XML-RPC blocked", "", fmt.Errorf("module state: %w", odoo.ErrRouteMissing), "",
			"no XML-RPC answer (a proxy may block /xmlrpc/2)", "; REST module unknown: no XML-RPC",
			"REST module unknown: no XML-RPC answer (a proxy may block /xmlrpc/2)"},
		{"server error", "", fmt.Errorf("module state: %w", odoo.ErrServer), "",
			"localhost:8069 failed with a server error: module state: server error",
			"; REST module unknown: localhost:8069 failed",
			"REST module unknown: localhost:8069 failed with a server error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fc := &fakeClient{loginRes: webLogin(), moduleState: tc.state, moduleErr: tc.err}
			m, st := newTestModel(t, fc, testOpts{cfg: demoConfig})
			m = fillLogin(t, m, "admin", "s3cret")
			m, cmd := press(t, m, "enter")
			m, cmd = sendCmd(t, m, waitMsg[loginDoneMsg](t, cmd))

			if m.screen != screenList || len(m.list.all) != 1 {
				t.Fatalf("the module lookup failed the login: screen %d, %d sessions",
					m.screen, len(m.list.all))
			}
			want := []string{"login admin", "module demo admin base_rest_auth_user_service"}
			if diff := cmp.Diff(want, fc.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"s3cret"}, fc.modulePasswords); diff != "" {
				t.Errorf("module lookup passwords (-want +got):\n%s", diff)
			}
			s := m.list.all[0]
			wantLine := ""
			if tc.wantNote != "" {
				wantLine = "REST module unknown: " + tc.wantNote
			}
			if s.RESTModule != tc.wantState || m.detail.moduleNotes[s.ID] != wantLine {
				t.Errorf("module %q note %q", s.RESTModule, m.detail.moduleNotes[s.ID])
			}
			if m.status.kind != statusInfo || !strings.Contains(m.status.text, tc.wantStatus) {
				t.Errorf("status %q (kind %d)", m.status.text, m.status.kind)
			}
			if m.login.inputs[fieldPassword].Value() != "" ||
				strings.Contains(fmt.Sprintf("%+v", m.login), "s3cret") {
				t.Error("the password stayed in the model")
			}

			m, _ = press(t, m, "enter")
			if view := viewText(m); !strings.Contains(view, tc.wantDetail) {
				t.Errorf("detail view lacks %q:\n%s", tc.wantDetail, view)
			}
			waitMsg[sessionsSavedMsg](t, cmd)
			if got := st.snapshot()[0].RESTModule; got != tc.wantState {
				t.Errorf("stored REST module %q", got)
			}
		})
	}
}

func TestLoginRESTModuleTwoFactor(t *testing.T) {
	t.Parallel()
	full := okLogin()
	full.Method, full.ExpiresAt = odoo.MethodWeb, time.Time{}
	fc := &fakeClient{
		loginRes:    &odoo.LoginResult{SID: "halfhalfhalfhalf", TOTPRequired: true},
		totpRes:     full,
		moduleState: "installed",
	}
	m, _ := newTestModel(t, fc, testOpts{cfg: demoConfig})
	m = fillLogin(t, m, "mfa", "pw")
	m, cmd := press(t, m, "enter")
	m = send(t, m, waitMsg[loginDoneMsg](t, cmd))
	m = typeText(t, m, "123456")
	m, cmd = press(t, m, "enter")
	m = send(t, m, waitMsg[loginDoneMsg](t, cmd))

	if len(m.list.all) != 1 {
		t.Fatalf("%d sessions after the code", len(m.list.all))
	}
	if len(fc.modulePasswords) != 0 {
		t.Error("XML-RPC was tried with the password of a two-factor user")
	}
	s := m.list.all[0]
	if s.RESTModule != "" || !strings.Contains(m.detail.moduleNotes[s.ID], "two-factor") {
		t.Errorf("module %q note %q", s.RESTModule, m.detail.moduleNotes[s.ID])
	}
	if !strings.Contains(m.status.text, "REST module unknown: XML-RPC refuses passwords of "+
		"two-factor users") {
		t.Errorf("status %q", m.status.text)
	}
}

func TestLoginRESTModuleNeedsDatabase(t *testing.T) {
	t.Parallel()
	res := webLogin()
	res.Info.DB = ""
	got := lookUpModule(&fakeClient{}, odoo.LoginRequest{Login: "a", Password: "p"}, res,
		"x", time.Second)
	if got.state != "" || !strings.Contains(got.note, "which database") {
		t.Errorf("got %+v", got)
	}
	res.BoundDB = "bound"
	fc := &fakeClient{moduleState: "installed"}
	got = lookUpModule(fc, odoo.LoginRequest{Login: "a", Password: "p"}, res, "x", time.Second)
	if got.state != "installed" || fc.Calls()[0] != "module bound a base_rest_auth_user_service" {
		t.Errorf("got %+v, calls %q", got, fc.Calls())
	}
}
