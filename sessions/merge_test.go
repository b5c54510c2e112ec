package sessions

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"
)

// twoConsoles returns two stores on one file with clocks the test moves.
func twoConsoles(t *testing.T) (a, b *Store, now *time.Time) {
	t.Helper()
	clock := t0
	a = newStore(t, WithClock(func() time.Time { return clock }))
	b = Open(a.Path(), WithClock(func() time.Time { return clock }))
	return a, b, &clock
}

func ids(list []Session) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[s.ID] = true
	}
	return m
}

func TestAddFromTwoConsolesKeepsBoth(t *testing.T) {
	t.Parallel()
	a, b, _ := twoConsoles(t)
	if _, err := a.Add(Session{ID: "a1", SID: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Add(Session{ID: "b1", SID: "y"}); err != nil {
		t.Fatal(err)
	}
	got := ids(mustLoad(t, a))
	if len(got) != 2 || !got["a1"] || !got["b1"] {
		t.Errorf("sessions %v, want a1 and b1", got)
	}
	if _, err := a.Add(Session{ID: "b1"}); !errors.Is(err, ErrExists) {
		t.Errorf("Add of an existing ID: %v, want ErrExists", err)
	}
}

func TestForgottenStaysForgotten(t *testing.T) {
	t.Parallel()
	a, b, now := twoConsoles(t)
	if _, err := a.Add(Session{ID: "s1", SID: "secret-sid"}); err != nil {
		t.Fatal(err)
	}
	stale := mustLoad(t, b)[0] // b's copy, before a forgets it

	*now = now.Add(time.Minute)
	if _, err := a.Forget("s1"); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(time.Minute)
	stale.RecordCheck(Check{Transport: TransportCookie, Accepted: true}, *now)
	if _, err := b.Put(stale); !errors.Is(err, ErrForgotten) {
		t.Errorf("Put of a forgotten session: %v, want ErrForgotten", err)
	}
	if _, err := b.Update(func(l []Session) []Session { return append(l, stale) }); err != nil {
		t.Fatal(err)
	}
	if list, rep, _ := b.Load(); len(list) != 0 || rep.Tombstones != 1 {
		t.Errorf("after Put: %d sessions, %d tombstones; want 0 and 1", len(list), rep.Tombstones)
	}
	if data, _ := os.ReadFile(a.Path()); bytes.Contains(data, []byte("secret-sid")) {
		t.Error("the tombstone still holds the sid")
	}
	if _, err := a.Forget("s1"); err != nil {
		t.Errorf("forgetting twice: %v", err)
	}
	if _, err := a.Forget("never"); !errors.Is(err, ErrNotFound) {
		t.Errorf("forgetting an unknown ID: %v, want ErrNotFound", err)
	}
}

func TestNewerEditWins(t *testing.T) {
	t.Parallel()
	a, b, now := twoConsoles(t)
	if _, err := a.Add(Session{ID: "s1", UserName: "old"}); err != nil {
		t.Fatal(err)
	}
	stale := mustLoad(t, a)[0]

	*now = now.Add(time.Minute)
	if _, err := b.Modify("s1", func(s *Session) { s.UserName = "newer" }); err != nil {
		t.Fatal(err)
	}
	// a hands back its stale copy unchanged: b's later edit must stay.
	list, err := a.Update(func(l []Session) []Session { return []Session{stale} })
	if err != nil || len(list) != 1 || list[0].UserName != "newer" {
		t.Errorf("after stale write: %+v, %v; want b's edit kept", list, err)
	}
	*now = now.Add(time.Minute)
	if _, err := a.Put(Session{ID: "s1", UserName: "newest"}); err != nil {
		t.Fatal(err)
	}
	if got := mustLoad(t, b)[0].UserName; got != "newest" {
		t.Errorf("after Put: UserName %q, want newest", got)
	}
	if _, err := a.Modify("nope", func(*Session) {}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Modify of an unknown ID: %v, want ErrNotFound", err)
	}
}

func TestTombstonesCompacted(t *testing.T) {
	t.Parallel()
	a, _, now := twoConsoles(t)
	if _, err := a.Add(Session{ID: "s1"}, Session{ID: "s2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Forget("s1"); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(TombstoneTTL - time.Second)
	if _, err := a.Forget("s2"); err != nil {
		t.Fatal(err)
	}
	if _, rep, _ := a.Load(); rep.Tombstones != 2 {
		t.Fatalf("tombstones %d, want 2", rep.Tombstones)
	}
	*now = now.Add(2 * time.Second)
	if _, err := a.Update(func(l []Session) []Session { return l }); err != nil {
		t.Fatal(err)
	}
	if _, rep, _ := a.Load(); rep.Tombstones != 1 {
		t.Errorf("tombstones after compaction %d, want 1 (only s2 is recent)", rep.Tombstones)
	}
}

func TestPrune(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	list := []Session{
		{ID: "live", State: StateActive, ExpiresAt: t0.Add(time.Hour)},
		{ID: "out", State: StateLoggedOut},
		{ID: "rejected", State: StateRejected},
		{ID: "expired", State: StateActive, ExpiresAt: t0.Add(-time.Second)},
		{ID: "idle", State: StateActive, SavedAt: t0.Add(-IdleLimit)},
	}
	if _, err := st.Add(list...); err != nil {
		t.Fatal(err)
	}
	n, left, err := st.Prune(t0)
	if err != nil || n != 4 || len(left) != 1 || left[0].ID != "live" {
		t.Errorf("Prune = %d, %v, %v; want 4 pruned and only live left", n, ids(left), err)
	}
}

func TestChanged(t *testing.T) {
	t.Parallel()
	a, b, _ := twoConsoles(t)
	if changed, err := a.Changed(); changed || err != nil {
		t.Errorf("no file yet: Changed = %v, %v", changed, err)
	}
	if _, err := a.Add(Session{ID: "s1"}); err != nil {
		t.Fatal(err)
	}
	if changed, _ := a.Changed(); changed {
		t.Error("a store's own save reported as a change")
	}
	mustLoad(t, b)
	if _, err := a.Add(Session{ID: "s2"}); err != nil {
		t.Fatal(err)
	}
	if changed, _ := b.Changed(); !changed {
		t.Error("another store's save went unnoticed")
	}
	mustLoad(t, b)
	if changed, _ := b.Changed(); changed {
		t.Error("still changed after Load")
	}
}

func TestUpdateRejectsBadLists(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	for name, list := range map[string][]Session{
		"empty id":  {{SID: "x"}},
		"duplicate": {{ID: "a"}, {ID: "a"}},
	} {
		if _, err := st.Update(func([]Session) []Session { return list }); err == nil {
			t.Errorf("%s: Update accepted the list", name)
		}
	}
	if _, rep, err := st.Load(); err != nil || !rep.Missing {
		t.Errorf("a failed Update wrote the file: %+v, %v", rep, err)
	}
}
