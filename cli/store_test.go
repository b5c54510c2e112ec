package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInfoFolderOpenToOthers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 15)
	h.login("admin", "admin")
	dir := filepath.Join(filepath.Dir(h.store), "sessions.info")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no info files in %s (%v)", dir, err)
	}
	for _, f := range files {
		if err := os.Chmod(f, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The folder stays private: nothing else can reach the files, and
	// list, which reads none of them, goes on; a check that reads one says so.
	if r := h.run("", nil, "list"); r.code != ExitOK {
		t.Fatalf("list with a private info folder: exit %d, stderr %q", r.code, r.stderr)
	}
	r := h.run("", nil, "check", "--all")
	if !strings.Contains(r.stderr, "warning: ") ||
		!strings.Contains(r.stderr, "session info file "+files[0]) ||
		!strings.Contains(r.stderr, "run chmod 600 "+files[0]) {
		t.Fatalf("check --all reading an info file others can read: stderr %q, "+
			"want a warning with the chmod", r.stderr)
	}

	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r = h.run("", nil, "list")
	want := "session info folder " + dir + " is accessible by other users (mode 0755): " +
		"run chmod -R go-rwx " + dir
	if r.code != ExitUsage || !strings.Contains(r.stderr, want) {
		t.Fatalf("list with the info folder open: exit %d, stderr %q; want 2 and %q",
			r.code, r.stderr, want)
	}
}

func TestLocalFileProblemsExitUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		want    string
	}{
		{"corrupt", "{not json", 0o600, "could not be decoded"},
		{"newer format", `{"version":99,"sessions":[]}`, 0o600, "format version 99"},
		{"readable by others", `{"version":4,"sessions":[]}`, 0o644, "run chmod 600"},
	}
	for _, tc := range tests {
		for _, args := range [][]string{{"list"}, {"check", "--all"}} {
			t.Run(tc.name+" "+args[0], func(t *testing.T) {
				t.Parallel()
				h := &harness{t: t, store: filepath.Join(t.TempDir(), "state", "sessions.json")}
				if err := os.Mkdir(filepath.Dir(h.store), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(h.store, []byte(tc.content), tc.mode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(h.store, tc.mode); err != nil {
					t.Fatal(err)
				}
				r := h.run("", nil, args...)
				if r.code != ExitUsage || !strings.Contains(r.stderr, tc.want) {
					t.Errorf("%v on a sessions file %s: exit %d, stderr %q; want 2 and %q",
						args, tc.name, r.code, r.stderr, tc.want)
				}
			})
		}
	}
}
