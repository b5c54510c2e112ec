package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// isQuit reports whether cmd ends the program.
func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// forgetFirst forgets the selected session and returns the write it sends.
func forgetFirst(t *testing.T, m model) (model, tea.Cmd) {
	t.Helper()
	m, _ = press(t, m, "x")
	return press(t, m, "y")
}

// forgotten reports whether the store marks the session id forgotten.
func forgotten(st *fakeStore, id string) bool {
	for _, s := range st.snapshot() {
		if s.ID == id {
			return s.Forgotten
		}
	}
	return false
}

func TestQuitWaitsForWrites(t *testing.T) {
	t.Parallel()
	m, st := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions()})
	m, first := forgetFirst(t, m)  // written now
	m, second := forgetFirst(t, m) // queued behind the first write
	if second != nil {
		t.Fatal("a second write started while the first was on its way")
	}

	m, cmd := press(t, m, "q")
	if isQuit(cmd) || !m.quitting {
		t.Fatal("q quit with two sessions not written")
	}
	if !strings.Contains(m.status.text, "writing 2 sessions to the sessions file before quitting") {
		t.Errorf("status %q", m.status.text)
	}
	m, cmd = sendCmd(t, m, waitMsg[sessionsSavedMsg](t, first))
	// The reply is the queued write, not a quit.
	_, cmd = sendCmd(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if !isQuit(cmd) {
		t.Fatal("no quit once everything was written")
	}
	if !forgotten(st, "a") || !forgotten(st, "b") {
		t.Error("the store lacks a change made before quitting")
	}
}

func TestQuitTwiceQuitsNow(t *testing.T) {
	t.Parallel()
	for _, keys := range [][]string{{"q", "q"}, {"ctrl+c", "ctrl+c"}} {
		m, _ := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions()})
		m, _ = forgetFirst(t, m)
		m, cmd := press(t, m, keys[0])
		if isQuit(cmd) {
			t.Fatalf("%s quit with a write on its way", keys[0])
		}
		if _, cmd = press(t, m, keys[1]); !isQuit(cmd) {
			t.Errorf("%s twice did not quit", keys[0])
		}
	}
}

func TestQuitWithNothingToWrite(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions()})
	if _, cmd := press(t, m, "q"); !isQuit(cmd) {
		t.Error("q did not quit at once with nothing to write")
	}
}

func TestFailedWriteKeptForTheNextTry(t *testing.T) {
	t.Parallel()
	st := newFakeStore(threeSessions()...)
	m, _ := newTestModel(t, &fakeClient{}, testOpts{store: st})
	st.err = errors.New("no space left on device")
	m, cmd := forgetFirst(t, m)
	m, _ = press(t, m, "q")
	m, cmd = sendCmd(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if cmd != nil {
		t.Fatal("a command after a failed write: the retry waits for the tick")
	}
	if !strings.Contains(m.status.text, "no space left on device") ||
		!strings.Contains(m.status.text, "q again quits without them") {
		t.Errorf("status %q", m.status.text)
	}
	if _, ok := m.unsaved["a"]; !ok {
		t.Fatal("the failed write's session is no longer queued")
	}

	// The cause is mended; the tick writes it.
	st.err = nil
	m = send(t, m, tickMsg{at: t0.Add(1), tag: m.tickTag})
	m, cmd = sendCmd(t, m, tickMsg{at: t0.Add(2), tag: m.tickTag})
	_, cmd = sendCmd(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if !forgotten(st, "a") {
		t.Error("the retried write did not reach the store")
	}
	if !isQuit(cmd) {
		t.Error("no quit once the retried write went in")
	}
}

func TestWriteLeft(t *testing.T) {
	t.Parallel()
	m, st := newTestModel(t, &fakeClient{}, testOpts{session: threeSessions()})
	m, _ = forgetFirst(t, m) // its write never runs: the program ended
	m, _ = forgetFirst(t, m)
	n, err := WriteLeft(m)
	if err != nil || n != 2 {
		t.Fatalf("WriteLeft = %d, %v; want 2 sessions", n, err)
	}
	if !forgotten(st, "a") || !forgotten(st, "b") {
		t.Error("the store lacks what the console had not written")
	}
	if n, _ := WriteLeft(model{}); n != 0 {
		t.Errorf("a console with nothing pending wrote %d", n)
	}
}

func TestBulkCheckWritesWithTheTick(t *testing.T) {
	t.Parallel()
	m, st := newTestModel(t, &fakeClient{}, testOpts{session: manySessions(20)})
	m, cmd := press(t, m, "C")
	for _, d := range waitMsgs[checkDoneMsg](t, cmd, DefaultConcurrency) {
		m = send(t, m, d)
	}
	if m.saving || len(m.unsaved) != DefaultConcurrency {
		t.Fatalf("during the check: saving %v, %d queued", m.saving, len(m.unsaved))
	}
	m = send(t, m, tickMsg{at: t0.Add(1), tag: m.tickTag})
	m, cmd = sendCmd(t, m, tickMsg{at: t0.Add(2), tag: m.tickTag})
	if !m.saving {
		t.Fatal("the second tick wrote nothing")
	}
	waitMsgs[sessionsSavedMsg](t, cmd, 1)
	checked := 0
	for _, s := range st.snapshot() {
		if len(s.Checks) > 0 && s.Checks["cookie"] != nil {
			checked++
		}
	}
	if checked != DefaultConcurrency {
		t.Errorf("%d sessions with a cookie check in the store, want %d", checked,
			DefaultConcurrency)
	}
}

// TestStoreFailureClearsOnceItWorks: the status line does not keep saying
// the sessions file fails after a write to it has worked.
func TestStoreFailureClearsOnceItWorks(t *testing.T) {
	t.Parallel()
	st := newFakeStore(threeSessions()...)
	m, _ := newTestModel(t, &fakeClient{}, testOpts{store: st})
	st.err = errors.New("no space left on device")
	m, cmd := forgetFirst(t, m)
	m = send(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if m.status.kind != statusError || !strings.Contains(m.status.text, "no space left") {
		t.Fatalf("status %q after a failed write", m.status.text)
	}
	st.err = nil
	m = send(t, m, tickMsg{at: t0.Add(1), tag: m.tickTag})
	m, cmd = sendCmd(t, m, tickMsg{at: t0.Add(2), tag: m.tickTag})
	m = send(t, m, waitMsg[sessionsSavedMsg](t, cmd))
	if m.status.kind == statusError || m.status.text != "the sessions file reads and writes again" {
		t.Errorf("status %q (kind %d) after the retried write worked", m.status.text, m.status.kind)
	}
}
