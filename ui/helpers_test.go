package ui

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// t0 is the fixed clock of every test.
var t0 = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

const (
	sidA = "6df1c0ffee00112233445566778899aabbccbe63"
	sidB = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
)

// fakeClient records calls and answers with canned results.
type fakeClient struct {
	mu    sync.Mutex
	calls []string
	reqs  []odoo.LoginRequest

	loginRes  *odoo.LoginResult
	loginErr  error
	totpRes   *odoo.LoginResult
	totpErr   error
	accept    map[odoo.Transport]bool
	checkErr  error
	logoutErr error
	info      odoo.SessionInfo
	version   odoo.ServerVersion
	verErr    error
	dbs       []string
	dbErr     error

	// hold makes Check wait until its context ends, as a server that does
	// not answer would.
	hold bool
	// saves makes accepted checks answer as Odoo 18 does at a sid's first
	// request: the cookie set again.
	saves bool

	moduleState string
	moduleErr   error
	devices     []odoo.Device
	// modulePasswords are the passwords ModuleState was called with.
	modulePasswords []string
}

func (f *fakeClient) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

// Calls returns the calls made so far.
func (f *fakeClient) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string{}, f.calls...)
}

func (f *fakeClient) Login(_ context.Context, req odoo.LoginRequest) (*odoo.LoginResult, error) {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	f.record("login " + req.Login)
	return f.loginRes, f.loginErr
}

func (f *fakeClient) CompleteTOTP(_ context.Context, half, code string) (*odoo.LoginResult, error) {
	f.record("totp " + half + " " + code)
	return f.totpRes, f.totpErr
}

func (f *fakeClient) Check(ctx context.Context, sid string, t odoo.Transport) odoo.CheckResult {
	f.record("check " + sid[:4] + " " + string(t))
	if f.hold {
		<-ctx.Done()
		return odoo.CheckResult{Transport: t, Err: fmt.Errorf("check: %w", ctx.Err())}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ok := f.accept[t] && f.checkErr == nil
	return odoo.CheckResult{Transport: t, Accepted: ok, Saved: ok && f.saves,
		Status: 200, Latency: 12 * time.Millisecond, At: t0, Err: f.checkErr}
}

func (f *fakeClient) SessionInfo(_ context.Context, sid string, t odoo.Transport) (odoo.SessionInfo, error) {
	f.record("info " + sid[:4] + " " + string(t))
	return f.info, nil
}

func (f *fakeClient) Logout(_ context.Context, sid string, t odoo.Transport) (odoo.LogoutResult, error) {
	f.record("logout " + sid[:4] + " " + string(t))
	return odoo.LogoutResult{Endpoint: "/session/auth/logout", Status: 200}, f.logoutErr
}

func (f *fakeClient) Version(context.Context) (odoo.ServerVersion, error) {
	f.record("version")
	return f.version, f.verErr
}

func (f *fakeClient) ListDatabases(context.Context) ([]string, error) {
	f.record("dbs")
	return f.dbs, f.dbErr
}

func (f *fakeClient) ModuleState(_ context.Context, db, login, password,
	module string) (string, error) {
	f.mu.Lock()
	f.modulePasswords = append(f.modulePasswords, password)
	f.mu.Unlock()
	f.record("module " + db + " " + login + " " + module)
	return f.moduleState, f.moduleErr
}

func (f *fakeClient) Devices(_ context.Context, sid string, t odoo.Transport, uid int) ([]odoo.Device, error) {
	f.record(fmt.Sprintf("devices %s %s %d", sid[:4], t, uid))
	return f.devices, nil
}

// fakeStore is an in-memory store that signals every write.
type fakeStore struct {
	mu      sync.Mutex
	list    []sessions.Session
	changed bool
	loads   int
	writes  chan struct{}
	// err, when set, fails every Update.
	err error
}

func newFakeStore(list ...sessions.Session) *fakeStore {
	return &fakeStore{list: copySessions(list), writes: make(chan struct{}, 1024)}
}

func (s *fakeStore) Load() ([]sessions.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads++
	s.changed = false
	return copySessions(s.list), nil
}

func (s *fakeStore) Update(fn func([]sessions.Session) []sessions.Session) ([]sessions.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	s.list = copySessions(fn(copySessions(s.list)))
	s.writes <- struct{}{}
	return copySessions(s.list), nil
}

func (s *fakeStore) Changed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

var _ ChangeReporter = (*fakeStore)(nil)

// snapshot returns a copy of what the store holds.
func (s *fakeStore) snapshot() []sessions.Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copySessions(s.list)
}

// externalWrite changes the store as another console would: the sessions
// it leaves out are forgotten.
func (s *fakeStore) externalWrite(list []sessions.Session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := map[string]bool{}
	for _, r := range list {
		kept[r.ID] = true
	}
	next := copySessions(list)
	for _, r := range s.list {
		if !kept[r.ID] {
			next = append(next, sessions.Session{ID: r.ID, Forgotten: true})
		}
	}
	s.list, s.changed = next, true
}

// replaceFile puts list in the store as a new file would: nothing is
// remembered of what was there before.
func (s *fakeStore) replaceFile(list []sessions.Session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list, s.changed = copySessions(list), true
}

// testSession is a REST session obtained at t0.
func testSession(id, host, db, login, sid string) sessions.Session {
	info, _ := json.Marshal(map[string]any{"uid": 2, "name": "Mitchell Admin", "db": db,
		"server_version": "15.0", "user_context": map[string]any{"lang": "en_US"}})
	return sessions.Session{
		ID: id, URL: "http://" + host + ":8069", DB: db, Login: login,
		UserName: "Mitchell Admin", UID: 2, SID: sid,
		ExpiresAt:  t0.Add(90 * 24 * time.Hour),
		ObtainedAt: t0, SavedAt: t0, Method: "rest", ServerVersion: "15.0",
		State: sessions.StateActive, Info: info, UpdatedAt: t0,
	}
}

type testOpts struct {
	cfg     func(*Config)
	store   *fakeStore
	w, h    int
	session []sessions.Session
}

// newTestModel builds a console on a fake client and store, loads the
// store's sessions and sizes it.
func newTestModel(t testing.TB, fc *fakeClient, o testOpts) (model, *fakeStore) {
	t.Helper()
	st := o.store
	if st == nil {
		st = newFakeStore(o.session...)
	}
	cfg := Config{
		NewClient: func(string) (Client, error) { return fc, nil },
		Store:     st,
		Clock:     func() time.Time { return t0 },
		Location:  time.FixedZone("CET", 3600),
		NoColor:   true,
	}
	if o.cfg != nil {
		o.cfg(&cfg)
	}
	m := New(cfg).(model)
	list, _ := st.Load()
	m = send(t, m, sessionsLoadedMsg{key: m.loadKey, list: list, fp: fingerprintList(list)})
	w, h := o.w, o.h
	if w == 0 {
		w, h = 80, 24
	}
	return send(t, m, tea.WindowSizeMsg{Width: w, Height: h}), st
}

// send applies one message and returns the new model.
func send(t testing.TB, m model, msg tea.Msg) model {
	t.Helper()
	next, _ := m.Update(msg)
	return next.(model)
}

// sendCmd applies one message and returns the model and the command.
func sendCmd(t testing.TB, m model, msg tea.Msg) (model, tea.Cmd) {
	t.Helper()
	next, cmd := m.Update(msg)
	return next.(model), cmd
}

// keyPress builds the key event for a key name or a single character.
func keyPress(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+o":
		return tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// press sends keys one after the other and returns the last command.
func press(t testing.TB, m model, keys ...string) (model, tea.Cmd) {
	t.Helper()
	var cmd tea.Cmd
	for _, k := range keys {
		m, cmd = sendCmd(t, m, keyPress(k))
	}
	return m, cmd
}

// typeText types s character by character.
func typeText(t testing.TB, m model, s string) model {
	t.Helper()
	for _, r := range s {
		m, _ = press(t, m, string(r))
	}
	return m
}

// collect runs cmd and every command of its batches in goroutines and sends
// their messages to out; ticks finish on their own after the test.
func collect(cmd tea.Cmd, out chan<- tea.Msg) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				collect(c, out)
			}
			return
		}
		select {
		case out <- msg:
		default:
		}
	}()
}

// waitMsg runs cmd and returns the first message of type T it produces.
func waitMsg[T tea.Msg](t testing.TB, cmd tea.Cmd) T {
	t.Helper()
	msgs := waitMsgs[T](t, cmd, 1)
	return msgs[0]
}

// waitMsgs runs cmd and returns the first n messages of type T.
func waitMsgs[T tea.Msg](t testing.TB, cmd tea.Cmd, n int) []T {
	t.Helper()
	if cmd == nil {
		t.Fatalf("no command to wait on for %T", *new(T))
	}
	ch := make(chan tea.Msg, 1024)
	collect(cmd, ch)
	deadline := time.NewTimer(5 * time.Second)
	defer deadline.Stop()
	var got []T
	for len(got) < n {
		select {
		case msg := <-ch:
			if v, ok := msg.(T); ok {
				got = append(got, v)
			}
		case <-deadline.C:
			t.Fatalf("got %d of %d %T messages within 5s", len(got), n, *new(T))
		}
	}
	return got
}

// viewText is the screen without ANSI sequences.
func viewText(m model) string {
	return ansi.Strip(m.View().Content)
}

// golden compares got with testdata/<test name>.golden, or rewrites it with
// -update.
func golden(t *testing.T, got string) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(t.Name())+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// checkFits fails when the view is not exactly w by h cells at most.
func checkFits(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i, lw, w, l)
		}
	}
}

// manySessions builds n sessions spread over a few servers and states.
func manySessions(n int) []sessions.Session {
	out := make([]sessions.Session, n)
	for i := range out {
		s := testSession(fmt.Sprintf("id%05d", i), fmt.Sprintf("odoo%02d.example.com", i%37),
			[]string{"qa", "prod", "staging"}[i%3], fmt.Sprintf("user%d", i%101),
			fmt.Sprintf("%040x", i+1))
		s.ExpiresAt = t0.Add(time.Duration(i%5000) * time.Minute)
		if i%7 == 0 {
			s.ExpiresAt = time.Time{}
		}
		s.RecordCheck(sessions.Check{Transport: "header", Accepted: i%2 == 0, Status: 200}, t0)
		out[i] = s
	}
	return out
}
