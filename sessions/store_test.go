package sessions

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// newStore returns a store in a fresh folder under the test's temp dir.
func newStore(t *testing.T, opts ...Option) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state", "odoo-sessions", "sessions.json")
	return Open(path, append([]Option{WithClock(fixedClock(t0))}, opts...)...)
}

func writeFile(t *testing.T, path, content string, mode fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func mustLoad(t *testing.T, st *Store) []Session {
	t.Helper()
	list, _, err := st.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return list
}

func TestDefaultPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	got, err := DefaultPath()
	if want := filepath.Join(dir, "odoo-sessions", "sessions.json"); err != nil || got != want {
		t.Errorf("with XDG_STATE_HOME: %q, %v; want %q", got, err, want)
	}
	t.Setenv("XDG_STATE_HOME", "relative/ignored")
	t.Setenv("HOME", dir)
	got, err = DefaultPath()
	if want := filepath.Join(dir, ".local", "state", "odoo-sessions", "sessions.json"); err != nil || got != want {
		t.Errorf("without XDG_STATE_HOME: %q, %v; want %q", got, err, want)
	}
}

func TestSaveCreatesPrivateFiles(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	path, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	st := Open(path, WithClock(fixedClock(t0)))
	want := realisticSessions(3)
	saveList(t, st, want)

	modes := map[string]fs.FileMode{
		path:               0o600,
		filepath.Dir(path): 0o700 | fs.ModeDir,
		infoDirOf(path):    0o700 | fs.ModeDir,
		filepath.Join(infoDirOf(path), historyName(want[0].ID)): 0o600,
	}
	for p, mode := range modes {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode() != mode {
			t.Errorf("%s: mode %v (%v), want %v", p, fi.Mode(), err, mode)
		}
	}
	if diff := cmp.Diff(asLoaded(want), mustLoad(t, st)); diff != "" {
		t.Errorf("loaded sessions differ from saved (-want +got):\n%s", diff)
	}
	for _, s := range want {
		if info, err := st.Info(s.ID); err != nil || string(info) != compact(t, s.Info) {
			t.Errorf("Info(%s) = %.40s, %v; want the saved info", s.ID, info, err)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	list, rep, err := st.Load()
	if err != nil || len(list) != 0 || !rep.Missing {
		t.Errorf("Load = %d sessions, %+v, %v; want none, missing, no error", len(list), rep, err)
	}
	if _, err := os.Stat(filepath.Dir(st.Path())); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load created the folder (stat: %v)", err)
	}
}

func TestPermissionsRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		fileMode fs.FileMode
		dirMode  fs.FileMode
		wantFix  string // with %s for the path
	}{
		{"file readable by others", 0o644, 0o700, "chmod 600 %s"},
		{"file writable by group", 0o620, 0o700, "chmod 600 %s"},
		{"folder open to others", 0o600, 0o755, "chmod 700 %s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := newStore(t)
			writeFile(t, st.Path(), `{"version":1,"sessions":[]}`, tc.fileMode)
			dir := filepath.Dir(st.Path())
			if err := os.Chmod(dir, tc.dirMode); err != nil {
				t.Fatal(err)
			}
			target := st.Path()
			if tc.dirMode != 0o700 {
				target = dir
			}
			fix := strings.Replace(tc.wantFix, "%s", target, 1)

			_, _, loadErr := st.Load()
			_, updErr := st.Update(func(l []Session) []Session { return l })
			for op, err := range map[string]error{"Load": loadErr, "Update": updErr} {
				var pe *PermissionError
				if !errors.As(err, &pe) || !strings.Contains(err.Error(), fix) ||
					!errors.Is(err, fs.ErrPermission) {
					t.Errorf("%s: error %v, want a PermissionError containing %q", op, err, fix)
				}
			}
		})
	}
}

func TestSharedFolderRefusedWithoutChmod(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777|fs.ModeSticky); err != nil { // as /tmp is
		t.Fatal(err)
	}
	st := Open(filepath.Join(dir, "x.json"), WithClock(fixedClock(t0)))
	want := "sessions folder " + dir + " is shared with other users (mode 1777): " + sharedAdvice

	_, _, loadErr := st.Load()
	_, updErr := st.Update(func(l []Session) []Session { return l })
	for op, err := range map[string]error{"Load": loadErr, "Update": updErr} {
		var pe *PermissionError
		if !errors.As(err, &pe) || err.Error() != want || pe.Fix != "" || !errors.Is(err, fs.ErrPermission) {
			t.Errorf("%s in a sticky folder: %v, want a PermissionError %q without a chmod", op, err, want)
		}
	}
	if _, err := os.Stat(st.Path()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Update wrote the sessions file into the shared folder (stat: %v)", err)
	}
}

func TestOpenErrorAdvice(t *testing.T) {
	t.Parallel()
	// A folder another user owns cannot be made here: openError is given
	// the owner name the store would find.
	tests := []struct {
		name    string
		mode    fs.FileMode
		owner   string
		want    string
		wantFix string
	}{
		{"own folder", fs.ModeDir | 0o755, "",
			"accessible by other users (mode 0755): run chmod 700 /s", "chmod 700 /s"},
		{"another user's folder", fs.ModeDir | 0o755, "alice",
			"shared with other users (mode 0755, owner alice): " + sharedAdvice, ""},
		{"sticky folder of another user", fs.ModeDir | fs.ModeSticky | 0o777, "root",
			"shared with other users (mode 1777, owner root): " + sharedAdvice, ""},
		{"own sticky folder", fs.ModeDir | fs.ModeSticky | 0o770, "",
			"shared with other users (mode 1770): " + sharedAdvice, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pe := openError("/s", tc.mode, tc.owner, "chmod 700 /s")
			pe.Dir = true
			want := "sessions folder /s is " + tc.want
			if got := pe.Error(); got != want || pe.Fix != tc.wantFix {
				t.Errorf("openError = %q, fix %q; want %q, fix %q", got, pe.Fix, want, tc.wantFix)
			}
		})
	}
}

func TestPermissionHintRunsInAShell(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "o'neil's state", "sessions.json")
	st := Open(path, WithClock(fixedClock(t0)))
	writeFile(t, path, `{"version":1,"sessions":[]}`, 0o644)
	_, _, err := st.Load()
	var pe *PermissionError
	if !errors.As(err, &pe) {
		t.Fatalf("Load: %v, want a PermissionError", err)
	}
	if out, err := exec.Command("sh", "-c", pe.Fix).CombinedOutput(); err != nil {
		t.Fatalf("running the hint %q: %v: %s", pe.Fix, err, out)
	}
	if _, _, err := st.Load(); err != nil {
		t.Errorf("after running %q: %v", pe.Fix, err)
	}
}

func TestUnreadableFile(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	if err := os.MkdirAll(st.Path(), 0o700); err != nil { // a folder where the file should be
		t.Fatal(err)
	}
	_, _, err := st.Load()
	if err == nil || !strings.Contains(err.Error(), st.Path()) {
		t.Errorf("Load = %v, want an error naming %s", err, st.Path())
	}
}

func TestCorruptFileMovedAside(t *testing.T) {
	t.Parallel()
	for _, op := range []string{"Load", "Update"} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			st := newStore(t)
			const garbage = `{"version":1,"sessions":[{"id":"a","sid":"s3cr3t"` // cut short
			writeFile(t, st.Path(), garbage, 0o600)

			var err error
			called := false
			if op == "Load" {
				_, _, err = st.Load()
			} else {
				_, err = st.Update(func(l []Session) []Session { called = true; return l })
			}
			want := st.Path() + ".corrupt-20260301T120000Z"
			var ce *CorruptError
			if !errors.As(err, &ce) || ce.MovedTo != want || !strings.Contains(err.Error(), want) {
				t.Fatalf("error %v, want a CorruptError naming %s", err, want)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Error("error shows the sid")
			}
			if called {
				t.Error("Update applied its function to a corrupt file")
			}
			if data, err := os.ReadFile(want); err != nil || string(data) != garbage {
				t.Errorf("moved file holds %q (%v), want the original bytes", data, err)
			}
			if list, rep, err := st.Load(); err != nil || len(list) != 0 || !rep.Missing {
				t.Errorf("Load after move: %d sessions, %+v, %v", len(list), rep, err)
			}
		})
	}
}

func TestCorruptFileNeverOverwritesEarlierOne(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	for range 2 {
		writeFile(t, st.Path(), "not json", 0o600)
		if _, _, err := st.Load(); err == nil {
			t.Fatal("Load accepted garbage")
		}
	}
	matches, _ := filepath.Glob(st.Path() + ".corrupt-*")
	if len(matches) != 2 {
		t.Errorf("found %v, want two moved-aside files", matches)
	}
}

func TestNewerVersionRefused(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	future := fmt.Sprintf(`{"version":%d,"sessions":[{"id":"a","shape":"unknown"}]}`, Version+1)
	writeFile(t, st.Path(), future, 0o600)

	_, _, loadErr := st.Load()
	_, updErr := st.Update(func(l []Session) []Session { return l })
	for op, err := range map[string]error{"Load": loadErr, "Update": updErr} {
		var ve *VersionError
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), fmt.Sprintf("version %d", Version+1)) ||
			!strings.Contains(err.Error(), fmt.Sprintf("version %d", Version)) {
			t.Errorf("%s: %v, want a VersionError naming versions %d and %d", op, err, Version+1, Version)
		}
	}
	if data, _ := os.ReadFile(st.Path()); string(data) != future {
		t.Errorf("the newer file was changed: %q", data)
	}
}

func TestOldVersionMigrated(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, content string }{
		{"bare array", `[{"sid":"x1","url":"https://a","obtained_at":"2026-01-02T03:04:05Z"}]`},
		{"object without version", `{"sessions": [
			{"sid": "x1", "url": "https://a", "obtained_at": "2026-01-02T03:04:05Z"}
		]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := newStore(t)
			writeFile(t, st.Path(), tc.content, 0o600)
			list, rep, err := st.Load()
			if err != nil || rep.MigratedFrom != 0 || len(list) != 1 {
				t.Fatalf("Load = %d sessions, %+v, %v", len(list), rep, err)
			}
			s := list[0]
			obtained := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			if s.ID == "" || s.State != StateActive || !s.UpdatedAt.Equal(obtained) || s.SID != "x1" {
				t.Errorf("migrated session = %+v", s)
			}
			if _, err := st.Update(func(l []Session) []Session { return l }); err != nil {
				t.Fatal(err)
			}
			if data, _ := os.ReadFile(st.Path()); !strings.HasPrefix(string(data), `{"version":4,`) {
				t.Errorf("saved file does not start with the current version: %.40q", data)
			}
		})
	}
}

func TestPrettyPrintedFileLoads(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	writeFile(t, st.Path(), `{
  "version": 1,
  "sessions": [
    {"id": "a", "sid": "s", "url": "https://a", "state": "active",
     "info": {"uid": 2,
              "name": "Mitchell Admin"},
     "updated_at": "2026-01-02T03:04:05Z"}
  ]
}`, 0o600)
	list := mustLoad(t, st)
	if len(list) != 1 || list[0].ID != "a" || list[0].SID != "s" || list[0].Info != nil {
		t.Fatalf("Load = %+v", list)
	}
	if info, err := st.Info("a"); err != nil || string(info) != `{"uid": 2,
              "name": "Mitchell Admin"}` {
		t.Fatalf("Info before save = %s, %v", info, err)
	}
	if _, err := st.Update(func(l []Session) []Session { return l }); err != nil {
		t.Fatalf("saving spaced info: %v", err)
	}
	if info, err := st.Info("a"); err != nil || string(info) != `{"uid":2,"name":"Mitchell Admin"}` {
		t.Errorf("info after save = %s, %v; want it compacted", info, err)
	}
}
