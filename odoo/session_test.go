package odoo

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// stepClock returns a clock that advances by step at every reading.
func stepClock(start time.Time, step time.Duration) func() time.Time {
	var mu sync.Mutex
	now := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t := now
		now = now.Add(step)
		return t
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 3, 17, 49, 51, 0, time.UTC)
	tests := []struct {
		name     string
		reply    answer
		accepted bool
		wantErr  error
	}{
		{"logged in", jsonFile(t, 200, "odoo15_check_ok.json"), true, nil},
		{"session expired code 100", jsonFile(t, 200, "odoo15_check_expired.json"), false, nil},
		{"HTML page", htmlAnswer(200, []byte("<title>Login</title>")), false, ErrNotOdoo},
		{"server error", htmlAnswer(502, []byte("<title>502 Bad Gateway</title>")), false, ErrServer},
		{"other JSON-RPC error", jsonAnswer(200, []byte(`{"jsonrpc": "2.0", "id": null, "error": `+
			`{"code": 200, "message": "Odoo Server Error", "data": {"name": "builtins.KeyError"}}}`)),
			false, ErrServer},
	}
	for _, tt := range tests {
		for _, tr := range Transports {
			t.Run(tt.name+"/"+string(tr), func(t *testing.T) {
				t.Parallel()
				_, c := newFakeOdoo(t, map[string][]route{
					"POST /web/session/check": {serveRPC(tr, sid15, tt.reply)},
				})
				c.now = stepClock(start, 10*time.Millisecond)
				got := c.Check(context.Background(), sid15, tr)
				if got.Accepted != tt.accepted || got.Transport != tr || got.Status != tt.reply.status {
					t.Errorf("Check = %+v, want accepted %v", got, tt.accepted)
				}
				if !errors.Is(got.Err, tt.wantErr) || (tt.wantErr == nil) != (got.Err == nil) {
					t.Errorf("Check error = %v, want %v", got.Err, tt.wantErr)
				}
				if !got.At.Equal(start) || got.Latency <= 0 {
					t.Errorf("Check At %v latency %v, want At from the clock and a latency",
						got.At, got.Latency)
				}
			})
		}
	}
}

func TestCheckRefusesBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sid  string
		tr   Transport
	}{
		{"empty sid", "", TransportHeader},
		{"sid with a space", "abc def", TransportCookie},
		{"sid with a semicolon", "abc;def", TransportCookie},
		{"unknown transport", sid15, Transport("body")},
		{"non-ASCII sid, which a cookie cannot carry", "abc\u00e9def", TransportCookie},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, c := newFakeOdoo(t, nil)
			got := c.Check(context.Background(), tt.sid, tt.tr)
			if !errors.Is(got.Err, ErrInvalidInput) || got.Accepted {
				t.Errorf("Check = %+v, want ErrInvalidInput", got)
			}
			if calls := f.callLog(); len(calls) > 0 {
				t.Errorf("requests sent: %v", calls)
			}
		})
	}
}

func TestSessionInfo(t *testing.T) {
	t.Parallel()
	_, c := newFakeOdoo(t, map[string][]route{
		"POST /web/session/get_session_info": {
			serveRPC(TransportParam, sid15, jsonFile(t, 200, "odoo15_session_info_ok.json")),
			serveRPC(TransportHeader, sid15, jsonFile(t, 200, "odoo15_check_expired.json")),
		},
	})
	info, err := c.SessionInfo(context.Background(), sid15, TransportParam)
	if err != nil || info.UID != 6 || info.Username != "qa_user" || info.DB != "qa" {
		t.Fatalf("SessionInfo = %+v, %v", info, err)
	}
	_, err = c.SessionInfo(context.Background(), sid15, TransportHeader)
	var rpcErr *RPCError
	if !errors.Is(err, ErrSessionExpired) || !errors.As(err, &rpcErr) || rpcErr.Code != 100 ||
		rpcErr.Name != "odoo.http.SessionExpiredException" || !strings.Contains(rpcErr.Debug, "Traceback") {
		t.Errorf("SessionInfo error = %v (%+v), want code 100 with its traceback kept", err, rpcErr)
	}
	assertCleanError(t, err, c.URL())
}

func TestLogout(t *testing.T) {
	t.Parallel()
	checkOK := jsonFile(t, 200, "odoo15_check_ok.json")
	checkDead := jsonFile(t, 200, "odoo15_check_expired.json")
	html404 := htmlFile(t, 404, "odoo16_rest_login_404.html")
	json404 := jsonFile(t, 404, "odoo15_multidb_login_404.json")
	rotated := jsonFile(t, 200, "odoo15_rest_logout_ok.json")
	rotated.cookie = "0123456789abcdef0123456789abcdef01234567"
	destroyed := jsonFile(t, 200, "odoo16_session_destroy.json")
	loggedOut := jsonFile(t, 401, "odoo15_rest_logout_401.json")
	tests := []struct {
		name     string
		tr       Transport
		sid      string
		logout   answer
		checks   []answer // answers of /web/session/check by tr
		cookie   *answer  // answer of /web/session/check by cookie, after those
		destroy  *answer
		want     LogoutResult
		wantErr  error
		contains string
	}{
		{name: "rest logout", tr: TransportCookie, sid: sid15, logout: rotated,
			want: LogoutResult{Endpoint: PathRESTLogout, Status: 200, Message: "Successful logout"}},
		{name: "already logged out 401", tr: TransportHeader, sid: sid15, logout: loggedOut,
			cookie: &checkDead, wantErr: ErrSessionExpired,
			contains: "answered 401 and " + PathCheck +
				" accepts the session id neither by header nor by cookie"},
		{name: "401 by cookie needs no check", tr: TransportCookie, sid: sid15, logout: loggedOut,
			wantErr: ErrSessionExpired, contains: "answered 401"},
		{name: "401 but alive by cookie", tr: TransportParam, sid: sid15, logout: loggedOut,
			cookie: &checkOK, wantErr: ErrTransportIgnored,
			contains: "the server does not read the session id from the session_id query parameter: " +
				"log out through the cookie (nothing was ended)"},
		{name: "stock odoo falls back to destroy", tr: TransportCookie, sid: sid16, logout: html404,
			checks: []answer{checkOK, checkDead}, destroy: &destroyed,
			want: LogoutResult{Endpoint: PathDestroy, Status: 200}},
		{name: "cookie-only server keeps a header session", tr: TransportHeader, sid: sid16,
			logout: html404, checks: []answer{checkDead}, cookie: &checkOK, wantErr: ErrTransportIgnored,
			contains: "the server does not read the session id from the X-Openerp-Session-Id header: " +
				"log out through the cookie (nothing was ended)"},
		{name: "dead by every transport", tr: TransportHeader, sid: sid16, logout: html404,
			checks: []answer{checkDead}, cookie: &checkDead, wantErr: ErrSessionExpired,
			contains: "accepts the session id neither by header nor by cookie"},
		{name: "dead by cookie", tr: TransportCookie, sid: sid16, logout: html404,
			checks: []answer{checkDead}, wantErr: ErrSessionExpired,
			contains: "does not accept the session id by cookie"},
		{name: "multi-db 404 for a dead sid", tr: TransportHeader, sid: sid15, logout: json404,
			checks: []answer{checkDead}, cookie: &checkDead, wantErr: ErrSessionExpired,
			contains: "several databases"},
		{name: "cookie check fails", tr: TransportHeader, sid: sid16, logout: html404,
			checks:  []answer{checkDead},
			cookie:  ptr(htmlAnswer(502, []byte("<title>502 Bad Gateway</title>"))),
			wantErr: ErrServer, contains: "502 Bad Gateway"},
		{name: "destroy that does not destroy", tr: TransportParam, sid: sid18, logout: html404,
			checks: []answer{checkOK, checkOK}, destroy: &destroyed, wantErr: ErrServer,
			contains: "still logged in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			routes := map[string][]route{"POST " + PathRESTLogout: {serve(tt.tr, tt.sid, tt.logout)}}
			for _, a := range tt.checks {
				routes["POST "+PathCheck] = append(routes["POST "+PathCheck], serveRPC(tt.tr, tt.sid, a))
			}
			if tt.cookie != nil {
				routes["POST "+PathCheck] = append(routes["POST "+PathCheck],
					serveRPC(TransportCookie, tt.sid, *tt.cookie))
			}
			if tt.destroy != nil {
				routes["POST "+PathDestroy] = []route{serveRPC(tt.tr, tt.sid, *tt.destroy)}
			}
			f, c := newFakeOdoo(t, routes)
			got, err := c.Logout(context.Background(), tt.sid, tt.tr)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Logout error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				assertCleanError(t, err, c.URL())
				if !strings.Contains(err.Error(), tt.contains) {
					t.Errorf("error %q lacks %q", err, tt.contains)
				}
			}
			if got.Endpoint != tt.want.Endpoint || got.Status != tt.want.Status ||
				got.Message != tt.want.Message {
				t.Errorf("Logout = %+v, want %+v", got, tt.want)
			}
			if tt.want.Endpoint == "/web/session/destroy" && len(got.Notes) == 0 {
				t.Errorf("Logout fallback not told in Notes")
			}
			if left := f.unserved(); len(left) > 0 {
				t.Errorf("requests not made: %v", left)
			}
		})
	}
}

// TestCheckSeesTheServerSave: an answer that sets the sid's cookie again as
// Odoo 16 and later do only after a save (Odoo 18 at a sid's first request)
// saved the session; Odoo 15's cookie, set on every answer, another sid's
// cookie, or none, do not say so.
func TestCheckSeesTheServerSave(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, setCookie string
		want            bool
	}{
		{"Odoo 18 after a save", "session_id=" + sid18 + "; Expires=Fri, 03 Dec 2027 18:08:23 GMT; " +
			"Max-Age=604800; HttpOnly; Path=/", true},
		{"Odoo 15 on every answer", "session_id=" + sid18 + "; Expires=Thu, 04-Mar-2027 09:34:59 GMT; " +
			"Max-Age=7776000; HttpOnly; Path=/", false},
		{"another sid", "session_id=" + sid16 + "; Max-Age=604800; HttpOnly; Path=/", false},
		{"no cookie", "", false},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tc.setCookie != "" {
				w.Header().Set("Set-Cookie", tc.setCookie)
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"jsonrpc": "2.0", "id": null}`))
		}))
		c, err := New(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		got := c.Check(context.Background(), sid18, TransportCookie)
		srv.Close()
		if !got.Accepted || got.Saved != tc.want {
			t.Errorf("%s: accepted %v, saved %v; want accepted, saved %v", tc.name, got.Accepted,
				got.Saved, tc.want)
		}
	}
}
