package ui

import (
	"encoding/json"
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/sessions"
)

func TestDetailScrollKeys(t *testing.T) {
	t.Parallel()
	info := map[string]any{}
	for i := range 60 {
		info[fmt.Sprintf("key%02d", i)] = i
	}
	s := testSession("a", "qa.example.com", "qa", "admin", sidA)
	s.Info, _ = json.Marshal(info)
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: []sessions.Session{s}})
	m, _ = press(t, m, "enter")
	page := m.detail.vp.Height()
	if page >= 62 {
		t.Fatalf("the viewport shows all %d lines", page)
	}

	pgdn := tea.KeyPressMsg{Code: tea.KeyPgDown}
	pgup := tea.KeyPressMsg{Code: tea.KeyPgUp}
	steps := []struct {
		name string
		msg  tea.KeyPressMsg
		want func(m model) bool
	}{
		{"pgdn pages", pgdn, func(m model) bool { return m.detail.vp.YOffset() == page }},
		{"pgup pages back", pgup, func(m model) bool { return m.detail.vp.YOffset() == 0 }},
		{"G goes to the end", keyPress("G"), func(m model) bool { return m.detail.vp.AtBottom() }},
		{"g goes to the start", keyPress("g"), func(m model) bool { return m.detail.vp.YOffset() == 0 }},
		{"end goes to the end", tea.KeyPressMsg{Code: tea.KeyEnd},
			func(m model) bool { return m.detail.vp.AtBottom() }},
		{"home goes to the start", tea.KeyPressMsg{Code: tea.KeyHome},
			func(m model) bool { return m.detail.vp.YOffset() == 0 }},
	}
	for _, st := range steps {
		m = send(t, m, st.msg)
		if !st.want(m) {
			t.Errorf("%s: offset %d of %d lines", st.name, m.detail.vp.YOffset(),
				m.detail.vp.TotalLineCount())
		}
	}
	if m.screen != screenDetail {
		t.Error("a scroll key left the detail view")
	}
}
