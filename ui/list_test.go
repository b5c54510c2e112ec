package ui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// threeSessions is a REST session, a web session on the idle clock and one
// about to expire.
func threeSessions() []sessions.Session {
	a := testSession("a", "qa.example.com", "qa", "admin", sidA)
	b := testSession("b", "erp.example.com", "prod", "demo", sidB)
	b.ExpiresAt, b.Method = time.Time{}, "web"
	c := testSession("c", "old.example.com", "test", "portal", "ffff0000111122223333444455556666deadbeef")
	c.ExpiresAt = t0.Add(42 * time.Minute)
	c.RecordCheck(sessions.Check{Transport: "header", Accepted: true, Status: 200}, t0)
	c.RecordCheck(sessions.Check{Transport: "cookie", Status: 200}, t0)
	c.RecordCheck(sessions.Check{Transport: "param", Err: "cannot reach old.example.com"}, t0)
	return []sessions.Session{a, b, c}
}

func TestListView(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 16}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			t.Parallel()
			m, _ := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions(),
				w: size[0], h: size[1]})
			view := viewText(m)
			checkFits(t, view, size[0], size[1])
			golden(t, view)
		})
	}
	t.Run("empty", func(t *testing.T) {
		t.Parallel()
		m, _ := newTestModel(t, &fakeClient{}, testOpts{})
		golden(t, viewText(m))
	})
	t.Run("help", func(t *testing.T) {
		t.Parallel()
		m, _ := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions()})
		m, _ = press(t, m, "?")
		view := viewText(m)
		checkFits(t, view, 80, 24)
		golden(t, view)
	})
}

func TestCountdown(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions()})
	row := func(m model, i int) string { return strings.Split(viewText(m), "\n")[2+i] }
	tests := []struct {
		name  string
		after time.Duration
		row   int
		want  string
	}{
		{"idle nearer than expires_at", 0, 0, "7d 00:00:00 idle"},
		{"one second later", time.Second, 0, "6d 23:59:59 idle"},
		{"web login", time.Second, 1, "6d 23:59:59 idle"},
		{"expires_at nearer, warns under an hour", time.Second, 2, "00:41:59 exp soon"},
		{"expired", 43 * time.Minute, 2, "expired (exp)"},
		{"idle expired", 8 * 24 * time.Hour, 1, "expired (idle)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mm := send(t, m, tickMsg{at: t0.Add(tc.after), tag: m.tickTag})
			if got := row(mm, tc.row); !strings.Contains(got, tc.want) {
				t.Errorf("row %d = %q, want it to contain %q", tc.row, got, tc.want)
			}
		})
	}
}

func TestLeftCellNearerClock(t *testing.T) {
	t.Parallel()
	rest := testSession("a", "qa.example.com", "qa", "admin", sidA)
	tests := []struct {
		name string
		edit func(*sessions.Session)
		want string
	}{
		{"idle limit before expires_at", func(*sessions.Session) {}, "6d 23:00:00 idle"},
		{"expires_at before the idle limit", func(s *sessions.Session) {
			s.ExpiresAt = t0.Add(3 * 24 * time.Hour)
		}, "2d 23:00:00 exp"},
		{"details fetched later", func(s *sessions.Session) {
			s.ExpiresAt = t0.Add(3 * 24 * time.Hour)
			s.SavedAt = t0.Add(-5 * 24 * time.Hour)
		}, "1d 23:00:00 idle"},
		{"web login has no expires_at", func(s *sessions.Session) {
			s.ExpiresAt = time.Time{}
		}, "6d 23:00:00 idle"},
		{"tracked with expires_at only", func(s *sessions.Session) {
			s.SavedAt = time.Time{}
		}, "89d 23:00:00 exp"},
		{"neither clock known", func(s *sessions.Session) {
			s.SavedAt, s.ExpiresAt = time.Time{}, time.Time{}
		}, "unknown"},
		{"idle clock ran out", func(s *sessions.Session) {
			s.SavedAt = t0.Add(-8 * 24 * time.Hour)
		}, "expired (idle)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := rest
			tc.edit(&s)
			m, _ := newTestModel(t, &fakeClient{}, testOpts{session: []sessions.Session{s}})
			m = send(t, m, tickMsg{at: t0.Add(time.Hour), tag: m.tickTag})
			if got, _ := m.list.leftCell(&m.list.all[0]); got != tc.want {
				t.Errorf("left = %q, want %q", got, tc.want)
			}
			if row := strings.Split(viewText(m), "\n")[2]; !strings.Contains(row, tc.want) {
				t.Errorf("row %q does not show %q", row, tc.want)
			}
		})
	}
}

func TestTickSingleLoop(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{})
	stale, cmd := sendCmd(t, m, tickMsg{at: t0.Add(time.Second), tag: m.tickTag + 5})
	if cmd != nil || !stale.now.Equal(t0) {
		t.Fatal("a tick of another loop was taken")
	}
	next, cmd := sendCmd(t, m, tickMsg{at: t0.Add(time.Second), tag: m.tickTag})
	if cmd == nil || next.tickTag != m.tickTag+1 || !next.now.Equal(t0.Add(time.Second)) {
		t.Fatalf("tick: cmd %v tag %d now %v", cmd != nil, next.tickTag, next.now)
	}
	if again, cmd := sendCmd(t, next, tickMsg{at: t0, tag: m.tickTag}); cmd != nil ||
		!again.now.Equal(next.now) {
		t.Error("the old loop's tick was taken after re-arming")
	}
}

func TestCheckSelected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		accept     map[odoo.Transport]bool
		wantState  sessions.State
		wantMarks  string
		wantStatus string
	}{
		{"header and cookie", map[odoo.Transport]bool{"header": true, "cookie": true},
			sessions.StateActive, "✓ ✓ ✗", "6df1…be63 on qa.example.com:8069: Logged in, " +
				"but the session_id query parameter is not read"},
		{"cookie only", map[odoo.Transport]bool{"cookie": true}, sessions.StateActive, "✗ ✓ ✗",
			"6df1…be63 on qa.example.com:8069: Logged in; this server reads only the cookie"},
		{"none", nil, sessions.StateRejected, "✗ ✗ ✗", "6df1…be63 on qa.example.com:8069: " +
			"Not logged in through any transport: the session ended on the server"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fc := &fakeClient{accept: tc.accept}
			m, st := newTestModel(t, fc, testOpts{session: threeSessions()})
			m, cmd := press(t, m, "c")
			if m.list.busy["a"] == "" {
				t.Error("the row does not say it is being checked")
			}
			m, cmd = sendCmd(t, m, waitMsg[checkDoneMsg](t, cmd))
			s := m.list.session("a")
			if s.State != tc.wantState {
				t.Errorf("state %q, want %q", s.State, tc.wantState)
			}
			if got := m.list.checksCell(s); got != tc.wantMarks {
				t.Errorf("checks %q, want %q", got, tc.wantMarks)
			}
			shown := m.status.line(m.list.reveal)
			if !strings.HasPrefix(shown, tc.wantStatus) || m.status.kind != statusInfo {
				t.Errorf("status %q, want it to start with %q", shown, tc.wantStatus)
			}
			if tc.wantState == sessions.StateRejected &&
				!strings.Contains(viewText(m), "not accepted") {
				t.Error("the row does not say not accepted")
			}
			waitMsg[sessionsSavedMsg](t, cmd)
			if got := len(st.snapshot()[0].Checks); got != 3 {
				t.Errorf("store has checks for %d transports", got)
			}
		})
	}
}

func TestCheckErrorIsText(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{checkErr: fmt.Errorf("check: %w", odoo.ErrUnreachable)}
	m, _ := newTestModel(t, fc, testOpts{session: threeSessions()})
	m, cmd := press(t, m, "c")
	m = send(t, m, waitMsg[checkDoneMsg](t, cmd))
	want := "cannot reach qa.example.com:8069: is the server running and the URL right?"
	if !strings.Contains(m.status.text, want) || m.status.kind != statusError {
		t.Errorf("status %q (kind %d)", m.status.text, m.status.kind)
	}
	if got := m.list.checksCell(m.list.session("a")); got != "! ! !" {
		t.Errorf("checks %q, want errors", got)
	}
	if m.list.session("a").State != sessions.StateActive {
		t.Error("an unreachable server changed the state")
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{}
	m, st := newTestModel(t, fc, testOpts{session: threeSessions()})
	m, cmd := press(t, m, "l")
	m, cmd = sendCmd(t, m, waitMsg[logoutDoneMsg](t, cmd))
	if diff := cmp.Diff([]string{"logout 6df1 header"}, fc.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	s := m.list.session("a")
	if s.State != sessions.StateLoggedOut || s.SID != sidA {
		t.Errorf("state %q sid changed %v", s.State, s.SID != sidA)
	}
	if !strings.Contains(viewText(m), "logged out") {
		t.Error("the row does not say logged out")
	}
	waitMsg[sessionsSavedMsg](t, cmd)
	if st.snapshot()[0].State != sessions.StateLoggedOut {
		t.Error("the store does not have the logout")
	}

	// A later check that nobody accepts keeps the more specific state.
	m, cmd = press(t, m, "c")
	m = send(t, m, waitMsg[checkDoneMsg](t, cmd))
	if got := m.list.session("a").State; got != sessions.StateLoggedOut {
		t.Errorf("after a check: %q", got)
	}
}

func TestLogoutFailure(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{logoutErr: fmt.Errorf("logout: %w", odoo.ErrSessionExpired)}
	m, _ := newTestModel(t, fc, testOpts{session: threeSessions()})
	m, cmd := press(t, m, "l")
	m = send(t, m, waitMsg[logoutDoneMsg](t, cmd))
	if m.list.session("a").State != sessions.StateActive || m.status.kind != statusError {
		t.Errorf("state %q status %q", m.list.session("a").State, m.status.text)
	}
}

func TestForget(t *testing.T) {
	t.Parallel()
	m, st := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions()})
	m, _ = press(t, m, "x")
	if m.confirm == nil || !strings.Contains(viewText(m), "forget admin on qa.example.com") {
		t.Fatal("x did not ask first")
	}
	m, cmd := press(t, m, "n")
	if cmd != nil || len(m.list.all) != 3 || m.confirm != nil {
		t.Fatal("n forgot anyway")
	}
	m, _ = press(t, m, "x")
	m, cmd = press(t, m, "y")
	if len(m.list.all) != 2 || m.list.session("a") != nil {
		t.Fatalf("%d sessions left", len(m.list.all))
	}
	waitMsg[sessionsSavedMsg](t, cmd)
	for _, s := range st.snapshot() {
		if s.ID == "a" && !s.Forgotten {
			t.Error("the store record is not marked forgotten")
		}
	}
}

func TestPrune(t *testing.T) {
	t.Parallel()
	list := threeSessions()
	list[1].State = sessions.StateLoggedOut
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: list})
	m = send(t, m, tickMsg{at: t0.Add(time.Hour), tag: m.tickTag}) // c expires
	m, _ = press(t, m, "P")
	if m.confirm == nil || !strings.Contains(m.confirm.prompt, "prune 2 sessions") {
		t.Fatalf("confirmation %+v", m.confirm)
	}
	m, _ = press(t, m, "y")
	if len(m.list.all) != 1 || m.list.all[0].ID != "a" {
		t.Errorf("left: %d sessions", len(m.list.all))
	}
}

func TestReveal(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions(), w: 120, h: 40})
	if strings.Contains(viewText(m), sidA) {
		t.Fatal("sid shown before reveal")
	}
	m, _ = press(t, m, "r")
	if !strings.Contains(viewText(m), sidA) {
		t.Fatal("sid not shown after reveal")
	}
	checkFits(t, m.View().Content, 120, 40)
	m, _ = press(t, m, "r")
	if strings.Contains(viewText(m), sidA) {
		t.Fatal("sid still shown after hiding")
	}
}

func TestFilter(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions()})
	m, _ = press(t, m, "/")
	m = typeText(t, m, "ERP")
	if len(m.list.filtered) != 1 || m.list.selected().ID != "b" {
		t.Fatalf("filter kept %d rows", len(m.list.filtered))
	}
	// While the filter has focus, letters are typed, not shortcuts.
	m, cmd := press(t, m, "q")
	if cmd != nil && fmt.Sprint(cmd()) == fmt.Sprint(tea.Quit()) {
		t.Fatal("q quit while typing a filter")
	}
	m, _ = press(t, m, "esc")
	if len(m.list.filtered) != 3 || m.list.filtering {
		t.Errorf("esc left %d rows, filtering %v", len(m.list.filtered), m.list.filtering)
	}
	m, _ = press(t, m, "/")
	m = typeText(t, m, "prod")
	m, _ = press(t, m, "enter")
	if m.list.filtering || len(m.list.filtered) != 1 ||
		!strings.Contains(viewText(m), "filter: prod (1 of 3)") {
		t.Errorf("enter did not keep the filter:\n%s", viewText(m))
	}
}

// TestFilterFindsSid: the ends of a sid as the list shows them find its
// session; the hidden middle of a sid does not (the filter line shows what
// is typed, so it is no place to paste a whole sid).
func TestFilterFindsSid(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"6DF1", 1},
		{"be63", 1},
		{sidA[10:20], 0},
	} {
		m, _ := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions()})
		m, _ = press(t, m, "/")
		m = typeText(t, m, tc.query)
		if len(m.list.filtered) != tc.want {
			t.Errorf("filter %q kept %d rows, want %d", tc.query, len(m.list.filtered), tc.want)
			continue
		}
		if tc.want == 1 && m.list.selected().SID != sidA {
			t.Errorf("filter %q selected %s", tc.query, m.list.selected().ID)
		}
	}
}

// TestFilterLineFits keeps the filter line, with its count, on screen
// while typing, over many sessions and over none that match.
func TestFilterLineFits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, query, want string }{
		{"matches", "user42", "(99 of 10000)"},
		{"none", "nobody", "(0 of 10000)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, _ := newTestModel(t, &fakeClient{}, testOpts{session: manySessions(10000),
				w: 120, h: 40})
			m, _ = press(t, m, "G")
			m, _ = press(t, m, "/")
			m = typeText(t, m, tc.query)
			lines := strings.Split(strings.TrimRight(viewText(m), "\n"), "\n")
			if len(lines) != 40 {
				t.Errorf("%d lines on a 40-line screen", len(lines))
			}
			filter := lines[len(lines)-3] // above the status and help lines
			if !strings.HasPrefix(strings.TrimSpace(filter), "/ "+tc.query) ||
				!strings.HasSuffix(strings.TrimSpace(filter), tc.want) {
				t.Errorf("filter line %q, want the query and %q", filter, tc.want)
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > 120 {
					t.Errorf("line %d is %d wide: %q", i, w, l)
				}
			}
		})
	}
}

func TestNavigationScrolls(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: manySessions(100)})
	m, _ = press(t, m, "G")
	if m.list.cursor != 99 || !strings.Contains(viewText(m), "› ") {
		t.Fatalf("cursor %d", m.list.cursor)
	}
	if m.list.offset != 100-m.list.visibleRows() {
		t.Errorf("offset %d", m.list.offset)
	}
	m, _ = press(t, m, "g", "down", "down", "up")
	if m.list.cursor != 1 || m.list.offset != 0 {
		t.Errorf("cursor %d offset %d", m.list.cursor, m.list.offset)
	}
}

func TestQuitAndHelp(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{})
	m, _ = press(t, m, "?")
	if !m.help.ShowAll {
		t.Fatal("? did not open the help")
	}
	m, _ = press(t, m, "esc")
	if m.help.ShowAll {
		t.Fatal("esc did not close the help")
	}
	_, cmd := press(t, m, "q")
	if cmd == nil {
		t.Fatal("q gave no command")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("q does not quit")
	}
	if !m.View().AltScreen {
		t.Error("the view does not use the alternate screen")
	}
}

// TestEmptyListHelp offers only what an empty list can do.
func TestEmptyListHelp(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{w: 100, h: 30})
	lines := strings.Split(strings.TrimRight(viewText(m), "\n"), "\n")
	help := lines[len(lines)-1]
	for _, want := range []string{"n new login", "t track"} {
		if !strings.Contains(help, want) {
			t.Errorf("help %q lacks %q", help, want)
		}
	}
	for _, not := range []string{"details", "check", "log out", "forget"} {
		if strings.Contains(help, not) {
			t.Errorf("help %q offers %q on an empty list", help, not)
		}
	}
}

func TestBulkCheck(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{accept: map[odoo.Transport]bool{"cookie": true}}
	m, _ := newTestModel(t, fc, testOpts{session: manySessions(20)})
	m, cmd := press(t, m, "C")
	if !m.bulk.active || m.bulk.inFlight != DefaultConcurrency || len(m.bulk.queue) != 12 {
		t.Fatalf("bulk %+v", m.bulk)
	}
	if !strings.Contains(viewText(m), "checking 0/20") {
		t.Error("no progress shown")
	}
	done := waitMsgs[checkDoneMsg](t, cmd, DefaultConcurrency)
	m, cmd = sendCmd(t, m, done[0])
	if m.bulk.inFlight != DefaultConcurrency || m.bulk.done != 1 {
		t.Fatalf("after one reply: %+v", m.bulk)
	}
	m, _ = press(t, m, "esc")
	if !m.bulk.stopped || len(m.bulk.queue) != 0 {
		t.Fatal("esc did not stop the queue")
	}
	// The session launched before esc still reports; then the in-flight ones.
	more := append(done[1:], waitMsg[checkDoneMsg](t, cmd))
	for _, d := range more {
		m = send(t, m, d)
	}
	if m.bulk.active {
		t.Fatalf("bulk still active: %+v", m.bulk)
	}
	if !strings.Contains(m.status.text, "stopped: 9 of 20: 9 accepted") {
		t.Errorf("status %q", m.status.text)
	}
}

// TestBulkCheckEscCancelsRequests: esc does not wait for the requests on
// their way, and a stopped check records nothing about the server.
func TestBulkCheckEscCancelsRequests(t *testing.T) {
	t.Parallel()
	m, st := newTestModel(t, &fakeClient{hold: true}, testOpts{session: manySessions(20)})
	m, cmd := press(t, m, "C")
	done := make(chan []checkDoneMsg)
	go func() { done <- waitMsgs[checkDoneMsg](t, cmd, DefaultConcurrency) }()
	m, _ = press(t, m, "esc")
	for _, d := range <-done {
		m = send(t, m, d)
	}
	if m.bulk.active {
		t.Fatalf("bulk still active: %+v", m.bulk)
	}
	want := "stopped: 0 of 20: 0 accepted, 0 not accepted, 0 could not be checked"
	if m.status.text != want {
		t.Errorf("status %q, want %q", m.status.text, want)
	}
	before := manySessions(20)
	for i, s := range append(m.list.all, st.snapshot()...) {
		if diff := cmp.Diff(before[i%20].Checks, s.Checks); diff != "" {
			t.Errorf("session %s after a stopped check (-before +after):\n%s", s.ID, diff)
		}
	}
	if len(m.unsaved) > 0 {
		t.Errorf("%d sessions queued for writing after a stopped check", len(m.unsaved))
	}
}

// TestBulkCheckSkipsASilentServer: when a server does not answer one
// transport in time, a check of every session does not wait on it for the
// two others; they stay unchecked.
func TestBulkCheckSkipsASilentServer(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{checkErr: fmt.Errorf("check: %w", odoo.ErrTimeout)}
	m, _ := newTestModel(t, fc, testOpts{session: threeSessions()})
	m, cmd := press(t, m, "C")
	for _, d := range waitMsgs[checkDoneMsg](t, cmd, 3) {
		if len(d.results) != 1 || d.results[0].Transport != odoo.TransportHeader {
			t.Errorf("session %s: %d results, want the header's alone", d.id, len(d.results))
		}
		m = send(t, m, d)
	}
	if n := len(fc.Calls()); n != 3 {
		t.Errorf("%d checks sent to a silent server for 3 sessions, want 3", n)
	}
	if !strings.Contains(m.status.text, "3 could not be checked") {
		t.Errorf("status %q", m.status.text)
	}
}

// TestBulkCheckConcurrency takes its bound from the configuration.
func TestBulkCheckConcurrency(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: manySessions(20),
		cfg: func(c *Config) { c.Concurrency = 3 }})
	m, cmd := press(t, m, "C")
	if m.bulk.inFlight != 3 || len(m.bulk.queue) != 17 {
		t.Fatalf("bulk with concurrency 3: %d in flight, %d queued", m.bulk.inFlight,
			len(m.bulk.queue))
	}
	m, _ = sendCmd(t, m, waitMsgs[checkDoneMsg](t, cmd, 3)[0])
	if m.bulk.inFlight != 3 || m.bulk.done != 1 {
		t.Errorf("after one reply: %d in flight, %d done", m.bulk.inFlight, m.bulk.done)
	}
}

func TestStoreWatchReloads(t *testing.T) {
	t.Parallel()
	m, st := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions()})
	m = send(t, m, tickMsg{at: t0.Add(time.Second), tag: m.tickTag})
	if m.watchKey != 0 {
		t.Fatal("polled on the first tick")
	}
	st.externalWrite(threeSessions()[:1])
	m, cmd := sendCmd(t, m, tickMsg{at: t0.Add(2 * time.Second), tag: m.tickTag})
	if m.watchKey == 0 {
		t.Fatal("no poll on the second tick")
	}
	m = send(t, m, waitMsg[sessionsLoadedMsg](t, cmd))
	if len(m.list.all) != 1 {
		t.Errorf("after another console's write: %d sessions", len(m.list.all))
	}
	m = send(t, m, tickMsg{at: t0.Add(3 * time.Second), tag: m.tickTag})
	m, cmd = sendCmd(t, m, tickMsg{at: t0.Add(4 * time.Second), tag: m.tickTag})
	loaded := waitMsg[sessionsLoadedMsg](t, cmd)
	if !loaded.unchanged {
		t.Error("an unchanged store was reloaded")
	}
	_ = send(t, m, loaded)
}

func TestTrack(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{accept: map[odoo.Transport]bool{"cookie": true}}
	m, st := newTestModel(t, fc, testOpts{})
	m, _ = press(t, m, "t")
	if m.screen != screenTrack {
		t.Fatal("t did not open the track form")
	}
	m = typeText(t, m, "http://odoo18.test")
	m, _ = press(t, m, "tab", "tab")
	m = typeText(t, m, "bad sid")
	m, _ = press(t, m, "enter")
	if m.track.err == "" || m.screen != screenTrack {
		t.Fatal("a sid with a space was accepted")
	}
	m.track.inputs[trackSID].SetValue(strings.Repeat("Ab-_", 21))
	m, cmd := press(t, m, "enter")
	if m.screen != screenList || len(m.list.all) != 1 || m.list.all[0].Method != "tracked" {
		t.Fatalf("screen %d sessions %d", m.screen, len(m.list.all))
	}
	m = send(t, m, waitMsg[checkDoneMsg](t, cmd))
	if got := m.list.checksCell(&m.list.all[0]); got != "✗ ✓ ✗" {
		t.Errorf("checks %q", got)
	}
	waitMsg[sessionsSavedMsg](t, cmd)
	if len(st.snapshot()) != 1 {
		t.Error("the tracked sid was not stored")
	}
}

func TestSavesQueueInOrder(t *testing.T) {
	t.Parallel()
	m, st := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions()})
	m, cmd := press(t, m, "c")
	m, save1 := sendCmd(t, m, waitMsg[checkDoneMsg](t, cmd))
	if !m.saving || save1 == nil {
		t.Fatal("the check was not written")
	}
	m, _ = press(t, m, "down", "x")
	m, cmd = press(t, m, "y")
	if cmd != nil || len(m.unsaved) != 1 {
		t.Fatalf("a second write started while one is on its way (queued %d)", len(m.unsaved))
	}
	m, save2 := sendCmd(t, m, waitMsg[sessionsSavedMsg](t, save1))
	if save2 == nil || len(m.list.all) != 2 {
		t.Fatalf("queued write not sent, or the list took the store's older copy (%d rows)",
			len(m.list.all))
	}
	m = send(t, m, waitMsg[sessionsSavedMsg](t, save2))
	got := st.snapshot()
	if len(got[0].Checks) != 3 || !got[1].Forgotten || m.saving {
		t.Errorf("store: checks %d, b forgotten %v", len(got[0].Checks), got[1].Forgotten)
	}
}

func TestResizeAndBackground(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: manySessions(100), w: 120, h: 40})
	m, _ = press(t, m, "G")
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	checkFits(t, m.View().Content, 80, 24)
	if !strings.Contains(viewText(m), "› ") {
		t.Error("the selected row scrolled out of view after a resize")
	}
	m = send(t, m, tea.BackgroundColorMsg{Color: color.White})
	if m.c.dark {
		t.Error("a white background was taken for dark")
	}
}
