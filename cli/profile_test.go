package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// withProfiles gives h a configuration file holding profiles.
func withProfiles(t *testing.T, h *harness, profiles string) {
	t.Helper()
	h.config = filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(h.config, []byte(`{"profiles":`+profiles+`}`), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoginProfile(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 15)
	withProfiles(t, h, `[{"name":"qa","url":"`+h.url+`","db":"demo","login":"admin"},`+
		`{"name":"dead","url":"`+deadURL(t)+`","login":"demo"}]`)
	tests := []struct {
		name      string
		args      []string
		wantLogin string
	}{
		{"profile alone", []string{"--profile", "qa"}, "admin"},
		{"an explicit flag wins", []string{"--profile", "qa", "--login", "demo"}, "demo"},
		{"an explicit URL wins", []string{"--profile", "dead", "--url", h.url}, "demo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"login", "--password-stdin", "--json"}, tc.args...)
			r := h.run(tc.wantLogin+"\n", nil, args...)
			if r.code != ExitOK {
				t.Fatalf("%v: exit %d, stderr %q", args, r.code, r.stderr)
			}
			var got loginJSON
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatal(err)
			}
			if got.URL != h.url || got.DB != "demo" || got.Login != tc.wantLogin {
				t.Fatalf("%v logged in as %s on %s, database %s; want %s on %s, database demo",
					args, got.Login, got.URL, got.DB, tc.wantLogin, h.url)
			}
		})
	}
}

func TestProfileOnTrackAndInfo(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 15)
	withProfiles(t, h, `[{"name":"qa","url":"`+h.url+`"}]`)
	r := h.run("", nil, "info", "--profile", "qa", "--json")
	if r.code != ExitOK || !strings.Contains(r.stdout, `"url": "`+h.url+`"`) {
		t.Fatalf("info --profile qa: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	sid := strings.Repeat("5", 40)
	if r := h.run("", nil, "track", "--profile", "qa", "--sid", sid, "--no-check"); r.code != ExitOK {
		t.Fatalf("track --profile qa: exit %d, stderr %q", r.code, r.stderr)
	}
	var list []listJSON
	if err := json.Unmarshal([]byte(h.run("", nil, "list", "--json").stdout), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].URL != h.url || list[0].SID != sessions.MaskSID(sid) {
		t.Fatalf("tracked through the profile: %+v, want %s on %s", list, sessions.MaskSID(sid), h.url)
	}
}

func TestUnknownProfile(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 15)
	empty := h.run("", nil, "info", "--profile", "prod")
	missingPath := filepath.Join(t.TempDir(), "missing.json")
	h.config = missingPath
	missing := h.run("", nil, "info", "--profile", "prod")
	withProfiles(t, h, `[{"name":"qa","url":"http://qa:8069"},{"name":"staging","url":"http://st:8069"}]`)
	tests := []struct {
		name string
		r    result
		want string
	}{
		{"empty configuration", empty, `info: --profile "prod": `},
		{"missing configuration", missing, `--config ` + missingPath + `: no such file`},
		{"login", h.run("pw\n", nil, "login", "--profile", "prod", "--password-stdin"),
			`login: --profile "prod": no such profile in ` + h.config + `: expected one of "qa", "staging"`},
		{"track", h.run("", nil, "track", "--profile", "prod", "--sid", "abc"),
			`track: --profile "prod": no such profile in ` + h.config},
	}
	for _, tc := range tests {
		if tc.r.code != ExitUsage || !strings.Contains(tc.r.stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", tc.name, tc.r.code, tc.r.stderr, tc.want)
		}
	}
	withProfiles(t, h, `[]`)
	r := h.run("", nil, "info", "--profile", "prod")
	if want := h.config + " has no profiles"; r.code != ExitUsage || !strings.Contains(r.stderr, want) {
		t.Errorf("--profile with an empty list: exit %d, stderr %q; want 2 and %q", r.code, r.stderr, want)
	}
}
