package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/odoo-sessions/odoo-sessions/demoserver"
	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// harness runs commands in-process against a demo server, with a store in
// a temporary folder.
type harness struct {
	t     *testing.T
	url   string
	store string
	// config is the configuration file; none when empty.
	config string
}

// emptyConfig is a configuration file that sets nothing, so that a test
// does not read the user's own.
func emptyConfig(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte("{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func newHarness(t *testing.T, major int) *harness {
	t.Helper()
	return newHarnessOn(t, demoserver.Demo(major, time.Now))
}

// newHarnessOn is newHarness on a demo server with the given options.
func newHarnessOn(t *testing.T, opts demoserver.Options) *harness {
	t.Helper()
	srv, err := demoserver.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_ = stop(ctx)
	})
	dir := t.TempDir()
	return &harness{t: t, url: url, store: filepath.Join(dir, "state", "sessions.json")}
}

type result struct {
	code           int
	stdout, stderr string
}

func (h *harness) run(stdin string, env map[string]string, args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	e := Env{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
		Now:    time.Now,
		Logger: slog.New(slog.DiscardHandler),
	}
	cfg := h.config
	if cfg == "" {
		cfg = emptyConfig(h.t)
	}
	full := append([]string{"--store", h.store, "--config", cfg}, args...)
	code := Run(context.Background(), full, e)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func (h *harness) login(user, password string) loginJSON {
	h.t.Helper()
	r := h.run(password+"\n", nil, "login", "--url", h.url, "--db", demoserver.DemoDatabase,
		"--login", user, "--password-stdin", "--json", "--show-sid")
	if r.code != ExitOK {
		h.t.Fatalf("login exit %d, stderr %q", r.code, r.stderr)
	}
	var got loginJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		h.t.Fatalf("login --json is not one JSON document: %v\n%s", err, r.stdout)
	}
	return got
}

func TestLoginCheckLogout(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 15)

	got := h.login("demo", "demo")
	if got.SID == "" || got.UID == 0 || got.DB != demoserver.DemoDatabase || got.ExpiresAt == nil {
		t.Fatalf("login --json = %+v, want sid, uid, db and expires_at", got)
	}
	exp, err := time.Parse(time.RFC3339, *got.ExpiresAt)
	if err != nil || exp.Location() != time.UTC {
		t.Fatalf("expires_at %q is not RFC 3339 UTC: %v", *got.ExpiresAt, err)
	}
	if d := time.Until(exp); d < 89*24*time.Hour || d > 91*24*time.Hour {
		t.Fatalf("expires_at %s is not about 90 days ahead", exp)
	}

	r := h.run("", nil, "check", "--url", h.url, "--sid", got.SID, "--json")
	if r.code != ExitOK {
		t.Fatalf("check exit %d, want 0; stdout %s stderr %s", r.code, r.stdout, r.stderr)
	}
	var chk checkOutput
	if err := json.Unmarshal([]byte(r.stdout), &chk); err != nil || len(chk.Results) != 3 {
		t.Fatalf("check --json = %s (%v), want three results", r.stdout, err)
	}
	if strings.Contains(r.stdout, got.SID) {
		t.Fatal("check output shows the whole sid")
	}

	r = h.run("", nil, "logout", "--url", h.url, "--sid", got.SID, "--transport", "cookie")
	if r.code != ExitOK {
		t.Fatalf("logout exit %d, stderr %q", r.code, r.stderr)
	}
	r = h.run("", nil, "check", "--url", h.url, "--sid", got.SID, "--transport", "header")
	if r.code != ExitRefused || !strings.Contains(r.stdout, "not accepted") {
		t.Fatalf("check after logout: exit %d, stdout %q; want 1 and 'not accepted'", r.code, r.stdout)
	}
	r = h.run("", nil, "logout", "--url", h.url, "--sid", got.SID)
	if r.code != ExitRefused {
		t.Fatalf("second logout exit %d, want 1; stderr %q", r.code, r.stderr)
	}

	r = h.run("", nil, "list", "--json")
	var list []listJSON
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != 1 {
		t.Fatalf("list --json = %s (%v), want one session", r.stdout, err)
	}
	if list[0].State != "logged-out" || list[0].SID == got.SID {
		t.Fatalf("listed session = %+v, want logged-out with a masked sid", list[0])
	}
}

func TestLoginMasksSID(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 15)
	for _, asJSON := range []bool{true, false} {
		args := []string{"login", "--url", h.url, "--login", "demo", "--password-stdin"}
		if asJSON {
			args = append(args, "--json")
		}
		r := h.run("demo\n", nil, args...)
		if r.code != ExitOK {
			t.Fatalf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		list := h.run("", nil, "list", "--json", "--show-sid")
		var all []listJSON
		if err := json.Unmarshal([]byte(list.stdout), &all); err != nil || len(all) == 0 {
			t.Fatalf("list --json --show-sid = %s (%v)", list.stdout, err)
		}
		sid := all[len(all)-1].SID
		if len(sid) < 40 || strings.Contains(r.stdout, sid) || !strings.Contains(r.stdout, sessions.MaskSID(sid)) {
			t.Errorf("%v printed %q; want the sid %s masked as %s", args, r.stdout, sid, sessions.MaskSID(sid))
		}
	}
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 15)
	dead := deadURL(t)
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"wrong password", "wrong-pw-7\n", []string{"login", "--url", h.url, "--db", "demo", "--login", "demo",
			"--password-stdin"}, ExitRefused, "wrong login or password"},
		{"dead server", "s3cret-pw\n", []string{"login", "--url", dead, "--login", "demo", "--password-stdin"},
			ExitUnreachable, ""},
		{"bad url", "", []string{"check", "--url", "localhost:8069", "--sid", "abc"}, ExitUsage, "http://"},
		{"missing sid", "", []string{"check", "--url", h.url}, ExitUsage, "--sid is required"},
		{"bad transport", "", []string{"logout", "--url", h.url, "--sid", "x", "--transport", "all"},
			ExitUsage, "expected auto, header, cookie or param"},
		{"unknown command", "", []string{"frobnicate"}, ExitUsage, "unknown command"},
		{"check dead server", "", []string{"check", "--url", dead, "--sid", "abcdef"}, ExitUnreachable, ""},
		{"garbage sid", "", []string{"check", "--url", h.url, "--sid", "garbage"}, ExitRefused, ""},
		{"sid far too long", "", []string{"track", "--url", h.url, "--sid", strings.Repeat("a", 200000)},
			ExitUsage, "track: --sid: the sid is 200000 characters long: expected at most 512"},
		{"sid too long on stdin", "session_id=" + strings.Repeat("b", 513) + "; tz=UTC\n",
			[]string{"check", "--url", h.url, "--sid-stdin"},
			ExitUsage, "check: --sid-stdin: the sid is 513 characters long: expected at most 512"},
		{"stdin too long", strings.Repeat("c", 70000), []string{"track", "--url", h.url, "--sid-stdin"},
			ExitUsage, "standard input holds more than 65536 bytes"},
		{"sid with a space", "", []string{"track", "--url", h.url, "--sid", "ab cd"},
			ExitUsage, "expected printable ASCII without spaces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.run(tt.stdin, nil, tt.args...)
			if r.code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr %q", r.code, tt.wantCode, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.wantErr) {
				t.Fatalf("stderr %q, want it to contain %q", r.stderr, tt.wantErr)
			}
			if n := strings.Count(r.stderr, "\n"); n > 1 {
				t.Fatalf("stderr has %d lines, want one: %q", n, r.stderr)
			}
			if strings.Contains(r.stderr+r.stdout, strings.TrimSpace(tt.stdin)) && tt.stdin != "" {
				t.Fatalf("output shows the password: %q", r.stderr+r.stdout)
			}
		})
	}
	// None of the refused sids was tracked.
	if r := h.run("", nil, "list", "--json"); r.stdout != "[]\n" {
		t.Fatalf("list after refused commands = %q, want no sessions", r.stdout)
	}
}

// deadURL is the URL of a loopback server that closes every connection
// without an answer. It holds its port for the test: a port merely closed
// could be taken by another test's server meanwhile.
func deadURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()
	return "http://" + ln.Addr().String()
}

func TestHelpListsDemoUsers(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	code := Run(context.Background(), []string{"serve-demo", "--help"},
		Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: io.Discard,
			Getenv: func(string) string { return "" }, Now: time.Now,
			Logger: slog.New(slog.DiscardHandler)})
	if code != ExitOK {
		t.Fatalf("serve-demo --help exit %d", code)
	}
	if n := strings.Count(out.String(), "usage:"); n != 1 {
		t.Fatalf("serve-demo --help prints its usage %d times, want once", n)
	}
	for _, u := range demoserver.DemoUsers(18) {
		if !strings.Contains(out.String(), u.Login) {
			t.Fatalf("serve-demo --help does not list %q:\n%s", u.Login, out.String())
		}
	}
}

func TestCheckAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 15)
	a := h.login("demo", "demo")
	h.login("admin", "admin")
	r := h.run("", nil, "check", "--all", "--concurrency", "2", "--json")
	if r.code != ExitOK {
		t.Fatalf("check --all with live sessions: exit %d, stderr %q", r.code, r.stderr)
	}

	// End one session behind the store's back: the next round must see it.
	c, err := (&globals{env: Env{Now: time.Now}, logger: slog.New(slog.DiscardHandler)}).client(h.url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Logout(context.Background(), a.SID, "header"); err != nil {
		t.Fatal(err)
	}
	r = h.run("", nil, "check", "--all", "--json")
	if r.code != ExitRefused {
		t.Fatalf("check --all with an ended session: exit %d, want 1; stderr %q", r.code, r.stderr)
	}
	var out []checkAllJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out) != 2 {
		t.Fatalf("check --all --json = %s (%v), want two sessions", r.stdout, err)
	}
	kinds := map[string]string{}
	for _, e := range out {
		if len(e.Results) != 3 || len(e.Diagnosis) == 0 {
			t.Fatalf("session %s: %d results, diagnosis %v", e.Login, len(e.Results), e.Diagnosis)
		}
		kinds[e.Login] = string(e.Diagnosis[0].Kind)
	}
	if kinds["demo"] != "not-logged-in" || kinds["admin"] != "all-accepted" {
		t.Fatalf("diagnoses = %v, want demo not-logged-in and admin all-accepted", kinds)
	}
	r = h.run("", nil, "list", "--json")
	var list []listJSON
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.Login == "demo" && s.State != "rejected" {
			t.Fatalf("demo session state %q after a round where no transport accepted it", s.State)
		}
	}
}

func TestTrack(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 16)
	sid := h.login("demo", "demo").SID

	r := h.run("", nil, "track", "--url", h.url, "--sid", sid, "--json")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "already tracked") {
		t.Fatalf("tracking a tracked sid: exit %d, stderr %q; want 2 and 'already tracked'", r.code, r.stderr)
	}

	other := newHarness(t, 16)
	other.store = h.store
	sid2 := other.login("admin", "admin").SID // tracked, under the other server's URL
	h.run("", nil, "logout", "--url", other.url, "--sid", sid2, "--transport", "cookie")
	r = h.run(sid2, nil, "track", "--url", other.url, "--sid-stdin", "--json")
	if r.code != ExitUsage {
		t.Fatalf("tracking again under the same URL: exit %d, want 2", r.code)
	}

	third := newHarness(t, 16)
	sid3 := third.login("demo", "demo").SID // tracked only in third's store
	r = h.run("", nil, "track", "--url", third.url, "--sid", sid3, "--identify", "--json")
	if r.code != ExitOK {
		t.Fatalf("track --identify: exit %d, stderr %q", r.code, r.stderr)
	}
	var got trackJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("track --json: %v\n%s", err, r.stdout)
	}
	if got.Login != "demo" || got.UID == 0 || len(got.Results) != 3 || got.SID == sid3 {
		t.Fatalf("track --json = %+v, want demo identified, three checks, a masked sid", got)
	}
	if got.Diagnosis[0].Kind != "cookie-only" {
		t.Fatalf("diagnosis on the Odoo 16 profile = %+v, want cookie-only first", got.Diagnosis)
	}

	// A sid the server accepts nowhere is tracked, to be watched, but the
	// server refused it.
	for _, args := range [][]string{
		{"track", "--url", h.url, "--sid", strings.Repeat("0", 40)},
		{"track", "--url", h.url, "--sid", strings.Repeat("1", 40), "--identify", "--json"},
	} {
		r = h.run("", nil, args...)
		if r.code != ExitRefused || !strings.Contains(r.stderr, "accepts "+sessions.MaskSID(args[4])+
			" through no transport") || strings.Count(r.stderr, "\n") != 1 {
			t.Fatalf("%v: exit %d, stderr %q; want 1 and one line saying no transport accepts it",
				args, r.code, r.stderr)
		}
		if identify := len(args) > 5; identify != strings.Contains(r.stderr, "not identified") {
			t.Fatalf("%v: stderr %q says 'not identified' only with --identify", args, r.stderr)
		}
	}
	var refused []listJSON
	if err := json.Unmarshal([]byte(h.run("", nil, "list", "--json").stdout), &refused); err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, s := range refused {
		states[s.SID] = s.State
	}
	for _, sid := range []string{strings.Repeat("0", 40), strings.Repeat("1", 40)} {
		if st := states[sessions.MaskSID(sid)]; st != "rejected" {
			t.Fatalf("refused sid %s listed as %q, want tracked and rejected", sessions.MaskSID(sid), st)
		}
	}

	r = h.run("", nil, "track", "--url", deadURL(t), "--sid", "abcdef123456")
	if r.code != ExitUnreachable || !strings.Contains(r.stderr, "--no-check") {
		t.Fatalf("track on a dead server: exit %d, stderr %q; want 3 and a hint", r.code, r.stderr)
	}
	r = h.run("", nil, "track", "--url", deadURL(t), "--sid", "abcdef123456", "--no-check")
	if r.code != ExitOK {
		t.Fatalf("track --no-check: exit %d, stderr %q", r.code, r.stderr)
	}
	r = h.run("", nil, "list", "--json")
	var list []listJSON
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.SID == sessions.MaskSID("abcdef123456") && (s.SecondsLeft != nil || s.Clock != "none") {
			t.Fatalf("a sid with no known clock lists %+v, want no seconds_left", s)
		}
	}
}

func TestHelpCommand(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 15)
	for _, args := range [][]string{{"help"}, {"help", "check"}} {
		r := h.run("", nil, args...)
		if r.code != ExitOK || !strings.Contains(r.stdout, "usage: odoo-sessions") {
			t.Fatalf("%v: exit %d, stdout %q", args, r.code, r.stdout)
		}
	}
}

func TestInfo(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 16)
	r := h.run("", nil, "info", "--url", h.url+"/odoo/contacts", "--json")
	if r.code != ExitOK {
		t.Fatalf("info: exit %d, stderr %q", r.code, r.stderr)
	}
	var out infoOutput
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("info --json: %v\n%s", err, r.stdout)
	}
	if out.URL != h.url || !strings.HasPrefix(out.ServerVersion, "16.0") ||
		len(out.Databases) != 1 || out.RESTLogin == nil || *out.RESTLogin {
		t.Fatalf("info on the Odoo 16 profile = %+v, want version 16, one database, no REST login", out)
	}

	r = h.run("", nil, "info", "--url", h.url)
	if !strings.Contains(r.stdout, "\ndatabases  demo\n") {
		t.Fatalf("info names its one database as:\n%s", r.stdout)
	}

	r = h.run("", nil, "info", "--url", deadURL(t), "--json")
	if r.code != ExitUnreachable || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("info on a dead server: exit %d, stdout %q, stderr %q; want 3, nothing, one line",
			r.code, r.stdout, r.stderr)
	}
}

func TestInfoDatabases(t *testing.T) {
	t.Parallel()
	two := demoserver.Demo(17, time.Now)
	two.Databases = append(two.Databases, demoserver.Database{Name: "qa_2"})
	closed := demoserver.Demo(17, time.Now)
	closed.ListDB = false
	empty := demoserver.Demo(17, time.Now)
	empty.Databases = nil
	tests := []struct {
		name string
		opts demoserver.Options
		want string
	}{
		{"two", two, "databases  demo, qa_2\n"},
		{"listing off", closed, "databases  not listed: the server's list_db option is off\n"},
		{"none", empty, "databases  none listed\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarnessOn(t, tc.opts)
			r := h.run("", nil, "info", "--url", h.url)
			if r.code != ExitOK || !strings.Contains(r.stdout, "\n"+tc.want) {
				t.Fatalf("info: exit %d, stdout:\n%s\nwant a line %q", r.code, r.stdout, tc.want)
			}
		})
	}
}

func TestLogoutAutoOnCookieOnlyServer(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 18)
	sid := h.login("demo", "demo").SID
	r := h.run("", nil, "logout", "--url", h.url, "--sid", sid, "--transport", "header")
	if r.code != ExitRefused || !strings.Contains(r.stderr, "cookie") {
		t.Fatalf("header logout on Odoo 18: exit %d, stderr %q; want 1 and a word on the cookie", r.code, r.stderr)
	}
	r = h.run("", nil, "logout", "--url", h.url, "--sid", "Cookie: session_id="+sid+"; tz=UTC", "--json")
	if r.code != ExitOK || !strings.Contains(r.stdout, `"transport": "cookie"`) {
		t.Fatalf("auto logout: exit %d, stdout %q, stderr %q; want 0 through the cookie", r.code, r.stdout, r.stderr)
	}
	r = h.run("", nil, "list")
	if !strings.Contains(r.stdout, "logged out") {
		t.Fatalf("list after the logout:\n%s", r.stdout)
	}
}

func TestCheckAny(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 16) // reads the sid only from the cookie
	sid := h.login("demo", "demo").SID
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"check", "--url", h.url, "--sid", sid}, ExitRefused},
		{[]string{"check", "--url", h.url, "--sid", sid, "--any"}, ExitOK},
		{[]string{"check", "--url", h.url, "--sid", sid, "--any", "--transport", "header"}, ExitRefused},
		{[]string{"check", "--all"}, ExitRefused},
		{[]string{"check", "--all", "--any"}, ExitOK},
		{[]string{"check", "--url", h.url, "--sid", "0000000000000000000000000000000000000000", "--any"}, ExitRefused},
	} {
		if r := h.run("", nil, tc.args...); r.code != tc.want {
			t.Errorf("%v: exit %d, want %d; stderr %q", tc.args, r.code, tc.want, r.stderr)
		}
	}
}

func TestDevices(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 18)
	first := h.login("demo", "demo").SID
	second := h.login("demo", "demo").SID
	if r := h.run("", nil, "logout", "--url", h.url, "--sid", first); r.code != ExitOK {
		t.Fatalf("logout: exit %d, stderr %q", r.code, r.stderr)
	}
	r := h.run(second+"\n", nil, "devices", "--url", h.url, "--sid-stdin", "--json")
	if r.code != ExitOK {
		t.Fatalf("devices: exit %d, stderr %q", r.code, r.stderr)
	}
	var out devicesOutput
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("devices --json: %v\n%s", err, r.stdout)
	}
	if out.UID == 0 || len(out.Devices) != 2 {
		t.Fatalf("devices = %+v, want both logins of the user", out)
	}
	byState := map[string]deviceJSON{}
	for _, d := range out.Devices {
		byState[d.TrackedState] = d
	}
	if d := byState["active"]; !d.ThisSession || d.Session != sessions.MaskSID(second) {
		t.Errorf("the asking session's row: %+v", d)
	}
	if d := byState["logged-out"]; d.ThisSession || d.Session != sessions.MaskSID(first) {
		t.Errorf("the logged-out session's row: %+v; Odoo keeps it until revoked", d)
	}
	if strings.Contains(r.stdout, first[:12]) || strings.Contains(r.stdout, second[:12]) {
		t.Errorf("a sid shows unmasked:\n%s", r.stdout)
	}

	text := h.run(second+"\n", nil, "devices", "--url", h.url, "--sid-stdin")
	if text.code != ExitOK || !strings.Contains(text.stdout, "this session "+sessions.MaskSID(second)) ||
		!strings.Contains(text.stdout, "a row is not proof that a sid works") {
		t.Errorf("devices: exit %d\n%s", text.code, text.stdout)
	}

	old := newHarness(t, 16)
	sid := old.login("demo", "demo").SID
	r = old.run("", nil, "devices", "--url", old.url, "--sid", sid)
	if r.code != ExitRefused || !strings.Contains(r.stderr, "keeps no list of its users' sessions") {
		t.Errorf("devices on Odoo 16: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestLoginPromptsNameTheAccount(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 16)
	var prompts []string
	var out, errb bytes.Buffer
	env := Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Now: time.Now,
		Logger: slog.New(slog.DiscardHandler),
		ReadPassword: func(prompt string) (string, error) {
			prompts = append(prompts, prompt)
			if len(prompts) == 1 {
				return "totp", nil
			}
			return demoserver.TOTPCode(demoserver.DemoTOTPSecret, time.Now())
		},
	}
	code := Run(context.Background(), []string{"--store", h.store, "--config",
		emptyConfig(t), "login", "--url", h.url, "--login", "totp"}, env)
	if code != ExitOK {
		t.Fatalf("login: exit %d, stderr %q", code, errb.String())
	}
	where := strings.TrimPrefix(h.url, "http://")
	want := []string{"Password for totp on " + where + ": ", "Two-factor code for totp on " + where + ": "}
	if diff := cmp.Diff(want, prompts); diff != "" {
		t.Fatalf("prompts (-want +got):\n%s", diff)
	}
	// The module's state is not asked with a password XML-RPC refuses.
	if o := out.String(); !strings.Contains(o, "XML-RPC refuses passwords of two-factor users") ||
		strings.Contains(o, "wrong login or password") {
		t.Errorf("after a two-factor login:\n%s", o)
	}
}

func TestCheckAllSummary(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 15)
	h.login("demo", "demo")
	old := newHarness(t, 16) // reads the sid only from the cookie
	old.store = h.store
	old.login("demo", "demo")
	gone := h.login("admin", "admin").SID
	if r := h.run("", nil, "logout", "--url", h.url, "--sid", gone); r.code != ExitOK {
		t.Fatalf("logout: exit %d, stderr %q", r.code, r.stderr)
	}
	dead := deadURL(t)
	for _, target := range [][2]string{{h.url, strings.Repeat("0", 40)}, {dead, strings.Repeat("1", 40)}} {
		if r := h.run("", nil, "track", "--url", target[0], "--sid", target[1], "--no-check"); r.code != ExitOK {
			t.Fatalf("track --no-check: exit %d, stderr %q", r.code, r.stderr)
		}
	}

	r := h.run("", nil, "check", "--all")
	if r.code != ExitUnreachable {
		t.Errorf("check --all with a dead server: exit %d, want 3; stderr %q", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	want := "checked 4 sessions: 1 accepted, 1 accepted through some transports only, " +
		"1 not accepted, 1 could not be checked; 1 not checked"
	if got := lines[len(lines)-1]; got != want {
		t.Errorf("last line of check --all = %q, want %q", got, want)
	}
	for _, head := range []string{
		h.url + "  database demo  user demo  sid ", old.url + "  database demo  user demo  sid ",
		h.url + "  sid " + sessions.MaskSID(strings.Repeat("0", 40)),
	} {
		if !strings.Contains(r.stdout, "\n"+head) && !strings.HasPrefix(r.stdout, head) {
			t.Errorf("check --all has no block headed %q:\n%s", head, r.stdout)
		}
	}

	r = h.run("", nil, "check", "--all", "--json")
	var out []checkAllJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("check --all --json: %v\n%s", err, r.stdout)
	}
	// Each session by server, and by login or else sid.
	got := map[string]string{}
	for _, e := range out {
		who := e.Login
		if who == "" {
			who = e.SID
		}
		got[e.URL+" "+who] = e.Outcome
	}
	wantOutcomes := map[string]string{
		h.url + " demo":   "accepted",
		old.url + " demo": "partly-accepted",
		h.url + " admin":  "", // logged out: not checked
		h.url + " " + sessions.MaskSID(strings.Repeat("0", 40)): "not-accepted",
		dead + " " + sessions.MaskSID(strings.Repeat("1", 40)):  "failed",
	}
	if diff := cmp.Diff(wantOutcomes, got); diff != "" {
		t.Errorf("outcomes in check --all --json (-want +got):\n%s", diff)
	}
	// A server that cannot be reached is not asked again for the other
	// transports.
	for _, e := range out {
		if e.URL == dead && len(e.Results) != 1 {
			t.Errorf("%d results for the session on a dead server, want 1", len(e.Results))
		}
	}
}

// TestTrackIdentifyThroughAnIgnoredTransport: on Odoo 18, which reads only
// the cookie, identifying through the header fails; the sid is tracked all
// the same, and the error says which transport to use.
func TestTrackIdentifyThroughAnIgnoredTransport(t *testing.T) {
	h := newHarness(t, 18)
	c, err := odoo.New(h.url)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.LoginWeb(context.Background(), odoo.LoginRequest{DB: demoserver.DemoDatabase,
		Login: "demo", Password: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	r := h.run(res.SID+"\n", nil, "track", "--url", h.url, "--sid-stdin", "--identify",
		"--transport", "header")
	if r.code != ExitRefused || !strings.Contains(r.stderr, "tracked, but not identified") ||
		!strings.Contains(r.stderr, "try --transport cookie") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if l := h.run("", nil, "list"); !strings.Contains(l.stdout, sessions.MaskSID(res.SID)) {
		t.Errorf("the sid is not tracked:\n%s", l.stdout)
	}
}

// TestConfigFreeCommands: a configuration file that is refused stops the
// commands that read it, not those that never do.
func TestConfigFreeCommands(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 15)
	h.config = filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(h.config, []byte(`{"timeut":"5s"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := h.run("", nil, "demo-totp"); r.code != ExitOK || len(strings.TrimSpace(r.stdout)) != 6 {
		t.Errorf("demo-totp: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if r := h.run("", nil, "list"); r.code != ExitUsage || !strings.Contains(r.stderr, `unknown key "timeut"`) {
		t.Errorf("list: exit %d, stderr %q", r.code, r.stderr)
	}
}
