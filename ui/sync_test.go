package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// apartStore keeps session_info apart, as the file store does: its lists
// come without Info and Info reads it back.
type apartStore struct {
	mu    sync.Mutex
	list  []sessions.Session
	infos map[string]json.RawMessage
}

func (s *apartStore) strip(list []sessions.Session) []sessions.Session {
	out := copySessions(list)
	for i := range out {
		out[i].Info = nil
	}
	return out
}

func (s *apartStore) Load() ([]sessions.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.strip(s.list), nil
}

func (s *apartStore) Update(
	fn func([]sessions.Session) []sessions.Session) ([]sessions.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := fn(s.strip(s.list))
	for _, r := range next {
		if len(r.Info) > 0 {
			s.infos[r.ID] = append(json.RawMessage{}, r.Info...)
		}
	}
	s.list = s.strip(next)
	return s.strip(s.list), nil
}

func (s *apartStore) Info(id string) (json.RawMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(json.RawMessage{}, s.infos[id]...), nil
}

func TestInfoKeptApart(t *testing.T) {
	t.Parallel()
	list := threeSessions()
	st := &apartStore{infos: map[string]json.RawMessage{}}
	if _, err := st.Update(func([]sessions.Session) []sessions.Session { return list }); err != nil {
		t.Fatal(err)
	}
	m := console(t, &fakeClient{}, st)
	m, cmd := press(t, m, "enter")
	if cmd == nil || !strings.Contains(viewText(m), "no session_info yet") {
		t.Fatal("opening the detail view did not ask the store for session_info")
	}
	m = send(t, m, waitMsg[infoLoadedMsg](t, cmd))
	if !strings.Contains(viewText(m), `"name": "Mitchell Admin"`) {
		t.Fatalf("stored session_info not shown:\n%s", viewText(m))
	}

	// A save answers with lists without Info: the console keeps its own.
	m, cmd = press(t, m, "c")
	m, cmd = sendCmd(t, m, waitMsg[checkDoneMsg](t, cmd))
	m = send(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if len(m.list.session("a").Info) == 0 || !strings.Contains(viewText(m), `"name"`) {
		t.Error("session_info lost when the store's list came back")
	}
}

// fileStore adapts *sessions.Store as cli/console.go does, and reads
// session_info back when the store keeps it apart.
type fileStore struct{ s *sessions.Store }

func (f fileStore) Load() ([]sessions.Session, error) {
	list, rep, err := f.s.Load()
	return sessions.WithForgotten(list, rep.Forgotten), err
}

func (f fileStore) Update(
	fn func([]sessions.Session) []sessions.Session) ([]sessions.Session, error) {
	list, forgotten, err := f.s.UpdateForgotten(fn)
	return sessions.WithForgotten(list, forgotten), err
}

func (f fileStore) Changed() bool {
	changed, err := f.s.Changed()
	return changed || err != nil
}

func (f fileStore) Info(id string) (json.RawMessage, error) {
	if r, ok := any(f.s).(InfoReader); ok {
		return r.Info(id)
	}
	return nil, nil
}

func (f fileStore) History(id string) (map[string][]sessions.Check, error) {
	return f.s.History(id)
}

func TestDetailShowsStoredHistory(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state", "sessions.json")
	st := sessions.Open(path, sessions.WithClock(func() time.Time { return t0 }))
	list := threeSessions()
	for i := range 5 {
		// Five rounds, each saved: the store keeps only the latest checks
		// in its lists and the rest beside them.
		list[0].RecordCheck(sessions.Check{Transport: sessions.TransportHeader, Accepted: i%2 == 0,
			Status: 200, At: t0.Add(time.Duration(i) * time.Minute)}, t0)
		var err error
		if list, err = st.Update(func([]sessions.Session) []sessions.Session { return list }); err != nil {
			t.Fatal(err)
		}
	}
	m := console(t, &fakeClient{}, fileStore{st})
	if n := len(m.list.session("a").Checks[sessions.TransportHeader]); n >= 5 {
		t.Fatalf("the store's list holds %d header checks; this test needs it to keep fewer", n)
	}
	m, cmd := press(t, m, "enter")
	m = send(t, m, waitMsg[infoLoadedMsg](t, cmd))
	if !strings.Contains(viewText(m), "✓✗✓✗✓") {
		t.Fatalf("the header row does not show the five stored checks:\n%s", viewText(m))
	}
}

// console opens a console on st and loads it, as a process of its own
// would.
func console(t *testing.T, fc *fakeClient, st SessionStore) model {
	t.Helper()
	m := New(Config{
		NewClient: func(string) (Client, error) { return fc, nil },
		Store:     st,
		Clock:     func() time.Time { return t0 },
		NoColor:   true,
	}).(model)
	list, err := st.Load()
	if err != nil {
		t.Fatal(err)
	}
	m = send(t, m, sessionsLoadedMsg{key: m.loadKey, list: list, fp: fingerprintList(list)})
	return send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
}

// settle runs cmd until the write it started reached the file.
func settle(t *testing.T, m model, cmd tea.Cmd) model {
	t.Helper()
	return send(t, m, waitMsg[sessionsSavedMsg](t, cmd))
}

// twoTicks sends the two heartbeats after which a console asks the store
// whether another one wrote it, and applies the answer.
func twoTicks(t *testing.T, m model, at time.Time) model {
	t.Helper()
	m = send(t, m, tickMsg{at: at, tag: m.tickTag})
	m, cmd := sendCmd(t, m, tickMsg{at: at.Add(time.Second), tag: m.tickTag})
	if m.watchKey == 0 {
		t.Fatal("no look at the store on the second tick")
	}
	return send(t, m, waitMsg[sessionsLoadedMsg](t, cmd))
}

func TestTwoConsolesShareTheFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state", "sessions.json")
	fc := &fakeClient{loginRes: okLogin(), moduleState: "installed"}
	a := console(t, fc, fileStore{sessions.Open(path)})
	b := console(t, fc, fileStore{sessions.Open(path)})

	a, _ = press(t, a, "n")
	a.login.inputs[fieldURL].SetValue("http://localhost:8069")
	a.login.focusField(fieldLogin)
	a = fillLogin(t, a, "admin", "admin")
	a, cmd := press(t, a, "enter")
	a, cmd = sendCmd(t, a, waitMsg[loginDoneMsg](t, cmd))
	a = settle(t, a, cmd)

	b = twoTicks(t, b, t0.Add(time.Second))
	if len(b.list.all) != 1 || b.list.all[0].Login != "admin" ||
		b.list.all[0].RESTModule != "installed" {
		t.Fatalf("the other console's login did not appear within two seconds: %+v", b.list.all)
	}
	b, cmd = press(t, b, "enter")
	if cmd != nil {
		b = send(t, b, waitMsg[infoLoadedMsg](t, cmd))
	}
	if !strings.Contains(viewText(b), "REST module: installed on demo") {
		t.Errorf("detail in the other console:\n%s", viewText(b))
	}

	a, _ = press(t, a, "x")
	a, cmd = press(t, a, "y")
	a = settle(t, a, cmd)
	if len(a.list.all) != 0 {
		t.Fatal("forget did not remove the session")
	}
	b = twoTicks(t, b, t0.Add(3*time.Second))
	if len(b.list.all) != 0 || b.screen != screenList ||
		!strings.Contains(b.status.text, "forgotten") {
		t.Errorf("the other console still shows %d sessions (screen %d, status %q)",
			len(b.list.all), b.screen, b.status.text)
	}
}

// pollStore sends the two heartbeats after which a console looks at the
// store and returns the model and the command of its answer.
func pollStore(t *testing.T, m model, at time.Time) (model, tea.Cmd) {
	t.Helper()
	m = send(t, m, tickMsg{at: at, tag: m.tickTag})
	m, cmd := sendCmd(t, m, tickMsg{at: at.Add(time.Second), tag: m.tickTag})
	if m.watchKey == 0 {
		t.Fatal("no look at the store on the second tick")
	}
	return sendCmd(t, m, waitMsg[sessionsLoadedMsg](t, cmd))
}

func TestCorruptFileKeepsSessions(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state", "sessions.json")
	seed := sessions.Open(path)
	if _, err := seed.Update(func([]sessions.Session) []sessions.Session {
		return threeSessions()
	}); err != nil {
		t.Fatal(err)
	}
	a := console(t, &fakeClient{}, fileStore{sessions.Open(path)})
	b := console(t, &fakeClient{}, fileStore{sessions.Open(path)})

	if err := os.WriteFile(path, []byte("garbage\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, cmd := pollStore(t, a, t0.Add(time.Second))
	if len(a.list.all) != 3 {
		t.Fatalf("the console dropped its list to %d sessions", len(a.list.all))
	}
	if a.status.kind != statusError || !strings.Contains(a.status.text, path+".corrupt-") {
		t.Errorf("status %q does not say where the corrupt file went", a.status.text)
	}
	if cmd == nil {
		t.Fatal("the sessions held in memory were not written back")
	}
	a = send(t, a, waitMsg[sessionsSavedMsg](t, cmd))
	if len(a.list.all) != 3 {
		t.Errorf("after writing back: %d sessions", len(a.list.all))
	}
	onDisk, _, err := sessions.Open(path).Load()
	if err != nil || len(onDisk) != 3 {
		t.Fatalf("the new file holds %d sessions (%v)", len(onDisk), err)
	}

	b, _ = pollStore(t, b, t0.Add(time.Second))
	if len(b.list.all) != 3 {
		t.Errorf("the other console shows %d sessions", len(b.list.all))
	}
}

// TestCorruptFileOnSave covers a write that finds the file corrupt: the
// change and every session held are written to the new file.
func TestCorruptFileOnSave(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state", "sessions.json")
	seed := sessions.Open(path)
	if _, err := seed.Update(func([]sessions.Session) []sessions.Session {
		return threeSessions()
	}); err != nil {
		t.Fatal(err)
	}
	m := console(t, &fakeClient{}, fileStore{sessions.Open(path)})
	if err := os.WriteFile(path, []byte("garbage\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m, _ = press(t, m, "x")
	m, cmd := press(t, m, "y")
	m, cmd = sendCmd(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if m.status.kind != statusError || !strings.Contains(m.status.text, ".corrupt-") {
		t.Errorf("status %q", m.status.text)
	}
	if cmd == nil {
		t.Fatal("nothing written after the failed write")
	}
	m = send(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	onDisk, _, err := sessions.Open(path).Load()
	if err != nil || len(onDisk) != 2 || len(m.list.all) != 2 {
		t.Fatalf("the new file holds %d sessions, the console %d (%v)", len(onDisk),
			len(m.list.all), err)
	}
	for _, s := range onDisk {
		if s.ID == "a" {
			t.Error("the forgotten session came back")
		}
	}
}

// TestStoreFileReplaced: sessions held here that a new file lacks (the
// file was removed, or another writer made a new one) are written back;
// those another console forgot are not.
func TestStoreFileReplaced(t *testing.T) {
	t.Parallel()
	st := newFakeStore(threeSessions()...)
	m, _ := newTestModel(t, &fakeClient{}, testOpts{store: st})
	m, _ = press(t, m, "enter")
	if m.screen != screenDetail || m.detail.sess.ID != "a" {
		t.Fatal("no detail view of the first session")
	}
	other := testSession("z", "other.example.com", "qa", "qa", sidB)
	st.replaceFile([]sessions.Session{other})
	m = send(t, m, tickMsg{at: t0.Add(time.Second), tag: m.tickTag})
	m, cmd := sendCmd(t, m, tickMsg{at: t0.Add(2 * time.Second), tag: m.tickTag})
	m, cmd = sendCmd(t, m, waitMsg[sessionsLoadedMsg](t, cmd))
	if m.screen != screenDetail || len(m.list.all) != 4 {
		t.Fatalf("after the new file: screen %d, %d sessions, want the detail view and 4",
			m.screen, len(m.list.all))
	}
	if !strings.Contains(m.status.text, "lacks 3 sessions held here") {
		t.Errorf("status %q", m.status.text)
	}
	m = send(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if got := len(st.snapshot()); got != 4 {
		t.Errorf("the new file holds %d sessions, want 4", got)
	}
	if want := "wrote back 3 sessions the sessions file had lost (it was removed or replaced)"; m.status.text != want {
		t.Errorf("status after the write %q, want %q", m.status.text, want)
	}

	// Once another console forgets one, it goes here too.
	st.externalWrite([]sessions.Session{other})
	m = send(t, m, tickMsg{at: t0.Add(3 * time.Second), tag: m.tickTag})
	m, cmd = sendCmd(t, m, tickMsg{at: t0.Add(4 * time.Second), tag: m.tickTag})
	m = send(t, m, waitMsg[sessionsLoadedMsg](t, cmd))
	if len(m.list.all) != 1 || m.list.all[0].ID != "z" {
		t.Errorf("after a forget elsewhere: %d sessions", len(m.list.all))
	}
}

// TestStoreFileNotYetMade: on a first run there is no file, and nothing to
// write back.
func TestStoreFileNotYetMade(t *testing.T) {
	t.Parallel()
	st := newFakeStore()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{store: st})
	st.replaceFile(nil)
	m = send(t, m, tickMsg{at: t0.Add(time.Second), tag: m.tickTag})
	m, cmd := sendCmd(t, m, tickMsg{at: t0.Add(2 * time.Second), tag: m.tickTag})
	m, cmd = sendCmd(t, m, waitMsg[sessionsLoadedMsg](t, cmd))
	if m.status.kind == statusError || len(m.unsaved) > 0 || m.saving || cmd != nil {
		t.Errorf("no file and no session: status %q, %d queued, saving %v", m.status.text,
			len(m.unsaved), m.saving)
	}
}

// TestNewFileKeepsForgottenMarks: a console that writes back what a new
// file lacks writes the forgotten marks it knows too, so that a console
// still holding a forgotten session (one busy with a check of every
// session does not reload) does not bring it back.
func TestNewFileKeepsForgottenMarks(t *testing.T) {
	t.Parallel()
	st := newFakeStore(threeSessions()...)
	m, _ := newTestModel(t, &fakeClient{}, testOpts{store: st})
	three := threeSessions()
	st.externalWrite([]sessions.Session{three[0], three[2]}) // another console forgot b
	m = send(t, m, tickMsg{at: t0.Add(time.Second), tag: m.tickTag})
	m, cmd := sendCmd(t, m, tickMsg{at: t0.Add(2 * time.Second), tag: m.tickTag})
	m = send(t, m, waitMsg[sessionsLoadedMsg](t, cmd))
	if len(m.list.all) != 2 {
		t.Fatalf("after b was forgotten elsewhere: %d sessions", len(m.list.all))
	}

	st.replaceFile([]sessions.Session{three[0]})
	m = send(t, m, tickMsg{at: t0.Add(3 * time.Second), tag: m.tickTag})
	m, cmd = sendCmd(t, m, tickMsg{at: t0.Add(4 * time.Second), tag: m.tickTag})
	m, cmd = sendCmd(t, m, waitMsg[sessionsLoadedMsg](t, cmd))
	m = send(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if len(m.list.all) != 2 {
		t.Errorf("after the new file: %d sessions, want a and c", len(m.list.all))
	}
	if !forgotten(st, "b") {
		t.Error("the new file lacks b's forgotten mark")
	}
}

// TestSaveFindsTheFileReplaced: a save into a file that was replaced meanwhile
// finds the sessions it lacks; the status says they are being written back
// until they are.
func TestSaveFindsTheFileReplaced(t *testing.T) {
	t.Parallel()
	st := newFakeStore(threeSessions()...)
	m, _ := newTestModel(t, &fakeClient{}, testOpts{store: st})
	st.replaceFile(nil)
	m, cmd := forgetFirst(t, m)
	m, cmd = sendCmd(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if !strings.Contains(m.status.text, "lacks 2 sessions held here") || cmd == nil {
		t.Fatalf("after the save into a new file: status %q", m.status.text)
	}
	m = send(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if !strings.HasPrefix(m.status.text, "wrote back 2 sessions") || len(st.snapshot()) < 2 {
		t.Errorf("after the write-back: status %q, %d records", m.status.text, len(st.snapshot()))
	}
}
