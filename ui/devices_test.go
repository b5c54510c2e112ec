package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// sid18 and sid18b are Odoo 18 sids (84 characters).
const (
	sid18  = "m3GAZV9pbglOGuyY2qeIk5VAMBavBdrykSt14Lf471KxysoDK6oV3lYTsogxZ4OC_jAoC3QzybUFvYVo60bk"
	sid18b = "dfy2ZBimG7oTxI2C6jkDWEKZumHY5WnWpAAysQAZjPr7Q0Xp1oRk2T3AvbcWq9ZzYdE8hF6uNgMs4Le5Kx0a"
)

func odoo18Session(id, sid string) sessions.Session {
	s := testSession(id, "odoo18.test", "qa18", "qa_user", sid)
	s.ServerVersion, s.UID, s.Method = "18.0-20250702", 6, "web"
	return s
}

func TestDevices(t *testing.T) {
	t.Parallel()
	other := odoo18Session("b", sid18b)
	other.State = sessions.StateLoggedOut
	at := time.Date(2026, 12, 3, 18, 8, 23, 0, time.UTC)
	fc := &fakeClient{devices: []odoo.Device{
		{ID: 11, SessionPrefix: sid18[:42], DeviceType: "computer", IPAddress: "127.0.0.1",
			LastActivity: at, Current: true},
		{ID: 10, SessionPrefix: sid18b[:42], DeviceType: "computer", IPAddress: "127.0.0.1", LastActivity: at},
		{ID: 8, SessionPrefix: "Zq8vNotTrackedAnywhere0000000000000000000", DeviceType: "mobile",
			Platform: "Android", LastActivity: at},
	}}
	m, st := newTestModel(t, fc, testOpts{w: 120, h: 40,
		session: []sessions.Session{odoo18Session("a", sid18), other}})
	m, _ = press(t, m, "enter")

	m, cmd := press(t, m, "D")
	if cmd != nil || m.confirm == nil || !strings.Contains(viewText(m), "idle clock (7 days) starts again") {
		t.Fatal("D did not ask first")
	}
	m = send(t, m, tickMsg{at: t0.Add(time.Hour), tag: m.tickTag})
	m, cmd = press(t, m, "y")
	m, cmd = sendCmd(t, m, waitMsg[devicesDoneMsg](t, cmd))
	if got := fc.Calls(); got[len(got)-1] != "devices m3GA cookie 6" {
		t.Errorf("last call %q, want the device list through the cookie for uid 6", got[len(got)-1])
	}
	view := viewText(m)
	for _, want := range []string{
		"devices and session_info",
		"this session",
		"tracked " + sessions.MaskSID(sid18b) + ", logged out",
		"untracked Zq8v… ",
		"mobile · Android · last ",
		"a row is not proof that the sid works",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("the view does not show %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "Zq8vNotTracked") || strings.Contains(view, sid18b[:20]) {
		t.Errorf("a sid shows unmasked:\n%s", view)
	}
	if !strings.Contains(m.status.text, "3 devices") {
		t.Errorf("status %q", m.status.text)
	}
	waitMsg[sessionsSavedMsg](t, cmd)
	if saved := st.snapshot()[0].SavedAt; !saved.Equal(t0) {
		t.Errorf("idle clock start %v, want the time of the read", saved)
	}

	m, _ = press(t, m, "r")
	if !strings.Contains(viewText(m), "untracked Zq8vNotTrackedAnywhere") {
		t.Errorf("r did not reveal the untracked row's sid start:\n%s", viewText(m))
	}
}

func TestDevicesNotAsked(t *testing.T) {
	t.Parallel()
	unknownUser := odoo18Session("a", sid18)
	unknownUser.UID = 0
	for _, tc := range []struct {
		name string
		s    sessions.Session
		want string
	}{
		{"Odoo 15", testSession("a", "odoo15.test", "qa", "admin", sidA), "Odoo 15 keeps no device list"},
		{"user unknown", unknownUser, "Fetch the details first (d)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fc := &fakeClient{}
			m, _ := newTestModel(t, fc, testOpts{session: []sessions.Session{tc.s}})
			m, _ = press(t, m, "enter")
			m, cmd := press(t, m, "D")
			if cmd != nil || m.confirm != nil || !strings.Contains(m.status.text, tc.want) {
				t.Errorf("status %q, confirm %v; want %q and no call", m.status.text, m.confirm, tc.want)
			}
			if len(fc.Calls()) != 0 {
				t.Errorf("calls %v", fc.Calls())
			}
		})
	}
}
