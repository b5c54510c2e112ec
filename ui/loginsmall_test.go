package ui

import (
	"strings"
	"testing"
)

// TestLoginViewSmall draws the form at 40x10, where it does not fit: the
// focused field and the spinner or error must stay on screen.
func TestLoginViewSmall(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, m model) model
		want  []string
	}{
		{"password focused", func(t *testing.T, m model) model {
			return fillLogin(t, m, "admin", "admin")
		}, []string{"› Password"}},
		{"error", func(t *testing.T, m model) model {
			m = fillLogin(t, m, "admin", "admin")
			m.login.err = "wrong login or password"
			return m
		}, []string{"› Password", "error: wrong login or password"}},
		{"waiting", func(t *testing.T, m model) model {
			m = fillLogin(t, m, "admin", "admin")
			m, _ = press(t, m, "enter")
			return m
		}, []string{"› Password", "waiting for localhost:8069"}},
		{"back to the URL", func(t *testing.T, m model) model {
			m = fillLogin(t, m, "admin", "admin")
			m, _ = press(t, m, "tab")
			return m
		}, []string{"› Server URL"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, _ := newTestModel(t, &fakeClient{loginRes: okLogin()},
				testOpts{cfg: demoConfig, w: 40, h: 10})
			m = tc.setup(t, m)
			view := viewText(m)
			checkFits(t, view, 40, 10)
			for _, w := range tc.want {
				if !strings.Contains(view, w) {
					t.Errorf("view lacks %q:\n%s", w, view)
				}
			}
			golden(t, view)
		})
	}
}
