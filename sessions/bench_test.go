package sessions

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

const benchN = 10_000

// benchStore returns a store whose file holds n realistic sessions, as a
// save writes them: the sessions file without Info. The info files are left
// out: a load or a save of the list does not read them.
func benchStore(b *testing.B, n int) *Store {
	b.Helper()
	path := filepath.Join(b.TempDir(), "s", "sessions.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		b.Fatal(err)
	}
	chunks, err := encodeLines(withoutInfo(realisticSessions(n)))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := writeAtomic(path, chunks); err != nil {
		b.Fatal(err)
	}
	return Open(path, WithClock(fixedClock(t0)))
}

// reportFileSize adds the size of the sessions file to the results.
func reportFileSize(b *testing.B, path string) {
	b.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(fi.Size())/1e6, "file-MB")
}

func BenchmarkLoad10k(b *testing.B) {
	st := benchStore(b, benchN)
	for b.Loop() {
		list, _, err := st.Load()
		if err != nil || len(list) != benchN {
			b.Fatalf("load: %d sessions, %v", len(list), err)
		}
	}
	reportFileSize(b, st.Path())
}

// BenchmarkSave10k measures one save of 10,000 sessions: encode, write,
// fsync and rename, without the read of the previous file.
func BenchmarkSave10k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "sessions.json")
	list := withoutInfo(realisticSessions(benchN))
	for b.Loop() {
		chunks, err := encodeLines(list)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := writeAtomic(path, chunks); err != nil {
			b.Fatal(err)
		}
	}
	reportFileSize(b, path)
}

// BenchmarkUpdate10k measures a whole Update of 10,000 sessions that
// records a details fetch on one, with its new session_info: lock, read,
// merge, write the info file, save.
func BenchmarkUpdate10k(b *testing.B) {
	st := benchStore(b, benchN)
	info := realisticInfo(0)
	n := 0
	for b.Loop() {
		n++
		_, err := st.Update(func(cur []Session) []Session {
			at := t0.Add(time.Duration(n) * time.Second)
			cur[n%len(cur)].SavedAt, cur[n%len(cur)].UpdatedAt = at, at
			cur[n%len(cur)].Info = info
			return cur
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckAll10k measures the save of a bulk check: one Update that
// records a check on each of 10,000 sessions, which merges each into the
// session's history file and rewrites that file.
func BenchmarkCheckAll10k(b *testing.B) {
	st := Open(filepath.Join(b.TempDir(), "s", "sessions.json"), WithClock(fixedClock(t0)))
	saveList(b, st, realisticSessions(benchN))
	n := 0
	for b.Loop() {
		n++
		at := t0.Add(time.Duration(n) * time.Minute)
		_, err := st.Update(func(cur []Session) []Session {
			for i := range cur {
				cur[i].RecordCheck(Check{Transport: TransportCookie, Accepted: true, Status: 200}, at)
			}
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
	for b.Loop() {
		for i := range list {
			d, _ := list[i].TimeLeft(now)
			_ = FormatLeft(d)
			dl, _ := list[i].Deadline(IdleLimit)
			buf = AppendLeft(buf[:0], dl.Sub(now))
		}
	}
}

// BenchmarkMemory10k reports what holding 10,000 loaded sessions costs: the
// heap they keep after a collection, and the peak resident memory of a
// fresh process that does nothing but load them.
func BenchmarkMemory10k(b *testing.B) {
	st := benchStore(b, benchN)
	var heap, rss float64
	for b.Loop() {
		heap = loadedHeapMB(b, st)
		rss = childPeakRSSMB(b, st.Path())
	}
	b.ReportMetric(heap, "heap-MB")
	b.ReportMetric(rss, "peak-rss-MB")
}

// loadedHeapMB returns the heap in use held by one loaded list.
func loadedHeapMB(b *testing.B, st *Store) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	list, _, err := st.Load()
	if err != nil || len(list) != benchN {
		b.Fatalf("load: %d sessions, %v", len(list), err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(list)
	return float64(after.HeapInuse-before.HeapInuse) / 1e6
}

// childPeakRSSMB runs this test binary in the "load" role on path and
// returns the peak resident memory it reports.
func childPeakRSSMB(b *testing.B, path string) float64 {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envRole+"=load", envPath+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("load child: %v", err)
	}
	kb, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		b.Fatalf("load child printed %q", out)
	}
	return kb / 1e3
}

// childLoad loads the store and prints the process's peak resident memory
// in kB, with the sessions still held.
func childLoad() error {
	list, _, err := Open(os.Getenv(envPath)).Load()
	if err != nil {
		return err
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			fmt.Println(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			runtime.KeepAlive(list)
			return nil
		}
	}
	return fmt.Errorf("no VmHWM in /proc/self/status")
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
