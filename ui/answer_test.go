package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/odoo-sessions/odoo-sessions/odoo"
)

// traceback is a server's traceback with a terminal escape planted in it.
const traceback = "Traceback (most recent call last):\n" +
	"  File \"odoo/http.py\", line 1589, in _serve_db\n" +
	"\treturn service_model.retrying(self._serve_ir_http, self.env)\n" +
	"\x1b[2J\x1b]0;pwned\x07odoo.exceptions.UserError: boom"

func tracebackErr() error {
	return fmt.Errorf("check at http://qa: %w", &odoo.RPCError{Code: 200,
		Name: "odoo.exceptions.UserError", Message: "boom", HTTPStatus: 200, Debug: traceback})
}

func TestAnswerOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		err   error
		title string
		lines []string
	}{
		{"plain error", errors.New("boom"), "", nil},
		{"rpc error without traceback", &odoo.RPCError{Code: 100, Name: "x"}, "", nil},
		{"traceback", tracebackErr(), "traceback of odoo.exceptions.UserError", []string{
			"Traceback (most recent call last):",
			`  File "odoo/http.py", line 1589, in _serve_db`,
			"    return service_model.retrying(self._serve_ir_http, self.env)",
			"odoo.exceptions.UserError: boom",
		}},
		{"one-line fault", &odoo.FaultError{Code: 3, String: "Access Denied"}, "", nil},
		{"fault with traceback", fmt.Errorf("x: %w", &odoo.FaultError{Code: 1,
			String: "Traceback\n  line\nValueError: x"}),
			"XML-RPC fault 1 as the server sent it",
			[]string{"Traceback", "  line", "ValueError: x"}},
		{"undecodable body", fmt.Errorf("login: %w", &odoo.DecodeError{Format: "HTML",
			Raw: []byte("<html>\r\n <title>502\u009b31m Bad\u202e Gateway</title>\n</html>\n"),
			Err: errors.New("not JSON")}),
			"the HTML answer that could not be decoded (56 bytes)",
			[]string{"<html>", " <title>502 Bad Gateway</title>", "</html>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := answerOf(tc.err)
			if tc.lines == nil {
				if got != nil {
					t.Fatalf("answer %+v, want none", got)
				}
				return
			}
			if got == nil {
				t.Fatal("no answer")
			}
			if got.title != tc.title {
				t.Errorf("title %q, want %q", got.title, tc.title)
			}
			if diff := cmp.Diff(tc.lines, got.lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSanitizeLinesBounds(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", maxAnswerLineRunes+10)
	got := sanitizeLines(long + "\n" + strings.Repeat("y\n", maxAnswerLines+5))
	if len(got) != maxAnswerLines+1 {
		t.Fatalf("%d lines", len(got))
	}
	if n := len([]rune(got[0])); n != maxAnswerLineRunes {
		t.Errorf("first line has %d runes", n)
	}
	if !strings.HasPrefix(got[len(got)-1], "… cut here") {
		t.Errorf("last line %q does not say the text was cut", got[len(got)-1])
	}
}

func TestAnswerFromStatusLine(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			t.Parallel()
			fc := &fakeClient{checkErr: tracebackErr()}
			m, _ := newTestModel(t, fc, testOpts{session: threeSessions(), w: size[0], h: size[1]})
			if _, cmd := press(t, m, "e"); cmd != nil || m.screen != screenList {
				t.Fatal("e did something with no answer to show")
			}
			m, cmd := press(t, m, "c")
			m = send(t, m, waitMsg[checkDoneMsg](t, cmd))
			status := strings.Split(viewText(m), "\n")[size[1]-2]
			if !strings.Contains(status, "error: ") ||
				!strings.HasSuffix(strings.TrimSpace(status), "e shows the server's answer") {
				t.Fatalf("status line %q does not offer the answer", status)
			}

			m, _ = press(t, m, "e")
			if m.screen != screenAnswer {
				t.Fatalf("e opened screen %d", m.screen)
			}
			view := viewText(m)
			checkFits(t, view, size[0], size[1])
			if strings.Contains(m.View().Content, "pwned") || strings.Contains(view, "[2J") {
				t.Error("the escape sequences of the answer reached the terminal")
			}
			golden(t, view)

			m, _ = press(t, m, "esc")
			if m.screen != screenList {
				t.Errorf("esc went to screen %d", m.screen)
			}
			m, _ = press(t, m, "r") // any later status drops the offer
			if m, _ = press(t, m, "e"); m.screen != screenList {
				t.Error("e opened an answer the status line no longer offers")
			}
		})
	}
}

func TestAnswerFromLoginForm(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{loginErr: fmt.Errorf("login: %w: %w", odoo.ErrNotOdoo, &odoo.DecodeError{
		Format: "HTML", Raw: []byte("<html>\n<title>502 Bad Gateway</title>\n</html>"),
		Err: errors.New("not JSON")})}
	m, _ := newTestModel(t, fc, testOpts{cfg: demoConfig})
	m = fillLogin(t, m, "admin", "pw")
	m, cmd := press(t, m, "enter")
	m = send(t, m, waitMsg[loginDoneMsg](t, cmd))
	view := viewText(m)
	if !strings.Contains(view, "ctrl+o shows the server's answer") ||
		!strings.Contains(view, "ctrl+o server's answer") {
		t.Fatalf("the form does not offer ctrl+o:\n%s", view)
	}

	// e is typed into the password while the form has focus.
	m, _ = press(t, m, "e")
	if m.screen != screenLogin || m.login.inputs[fieldPassword].Value() != "pwe" {
		t.Fatalf("e was taken as a shortcut on the form (screen %d)", m.screen)
	}
	m, _ = press(t, m, "ctrl+o")
	if m.screen != screenAnswer || !strings.Contains(viewText(m), "<title>502 Bad Gateway</title>") {
		t.Fatalf("ctrl+o did not show the body:\n%s", viewText(m))
	}
	m, _ = press(t, m, "esc")
	if m.screen != screenLogin || m.login.inputs[fieldPassword].Value() != "pwe" {
		t.Errorf("esc went to screen %d or lost the form", m.screen)
	}

	// A new attempt drops the old answer.
	m, _ = press(t, m, "enter")
	if m.login.errAnswer != nil || m.c.keys.Answer.Enabled() {
		t.Error("the answer of the previous attempt is still offered")
	}
}
