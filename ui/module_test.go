package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/odoo-sessions/odoo-sessions/odoo"
)

// webLogin is a login through /web/session/authenticate: no expires_at.
func webLogin() *odoo.LoginResult {
	res := okLogin()
	res.Method, res.ExpiresAt, res.Notes = odoo.MethodWeb, time.Time{}, nil
	return res
}

// route404Note is the note Login leaves when /session/auth/login answered
// 404 with a plain page and it fell back to a web login.
const route404Note = "/session/auth/login answered 404 (no base_rest_auth_user_service " +
	"on this server): logged in through /web/session/authenticate instead, which gives no " +
	"expires_at"

func TestLoginModuleFromLoginMethod(t *testing.T) {
	t.Parallel()
	denied := fmt.Errorf("module state: %w", odoo.ErrAccessDenied)
	route404 := func(state string, err error) (*odoo.LoginResult, string, error) {
		res := webLogin()
		res.Notes = []string{route404Note}
		return res, state, err
	}
	tests := []struct {
		name       string
		login      func() (*odoo.LoginResult, string, error)
		wantCalls  []string
		wantState  string
		wantStatus string
		wantDetail string
	}{
		{
			name: "REST login",
			login: func() (*odoo.LoginResult, string, error) {
				return okLogin(), "", denied
			},
			wantCalls:  []string{"login admin"},
			wantState:  "installed",
			wantStatus: "; REST module installed",
			wantDetail: "REST module: installed on demo",
		},
		{
			name:       "REST route 404, lookup refused",
			login:      func() (*odoo.LoginResult, string, error) { return route404("", denied) },
			wantCalls:  []string{"login admin", "module demo admin base_rest_auth_user_service"},
			wantStatus: "; REST module: not answering here (/session/auth/login 404)",
			wantDetail: "REST module: not answering here (/session/auth/login 404)",
		},
		{
			name:       "REST route 404, module absent",
			login:      func() (*odoo.LoginResult, string, error) { return route404("", nil) },
			wantCalls:  []string{"login admin", "module demo admin base_rest_auth_user_service"},
			wantState:  "absent",
			wantStatus: "; REST module absent",
			wantDetail: "REST module: absent on demo",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, state, err := tc.login()
			fc := &fakeClient{loginRes: res, moduleState: state, moduleErr: err}
			m, _ := newTestModel(t, fc, testOpts{cfg: demoConfig})
			m = fillLogin(t, m, "admin", "s3cret")
			m, cmd := press(t, m, "enter")
			m = send(t, m, waitMsg[loginDoneMsg](t, cmd))

			if len(m.list.all) != 1 {
				t.Fatalf("%d sessions after the login", len(m.list.all))
			}
			if diff := cmp.Diff(tc.wantCalls, fc.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if got := m.list.all[0].RESTModule; got != tc.wantState {
				t.Errorf("REST module %q, want %q", got, tc.wantState)
			}
			if !strings.Contains(m.status.text, tc.wantStatus) {
				t.Errorf("status %q lacks %q", m.status.text, tc.wantStatus)
			}
			m, _ = press(t, m, "enter")
			view := viewText(m)
			if !strings.Contains(view, tc.wantDetail) || strings.Contains(view, "may not read") {
				t.Errorf("detail view lacks %q:\n%s", tc.wantDetail, view)
			}
		})
	}
}
