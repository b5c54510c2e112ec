package sessions

import (
	"path/filepath"
	"testing"
)

const benchN = 10_000

func BenchmarkLoad10k(b *testing.B) {
	st := Open(filepath.Join(b.TempDir(), "s", "sessions.json"), WithClock(fixedClock(t0)))
	saveList(b, st, realisticSessions(benchN))
	b.ResetTimer()
	for b.Loop() {
		list, _, err := st.Load()
		if err != nil || len(list) != benchN {
			b.Fatalf("load: %d sessions, %v", len(list), err)
		}
	}
}

// BenchmarkSave10k measures one save of 10,000 sessions: encode, write,
// fsync and rename, without the read of the previous file.
func BenchmarkSave10k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "sessions.json")
	list := realisticSessions(benchN)
	b.ResetTimer()
	for b.Loop() {
		chunks, err := encodeLines(list)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := writeAtomic(path, chunks); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdate10k measures a whole Update of 10,000 sessions that edits
// one: lock, read, merge, save.
func BenchmarkUpdate10k(b *testing.B) {
	st := Open(filepath.Join(b.TempDir(), "s", "sessions.json"), WithClock(fixedClock(t0)))
	saveList(b, st, realisticSessions(benchN))
	b.ResetTimer()
	for b.Loop() {
		_, err := st.Update(func(cur []Session) []Session {
			cur[0].UpdatedAt = cur[0].UpdatedAt.Add(1)
			return cur
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTick10k measures one countdown tick: the deadline and its text
// for 10,000 sessions.
func BenchmarkTick10k(b *testing.B) {
	list := realisticSessions(benchN)
	now := t0.Add(48 * 3600e9)
	buf := make([]byte, 0, 32)
	b.ResetTimer()
	for b.Loop() {
		for i := range list {
			d, _ := list[i].TimeLeft(now)
			_ = FormatLeft(d)
			dl, _ := list[i].Deadline(IdleLimit)
			buf = AppendLeft(buf[:0], dl.Sub(now))
		}
	}
}

func BenchmarkChanged(b *testing.B) {
	st := Open(filepath.Join(b.TempDir(), "s", "sessions.json"), WithClock(fixedClock(t0)))
	saveList(b, st, realisticSessions(10))
	for b.Loop() {
		if changed, err := st.Changed(); changed || err != nil {
			b.Fatalf("changed %v, %v", changed, err)
		}
	}
}
