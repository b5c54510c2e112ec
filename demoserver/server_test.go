package demoserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/odoo-sessions/odoo-sessions/odoo"
)

func TestRESTLoginExpiresAtAndCookie(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := newServer(t, Demo(15, clock.Now))

	a := restLogin(t, srv, "demo", "demo")

	if a.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", a.StatusCode, a.body)
	}
	sess, _ := a.decode(t)["session"].(map[string]any)
	wantExpiry := clock.Now().Add(90 * 24 * time.Hour).UTC().Format("2006-01-02 15:04:05")
	if sess["expires_at"] != wantExpiry {
		t.Errorf("expires_at %v, want %s", sess["expires_at"], wantExpiry)
	}
	sid, _ := sess["sid"].(string)
	if !hexSIDPattern.MatchString(sid) || a.sid() != sid {
		t.Errorf("sid %q and cookie %q: want the same 40-hex sid", sid, a.sid())
	}
	if c := a.Header.Get("Set-Cookie"); !strings.Contains(c, "Max-Age=7776000") {
		t.Errorf("cookie %q lacks Max-Age=7776000", c)
	}
	if got := a.Header.Get("Access-Control-Allow-Origin"); got != "None" {
		t.Errorf("Access-Control-Allow-Origin %q, want None", got)
	}
}

func TestIdleLimit(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	tests := []struct {
		name      string
		touchPath string        // called at day 6, "" for none
		checkAt   time.Duration // after the login
		wantAlive bool
	}{
		{"a second before the limit", "", 7*day - time.Second, true},
		{"at the limit", "", 7 * day, true},
		{"a second after the limit", "", 7*day + time.Second, false},
		{"get_session_info restarts the clock", "/web/session/get_session_info", 12 * day, true},
		{"check does not restart the clock", "/web/session/check", 7*day + time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			srv := newServer(t, Demo(15, clock.Now))
			sid := restLogin(t, srv, "demo", "demo").sid()
			if tt.touchPath != "" {
				clock.Add(6 * day)
				if a := jsonCall(t, srv, tt.touchPath, nil, "X-Openerp-Session-Id", sid); errorCode(t, a) != 0 {
					t.Fatalf("touch: %s", a.body)
				}
				clock.Add(tt.checkAt - 6*day)
			} else {
				clock.Add(tt.checkAt)
			}

			a := jsonCall(t, srv, "/web/session/check", nil, "X-Openerp-Session-Id", sid)

			if alive := errorCode(t, a) == 0; alive != tt.wantAlive {
				t.Errorf("alive %v, want %v: %s", alive, tt.wantAlive, a.body)
			}
		})
	}
}

func TestTransportPrecedence15(t *testing.T) {
	t.Parallel()
	srv := newServer(t, Demo(15, newFakeClock().Now))
	sid := restLogin(t, srv, "demo", "demo").sid()
	garbage := "0000000000000000000000000000000000000000"
	tests := []struct {
		name   string
		query  string
		header string
		cookie string
		want   bool
	}{
		{"param alone", sid, "", "", true},
		{"header alone", "", sid, "", true},
		{"cookie alone", "", "", sid, true},
		{"param wins over header", garbage, sid, "", false},
		{"header wins over cookie", "", garbage, sid, false},
		{"valid header, stale cookie", "", sid, garbage, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, headers := "/web/session/check", []string{}
			if tt.query != "" {
				path += "?session_id=" + tt.query
			}
			if tt.header != "" {
				headers = append(headers, "X-Openerp-Session-Id", tt.header)
			}
			if tt.cookie != "" {
				headers = append(headers, "Cookie", "session_id="+tt.cookie)
			}

			a := jsonCall(t, srv, path, nil, headers...)

			if got := errorCode(t, a) == 0; got != tt.want {
				t.Errorf("accepted %v, want %v: %s", got, tt.want, a.body)
			}
		})
	}
}

func TestSIDForms(t *testing.T) {
	t.Parallel()
	for _, v := range []int{15, 16, 17, 18} {
		t.Run(fmt.Sprint(v), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, Demo(v, newFakeClock().Now))

			a := jsonCall(t, srv, "/web/session/authenticate",
				map[string]any{"db": DemoDatabase, "login": "admin", "password": "admin"})

			want := hexSIDPattern
			if v == 18 {
				want = longSIDPattern
			}
			if !want.MatchString(a.sid()) {
				t.Errorf("sid %q does not match %s", a.sid(), want)
			}
		})
	}
}

func TestPasswordChangeEndsSessions(t *testing.T) {
	t.Parallel()
	srv := newServer(t, Demo(16, newFakeClock().Now))
	sid := jsonCall(t, srv, "/web/session/authenticate",
		map[string]any{"db": DemoDatabase, "login": "demo", "password": "demo"}).sid()
	write := `<?xml version='1.0'?><methodCall><methodName>execute_kw</methodName><params>` +
		`<param><value><string>demo</string></value></param><param><value><int>2</int></value></param>` +
		`<param><value><string>admin</string></value></param><param><value><string>res.users</string></value></param>` +
		`<param><value><string>write</string></value></param><param><value><array><data>` +
		`<value><array><data><value><int>6</int></value></data></array></value>` +
		`<value><struct><member><name>password</name><value><string>new-pass</string></value></member></struct></value>` +
		`</data></array></value></param></params></methodCall>`

	if a := send(t, srv, http.MethodPost, "/xmlrpc/2/object", write); !strings.Contains(a.body, "<boolean>1</boolean>") {
		t.Fatalf("write: %s", a.body)
	}

	if code := errorCode(t, jsonCall(t, srv, "/web/session/check", nil, "Cookie", "session_id="+sid)); code != 100 {
		t.Errorf("check after the password change: code %d, want 100", code)
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts Options
	}{
		{"unknown version", Options{Version: 14}},
		{"bad filter", Options{DBFilter: "("}},
		{"database twice", Options{Databases: []Database{{Name: "a"}, {Name: "a"}}}},
		{"user twice", Options{Databases: []Database{{Name: "a", Users: []User{
			{ID: 2, Login: "x"}, {ID: 3, Login: "x"}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.opts); err == nil {
				t.Error("New succeeded, want an error")
			}
		})
	}
}

func TestLogsHideSecrets(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	opts := Demo(15, newFakeClock().Now)
	opts.Logger = slog.New(slog.NewTextHandler(&buf, nil))
	srv := newServer(t, opts)
	if err := srv.AddUser(DemoDatabase, User{Login: "secretive", Password: "s3cr3t-pw-42"}); err != nil {
		t.Fatal(err)
	}

	sid := restLogin(t, srv, "secretive", "s3cr3t-pw-42").sid()
	jsonCall(t, srv, "/web/session/check", nil, "X-Openerp-Session-Id", sid)

	logs := buf.String()
	sum := sha256.Sum256([]byte(sid))
	want := "session=" + hex.EncodeToString(sum[:3])
	if !strings.Contains(logs, "path=/web/session/check") || !strings.Contains(logs, want) {
		t.Errorf("log lacks the check request or %s, the sid's fingerprint:\n%s", want, logs)
	}
	if sid == "" || strings.Contains(logs, sid[:6]) || strings.Contains(logs, "s3cr3t-pw-42") {
		t.Errorf("log shows a piece of the sid or a password:\n%s", logs)
	}
}

func TestConcurrentLogins(t *testing.T) {
	t.Parallel()
	srv := newServer(t, Demo(15, newFakeClock().Now))
	const n = 16
	sids, checks := make([]string, n), make([]answer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sids[i] = restLogin(t, srv, "demo", "demo").sid()
			checks[i] = jsonCall(t, srv, "/web/session/check", nil, "X-Openerp-Session-Id", sids[i])
		})
	}
	wg.Wait()

	seen := map[string]bool{}
	for i, sid := range sids {
		if sid == "" || seen[sid] || errorCode(t, checks[i]) != 0 {
			t.Fatalf("login %d: sid %q, check %s; want distinct logged-in sids", i, sid, checks[i].body)
		}
		seen[sid] = true
	}
}

func TestStartServesOnLoopback(t *testing.T) {
	t.Parallel()
	srv := newServer(t, Demo(17, nil))
	url, stop, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 5 * time.Second}

	resp, err := client.Post(url+"/web/webclient/version_info", "application/json",
		strings.NewReader(`{"jsonrpc":"2.0","method":"call","params":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("status %d at %s", resp.StatusCode, url)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Get(url + "/web/login"); err == nil {
		t.Error("server still answers after stop")
	}
}

func TestFingerprintMatchesClient(t *testing.T) {
	t.Parallel()
	for _, sid := range []string{"", "6df14ba1d0425ab4ff00ae7df09bc32cd7b7be63",
		"m3GAZV9pbglOGuyY2qeIk5VAMBavBdrykSt14Lf471KxysoDK6oV3lYTsogxZ4OC_jAoC3QzybUFvYVo60bk"} {
		if got, want := fingerprint(sid), odoo.Fingerprint(sid); got != want {
			t.Errorf("fingerprint(%s) = %q, the client logs %q", odoo.Fingerprint(sid), got, want)
		}
	}
}
