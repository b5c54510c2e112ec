package sessions

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// mustHistory returns the stored history of a session.
func mustHistory(t *testing.T, st *Store, id string) map[string][]Check {
	t.Helper()
	h, err := st.History(id)
	if err != nil {
		t.Fatalf("History(%s): %v", id, err)
	}
	return h
}

// historyStamps returns the stamp of every history file of the store.
func historyStamps(t *testing.T, st *Store) map[string]Stamp {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(infoDirOf(st.Path()), "*.history.json"))
	if err != nil {
		t.Fatal(err)
	}
	stamps := make(map[string]Stamp, len(names))
	for _, n := range names {
		fi, err := os.Stat(n)
		if err != nil {
			t.Fatal(err)
		}
		stamps[filepath.Base(n)] = stampOf(fi)
	}
	return stamps
}

// rewritten counts the files of after that are new or replaced since before.
func rewritten(before, after map[string]Stamp) int {
	n := 0
	for name, st := range after {
		if before[name] != st {
			n++
		}
	}
	return n
}

func TestHistoryKeptAcrossSaveAndLoad(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	saved := realisticSession(4)
	if _, err := st.Add(saved); err != nil {
		t.Fatal(err)
	}
	s := mustLoad(t, st)[0]
	for _, tr := range Transports {
		if len(s.Checks[tr]) != 1 {
			t.Errorf("%s: %d checks loaded, want the latest only", tr, len(s.Checks[tr]))
		}
	}
	if diff := cmp.Diff(utcChecks(saved.Checks), mustHistory(t, st, s.ID)); diff != "" {
		t.Errorf("history after Add (-saved +read):\n%s", diff)
	}

	at := t0.Add(5 * time.Hour)
	s.RecordCheck(Check{Transport: TransportCookie, Status: 303, At: at}, at)
	if _, err := st.Put(s); err != nil {
		t.Fatal(err)
	}
	got := mustLoad(t, st)[0]
	if h := got.Checks[TransportCookie]; len(h) != 2 || !h[0].Accepted || h[1].Status != 303 {
		t.Errorf("cookie checks loaded %+v, want the last accepted, then the rejected", h)
	}
	if got.StateAt(at, IdleLimit) != StateActive {
		t.Errorf("state %s after one rejected check, want active", got.StateAt(at, IdleLimit))
	}
	h := mustHistory(t, st, s.ID)[TransportCookie]
	if len(h) != 4 || h[3].Status != 303 || !h[3].At.Equal(at) {
		t.Errorf("cookie history %+v, want the three saved checks and the new one", h)
	}
}

func TestHistoryMergedFromTwoStores(t *testing.T) {
	t.Parallel()
	a, b, now := twoConsoles(t)
	if _, err := a.Add(Session{ID: "s1", SID: "x", State: StateActive}); err != nil {
		t.Fatal(err)
	}
	fromA, fromB := mustLoad(t, a)[0], mustLoad(t, b)[0]

	// b checks first but saves last, with a copy older than a's: a's record
	// wins, and b's check must still reach the history.
	*now = now.Add(time.Minute)
	fromB.RecordCheck(Check{Transport: TransportHeader, Accepted: true, Status: 200}, *now)
	*now = now.Add(time.Minute)
	fromA.RecordCheck(Check{Transport: TransportHeader, Status: 401}, *now)
	fromA.RecordCheck(Check{Transport: TransportParam, Accepted: true, Status: 200}, *now)
	for _, step := range []struct {
		st *Store
		s  Session
	}{{a, fromA}, {b, fromB}} {
		_, err := step.st.Update(func(cur []Session) []Session { return []Session{step.s} })
		if err != nil {
			t.Fatal(err)
		}
	}

	h := mustHistory(t, a, "s1")
	if len(h[TransportHeader]) != 2 || h[TransportHeader][0].Status != 200 ||
		h[TransportHeader][1].Status != 401 || len(h[TransportParam]) != 1 {
		t.Errorf("history %+v, want b's header check, then a's, and a's param check", h)
	}
	got := mustLoad(t, b)[0]
	if c, _ := got.LastCheck(TransportHeader); c.Status != 401 {
		t.Errorf("last header check %+v, want a's, the newest", c)
	}
	if h := got.Checks[TransportHeader]; len(h) != 2 || h[0].Status != 200 {
		t.Errorf("header checks loaded %+v, want b's accepted check kept before a's", h)
	}
}

func TestBulkCheckWritesOnlyChangedHistories(t *testing.T) {
	t.Parallel()
	const n = 10_000
	st := newStore(t)
	saveList(t, st, realisticSessions(n))
	if got := len(historyStamps(t, st)); got != n {
		t.Fatalf("%d history files after the first save, want %d", got, n)
	}

	at := t0.Add(30 * 24 * time.Hour)
	for _, tc := range []struct {
		name  string
		every int // record a check on every session whose index divides by it
		want  int
	}{
		{"half of the sessions checked", 2, n / 2},
		{"nothing checked", 0, 0},
		{"every session checked", 1, n},
	} {
		at = at.Add(time.Minute)
		before := historyStamps(t, st)
		list, err := st.Update(func(cur []Session) []Session {
			for i := range cur {
				if tc.every > 0 && i%tc.every == 0 {
					cur[i].RecordCheck(Check{Transport: TransportParam, Status: 200, Accepted: true}, at)
				}
			}
			return cur
		})
		if err != nil || len(list) != n {
			t.Fatalf("%s: %d sessions, %v", tc.name, len(list), err)
		}
		if got := rewritten(before, historyStamps(t, st)); got != tc.want {
			t.Errorf("%s: %d history files written, want %d", tc.name, got, tc.want)
		}
	}
	h := mustHistory(t, st, realisticSession(0).ID)[TransportParam]
	if len(h) != 5 || !h[4].At.Equal(at) {
		t.Errorf("param history of the first session: %d checks, want 5 ending at %v", len(h), at)
	}
}

func TestHistoryRemovedWithSession(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	if _, err := st.Add(realisticSession(1), realisticSession(2)); err != nil {
		t.Fatal(err)
	}
	gone := realisticSession(1).ID
	if _, err := st.Forget(gone); err != nil {
		t.Fatal(err)
	}
	if h := mustHistory(t, st, gone); h != nil {
		t.Errorf("history of a forgotten session: %v", h)
	}
	if got := len(historyStamps(t, st)); got != 1 {
		t.Errorf("%d history files, want the remaining session's only", got)
	}
}

// packedRE matches a check as the sessions file stores it (see packedCheck).
var packedRE = regexp.MustCompile(`":\[\d+,\d+,\d+,[01]\]`)

func TestVersion2Migrated(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	// Written by the previous build: the whole history inline, times as
	// RFC 3339 text, a tombstone.
	v2, err := os.ReadFile("testdata/sessions_v2.json")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, st.Path(), string(v2), 0o600)
	list, rep, err := st.Load()
	if err != nil || rep.MigratedFrom != 2 || len(list) != 2 || rep.Tombstones != 1 {
		t.Fatalf("Load = %d sessions, %+v, %v", len(list), rep, err)
	}
	b := list[1]
	if h := b.Checks[TransportHeader]; len(h) != 2 || !h[0].Accepted || h[1].Status != 401 {
		t.Errorf("header checks loaded %+v, want the last accepted, then the rejected", h)
	}
	if h := b.Checks[TransportCookie]; len(h) != 1 || h[0].Latency != 12*time.Millisecond {
		t.Errorf("cookie checks loaded %+v, want the latest", h)
	}
	before := mustHistory(t, st, "b")
	if len(before[TransportHeader]) != MaxChecks || len(before[TransportParam]) != MaxChecks {
		t.Fatalf("history before the first save: %d header checks, %d param", len(before[TransportHeader]),
			len(before[TransportParam]))
	}

	if _, err := st.Update(func(l []Session) []Session { return l }); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(st.Path())
	if !bytes.HasPrefix(data, []byte(`{"version":4,`)) || len(packedRE.FindAll(data, -1)) != 4 {
		t.Errorf("file after save:\n%s", data)
	}
	if diff := cmp.Diff(before, mustHistory(t, st, "b")); diff != "" {
		t.Errorf("history moved to its file (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(list, mustLoad(t, st)); diff != "" {
		t.Errorf("sessions after save (-before +after):\n%s", diff)
	}
	if h := mustHistory(t, st, "a"); h != nil {
		t.Errorf("history of a session never checked: %v", h)
	}
}
