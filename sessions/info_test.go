package sessions

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// infoPath returns where st keeps the info of the session with the given ID.
func infoPath(st *Store, id string) string {
	return filepath.Join(infoDirOf(st.Path()), infoName(id))
}

// compact returns raw without spaces, as the store keeps info.
func compact(t *testing.T, raw []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func mustInfo(t *testing.T, st *Store, id string) string {
	t.Helper()
	info, err := st.Info(id)
	if err != nil {
		t.Fatalf("Info(%s): %v", id, err)
	}
	return string(info)
}

func TestInfoKeptInItsOwnFile(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	s := realisticSession(1)
	list, err := st.Add(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Info != nil || s.Info == nil {
		t.Errorf("Add returned Info %q and left the caller's %d bytes", list[0].Info, len(s.Info))
	}
	if got := mustLoad(t, st); len(got) != 1 || got[0].Info != nil {
		t.Errorf("Load returned Info %q, want it empty", got[0].Info)
	}
	if got, want := mustInfo(t, st, s.ID), compact(t, s.Info); got != want {
		t.Errorf("Info = %s, want %s", got, want)
	}
	if data, _ := os.ReadFile(st.Path()); bytes.Contains(data, []byte("server_version_info")) {
		t.Error("the sessions file holds the info")
	}
	dir := infoDirOf(st.Path())
	for p, mode := range map[string]fs.FileMode{infoPath(st, s.ID): 0o600, dir: 0o700 | fs.ModeDir} {
		if fi, err := os.Stat(p); err != nil || fi.Mode() != mode {
			t.Errorf("%s: mode %v (%v), want %v", p, fi.Mode(), err, mode)
		}
	}
}

func TestInfoKeptUntilReplaced(t *testing.T) {
	t.Parallel()
	a, b, now := twoConsoles(t)
	if _, err := a.Add(Session{ID: "s1", Info: json.RawMessage(`{"v": 1}`)}); err != nil {
		t.Fatal(err)
	}
	stale := mustLoad(t, b)[0]
	*now = now.Add(time.Minute)
	if _, err := a.Modify("s1", func(s *Session) { s.UserName = "edited" }); err != nil {
		t.Fatal(err)
	}
	if got := mustInfo(t, b, "s1"); got != `{"v":1}` {
		t.Errorf("after an edit without info: %s, want the first info", got)
	}
	*now = now.Add(time.Minute)
	if _, err := a.Put(Session{ID: "s1", Info: json.RawMessage(`{"v":2}`)}); err != nil {
		t.Fatal(err)
	}
	// b hands back an older copy with other info: a's later save stays.
	stale.Info = json.RawMessage(`{"v":0}`)
	if _, err := b.Update(func([]Session) []Session { return []Session{stale} }); err != nil {
		t.Fatal(err)
	}
	if got := mustInfo(t, b, "s1"); got != `{"v":2}` {
		t.Errorf("after a stale copy: %s, want the newer info", got)
	}
}

func TestInfoRemovedWithSession(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	info := json.RawMessage(`{"session":{"sid":"secret"}}`)
	list := []Session{
		{ID: "kept", State: StateActive, Info: info},
		{ID: "forgotten", State: StateActive, Info: info},
		{ID: "pruned", State: StateLoggedOut, Info: info},
	}
	if _, err := st.Add(list...); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Forget("forgotten"); err != nil {
		t.Fatal(err)
	}
	if n, _, err := st.Prune(t0); err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v", n, err)
	}
	for id, want := range map[string]bool{"kept": true, "forgotten": false, "pruned": false} {
		_, err := os.Stat(infoPath(st, id))
		if got := err == nil; got != want {
			t.Errorf("info file of %s present: %v, want %v", id, got, want)
		}
		if got := mustInfo(t, st, id) != ""; got != want {
			t.Errorf("Info(%s) present: %v, want %v", id, got, want)
		}
	}
}

func TestInfoNamesStayInFolder(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	odd := []string{"../escape", "a/b", "~61", ".hidden", strings.Repeat("x", 65), "0123abcd"}
	names := map[string]bool{}
	for i, id := range odd {
		name := infoName(id)
		if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") || names[name] {
			t.Errorf("infoName(%q) = %q: not a plain, distinct name", id, name)
		}
		names[name] = true
		info := json.RawMessage(`{"n":` + string(rune('0'+i)) + `}`)
		if _, err := st.Add(Session{ID: id, Info: info}); err != nil {
			t.Fatal(err)
		}
	}
	for i, id := range odd {
		if got, want := mustInfo(t, st, id), `{"n":`+string(rune('0'+i))+`}`; got != want {
			t.Errorf("Info(%q) = %s, want %s", id, got, want)
		}
	}
	entries, _ := os.ReadDir(infoDirOf(st.Path()))
	if len(entries) != len(odd) {
		t.Errorf("%d files in the info folder, want %d", len(entries), len(odd))
	}
}

func TestVersion1InfoMigrated(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	// Written by the previous build: info inline, one session a line.
	v1, err := os.ReadFile("testdata/sessions_v1.json")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, st.Path(), string(v1), 0o600)
	list, rep, err := st.Load()
	if err != nil || rep.MigratedFrom != 1 || len(list) != 2 || list[0].Info != nil {
		t.Fatalf("Load = %+v, %+v, %v", list, rep, err)
	}
	if c, ok := list[1].LastCheck(TransportCookie); !ok || c.Latency != 42*time.Millisecond {
		t.Errorf("check read from version 1: %+v, %v", c, ok)
	}
	if got := mustInfo(t, st, "b"); got != `{"uid":6,"db":"qa"}` {
		t.Errorf("Info before the first save = %s", got)
	}
	// A copy as loaded, without info, must not lose the inline info.
	if _, err := st.Put(list[0]); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(st.Path())
	if !bytes.HasPrefix(data, []byte(`{"version":4,`)) || bytes.Contains(data, []byte(`"info"`)) {
		t.Errorf("file after save:\n%s", data)
	}
	for id, want := range map[string]string{"a": `{"uid":2,"db":"qa"}`, "b": `{"uid":6,"db":"qa"}`} {
		if got, _ := os.ReadFile(infoPath(st, id)); string(got) != want {
			t.Errorf("info file of %s = %s, want %s", id, got, want)
		}
	}
}

func TestOrphanInfoSwept(t *testing.T) {
	t.Parallel()
	old := newStore(t)
	if _, err := old.Add(Session{ID: "live", Info: json.RawMessage(`{}`)}); err != nil {
		t.Fatal(err)
	}
	dir := infoDirOf(old.Path())
	writeFile(t, filepath.Join(dir, "gone.json"), `{}`, 0o600)
	writeFile(t, filepath.Join(dir, ".gone.json.tmp-123"), `{`, 0o600)

	st := Open(old.Path(), WithClock(fixedClock(t0)))
	if _, err := st.Update(func(l []Session) []Session { return l }); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != infoName("live") {
		t.Errorf("info folder after the first save: %v, want only the live session's file", entries)
	}
}

func TestInfoPermissionsRefused(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	if _, err := st.Add(Session{ID: "a", Info: json.RawMessage(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(infoPath(st, "a"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := st.Info("a")
	var pe *PermissionError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("Info of a readable file: %v, want a PermissionError", err)
	}
}

func TestInfoFolderPermissionsRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		dirMode  fs.FileMode
		fileMode fs.FileMode
		// open is how many of the two info files get fileMode.
		open int
		// wantLoad is the refusal Load gives, "" for none; wantInfo the one
		// Info gives. %d is the info folder, %f the first info file.
		wantLoad, wantInfo string
	}{
		{"folder open", 0o755, 0o600, 0,
			"session info folder %d is accessible by other users (mode 0755): run chmod 700 %d",
			"run chmod 700 %d"},
		{"folder and files open", 0o755, 0o644, 2,
			"session info folder %d is accessible by other users (mode 0755): run chmod -R go-rwx %d",
			"run chmod -R go-rwx %d"},
		{"one file open", 0o700, 0o644, 1, "",
			"session info file %f is accessible by other users (mode 0644): run chmod 600 %f"},
		{"files open", 0o700, 0o640, 2, "",
			"session info file %f is accessible by other users (mode 0640): run chmod -R go-rwx %d"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := newStore(t)
			if _, err := st.Add(Session{ID: "a", Info: json.RawMessage(`{"session":"x"}`)}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Add(Session{ID: "b", Info: json.RawMessage(`{}`)}); err != nil {
				t.Fatal(err)
			}
			dir := infoDirOf(st.Path())
			for _, id := range []string{"a", "b"}[:tc.open] {
				if err := os.Chmod(infoPath(st, id), tc.fileMode); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Chmod(dir, tc.dirMode); err != nil {
				t.Fatal(err)
			}
			expand := strings.NewReplacer("%d", dir, "%f", infoPath(st, "a")).Replace

			_, _, loadErr := st.Load()
			_, infoErr := st.Info("a")
			for op, c := range map[string]struct {
				err  error
				want string
			}{"Load": {loadErr, tc.wantLoad}, "Info": {infoErr, tc.wantInfo}} {
				var pe *PermissionError
				switch {
				case c.want == "" && c.err != nil:
					t.Errorf("%s: %v, want no error", op, c.err)
				case c.want != "" && (!errors.As(c.err, &pe) || !strings.Contains(c.err.Error(), expand(c.want))):
					t.Errorf("%s: %v, want a PermissionError containing %q", op, c.err, expand(c.want))
				}
			}

			// The advice, run as given, fixes everything.
			var pe *PermissionError
			if !errors.As(infoErr, &pe) {
				t.Fatalf("Info: %v, want a PermissionError", infoErr)
			}
			if out, err := exec.Command("sh", "-c", pe.Fix).CombinedOutput(); err != nil {
				t.Fatalf("running the hint %q: %v: %s", pe.Fix, err, out)
			}
			if _, _, err := st.Load(); err != nil {
				t.Errorf("Load after running %q: %v", pe.Fix, err)
			}
			for _, id := range []string{"a", "b"} {
				if _, err := st.Info(id); err != nil {
					t.Errorf("Info(%s) after running %q: %v", id, pe.Fix, err)
				}
			}
		})
	}
}

func TestHistoryFilePermissionsRefused(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	s := Session{ID: "a", UpdatedAt: t0}
	s.RecordCheck(Check{Transport: TransportCookie, Accepted: true, At: t0}, t0)
	if _, err := st.Add(s); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(infoDirOf(st.Path()), historyName("a"))
	if err := os.Chmod(path, 0o604); err != nil {
		t.Fatal(err)
	}
	_, err := st.History("a")
	var pe *PermissionError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "session info file "+path) ||
		!strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("History with a file others can read: %v, want a PermissionError naming it", err)
	}
}
