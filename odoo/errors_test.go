package odoo

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestLoginErrors(t *testing.T) {
	t.Parallel()
	html404 := htmlFile(t, http.StatusNotFound, "odoo16_rest_login_404.html")
	tests := []struct {
		name     string
		rest     answer
		web      *answer // answer of /web/session/authenticate, when the REST route is missing
		want     []error
		contains string
		decode   bool // a *DecodeError with the raw body is expected
	}{
		{name: "wrong password 403", rest: jsonFile(t, 403, "odoo15_rest_login_403.json"),
			want: []error{ErrAuthFailed}, contains: "403 Forbidden"},
		{name: "unknown database 500", rest: jsonFile(t, 500, "odoo15_rest_login_500.json"),
			want: []error{ErrUnknownDatabase, ErrServer}, contains: `no database "qa"`},
		{name: "web wrong password", rest: html404,
			web:  ptr(jsonFile(t, 200, "odoo16_web_authenticate_denied.json")),
			want: []error{ErrAuthFailed}, contains: "odoo.exceptions.AccessDenied: Access Denied"},
		{name: "web unknown database", rest: html404,
			web:  ptr(jsonFile(t, 200, "odoo16_web_authenticate_unknown_db.json")),
			want: []error{ErrUnknownDatabase}, contains: "Database not found."},
		{name: "500 HTML page", rest: htmlAnswer(500, []byte("<!doctype html>"+
			"<title>500 Internal Server Error</title><h1>Internal Server Error</h1>"+
			"<p>The server encountered an internal error.</p>")), want: []error{ErrServer},
			contains: "500 Internal Server Error: The server encountered an internal error."},
		{name: "HTML where JSON was due",
			rest: htmlAnswer(200, []byte("<html><title>Sign in - Corporate SSO</title></html>")),
			want: []error{ErrNotOdoo}, contains: "HTML page where JSON was due"},
		{name: "malformed JSON", rest: jsonAnswer(200, []byte(`{"uid": 6, "session": {"sid": `)),
			want: []error{ErrNotOdoo}, decode: true},
		{name: "JSON without a session", rest: jsonAnswer(200, []byte(`{"uid": 6}`)),
			want: []error{ErrNotOdoo}, contains: "session.sid"},
		{name: "plain text 502", rest: answer{status: 502, ctype: "text/plain", body: []byte("bad gateway")},
			want: []error{ErrServer}, contains: `content type "text/plain": bad gateway`},
		{name: "plain text 200", rest: answer{status: 200, ctype: "text/plain", body: []byte("hello")},
			want: []error{ErrNotOdoo}, contains: `answered 200 with content type "text/plain"`},
		{name: "control characters stripped", rest: jsonAnswer(403,
			[]byte("{\"code\": 403, \"name\": \"Forb\\u001b[31midden\\u0007\\u009b2J\\u202e\"}")),
			want: []error{ErrAuthFailed}, contains: "403 Forbidden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			routes := map[string][]route{"POST /session/auth/login": {restLogin("qa", "", "", tt.rest)}}
			if tt.web != nil {
				routes["POST /web/session/authenticate"] = []route{webAuthenticate("qa", "qa_user", *tt.web)}
			}
			_, c := newFakeOdoo(t, routes)
			res, err := c.Login(context.Background(), qaLogin("qa"))
			t.Logf("error: %v", err)
			if res != nil {
				t.Errorf("Login returned a result with error %v", err)
			}
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("Login error %v does not wrap %v", err, w)
				}
			}
			assertCleanError(t, err, c.URL())
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q lacks %q", err, tt.contains)
			}
			var de *DecodeError
			if tt.decode && (!errors.As(err, &de) || string(de.Raw) != string(tt.rest.body)) {
				t.Errorf("error %v carries no DecodeError with the raw body", err)
			}
		})
	}
}

// assertCleanError checks what every error must be: named after its
// operation and server, free of control characters and secrets.
func assertCleanError(t *testing.T, err error, server string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if !strings.Contains(msg, " at "+server+": ") || strings.Count(msg, server) != 1 {
		t.Errorf("error %q does not name the server exactly once", msg)
	}
	if strings.ContainsFunc(msg, func(r rune) bool {
		return r < 0x20 || (r >= 0x7f && r <= 0x9f) || isBidi(r)
	}) {
		t.Errorf("error %q has control characters", msg)
	}
	for _, secret := range []string{testPwd, sid15, sid16, sid18, halfSID, fullSID} {
		if strings.Contains(msg, secret) {
			t.Errorf("error %q reveals a secret", msg)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestRPCErrorIs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *RPCError
		want error
	}{
		{"code 100", &RPCError{Code: 100, Name: "odoo.http.SessionExpiredException"}, ErrSessionExpired},
		{"http 401", &RPCError{Code: 401, Name: "Unauthorized", HTTPStatus: 401}, ErrSessionExpired},
		{"access denied", &RPCError{Code: 200, Name: "odoo.exceptions.AccessDenied"}, ErrAuthFailed},
		{"http 403", &RPCError{Code: 403, Name: "Forbidden", HTTPStatus: 403}, ErrAuthFailed},
		{"database not found", &RPCError{Code: 200, Name: "odoo.exceptions.AccessError",
			Message: "Database not found."}, ErrUnknownDatabase},
		{"access error", &RPCError{Code: 200, Name: "odoo.exceptions.AccessError",
			Message: "You are not allowed"}, ErrAccessDenied},
		{"not found", &RPCError{Code: 404, Name: "werkzeug.exceptions.NotFound", HTTPStatus: 404},
			ErrRouteMissing},
		{"other", &RPCError{Code: 200, Name: "builtins.ValueError"}, ErrServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !errors.Is(tt.err, tt.want) {
				t.Errorf("%v is not %v", tt.err, tt.want)
			}
			if tt.want != ErrServer && errors.Is(tt.err, ErrServer) {
				t.Errorf("%v is also ErrServer", tt.err)
			}
		})
	}
}

func TestSanitize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "Access Denied", 0, "Access Denied"},
		{"csi colour", "\x1b[31mred\x1b[0m text", 0, "red text"},
		{"osc title", "a\x1b]0;owned\x07b", 0, "ab"},
		{"osc with st", "a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", 0, "alink"},
		{"c1 csi", "a\u009b2Jb", 0, "ab"},
		{"c1 osc", "a\u009d0;owned\u009cb", 0, "ab"},
		{"raw c1 byte", "a\x9b2Jb", 0, "a\ufffd2Jb"},
		{"dcs", "p\x1bP1;2q\x1b\\q", 0, "pq"},
		{"controls and newlines", "one\ntwo\r\n\tthree\x00\x07\x7f", 0, "one two three"},
		{"bidi override", "abc\u202edef", 0, "abcdef"},
		{"invalid utf-8", "a\xffb", 0, "a\ufffdb"},
		{"cut", "abcdefghij", 5, "abcd…"},
		{"not cut at limit", "abcde", 5, "abcde"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Sanitize(tt.in, tt.max); got != tt.want {
				t.Errorf("Sanitize(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	t.Parallel()
	a, b := Fingerprint(sid15), Fingerprint(sid16)
	if len(a) != 6 || a == b || a != Fingerprint(sid15) || a == sid15[:6] {
		t.Errorf("Fingerprint = %q and %q: want 6 stable, distinct hex digits not taken from the sid", a, b)
	}
}

func TestErrorsNameOperationOnce(t *testing.T) {
	t.Parallel()
	notFound := jsonFile(t, http.StatusNotFound, "odoo15_multidb_login_404.json")
	html404 := htmlFile(t, http.StatusNotFound, "odoo16_rest_login_404.html")
	gateway := htmlAnswer(http.StatusBadGateway, []byte("<title>502 Bad Gateway</title>"))
	noCookie := htmlAnswer(http.StatusOK, []byte("<title>Odoo</title>"))
	half := jsonFile(t, http.StatusOK, "odoo16_web_authenticate_totp.json")
	half.cookie = halfSID
	expired := jsonFile(t, http.StatusOK, "odoo15_check_expired.json")
	// deadTOTP serves a two-factor login whose new session is not logged in.
	deadTOTP := func() map[string][]route {
		routes := totpRoutes(t, "odoo16_totp_form.html", csrf16, redirected(fullSID, "/web"))
		routes["POST "+PathSessionInfo] = []route{serveRPC(TransportCookie, fullSID, expired)}
		return routes
	}
	login := func(req LoginRequest) func(context.Context, *Client) error {
		return func(ctx context.Context, c *Client) error {
			_, err := c.Login(ctx, req)
			return err
		}
	}
	totpLogin := LoginRequest{DB: "qa16", Login: "totp_user", Password: "totp-pass-1",
		TOTPCode: "603425"}
	tests := []struct {
		name   string
		op     string
		routes func() map[string][]route // fresh for each run: the fake consumes them
		run    func(context.Context, *Client) error
	}{
		{name: "login that must bind a database", op: "login",
			routes: func() map[string][]route {
				return map[string][]route{
					"POST " + PathRESTLogin: {restLogin("qa", "", "", notFound)},
					"GET " + PathWebLogin:   {serve("", "", noCookie)},
				}
			}, run: login(qaLogin("qa"))},
		{name: "login through the web route", op: "login",
			routes: func() map[string][]route {
				return map[string][]route{
					"POST " + PathRESTLogin:    {restLogin("qa", "", "", html404)},
					"POST " + PathAuthenticate: {webAuthenticate("qa", "qa_user", gateway)},
				}
			}, run: login(qaLogin("qa"))},
		{name: "login with a code whose session is dead", op: "login",
			routes: func() map[string][]route {
				routes := deadTOTP()
				routes["POST "+PathRESTLogin] = []route{serve("", "", html404)}
				routes["POST "+PathAuthenticate] = []route{webAuthenticate("qa16", "totp_user", half)}
				return routes
			}, run: login(totpLogin)},
		{name: "two-factor code whose session is dead", op: "two-factor login", routes: deadTOTP,
			run: func(ctx context.Context, c *Client) error {
				_, err := c.CompleteTOTP(ctx, halfSID, "603425")
				return err
			}},
		{name: "logout whose check fails", op: "logout",
			routes: func() map[string][]route {
				return map[string][]route{
					"POST " + PathRESTLogout: {serve(TransportCookie, sid16, html404)},
					"POST " + PathCheck:      {serveRPC(TransportCookie, sid16, gateway)},
				}
			}, run: func(ctx context.Context, c *Client) error {
				_, err := c.Logout(ctx, sid16, TransportCookie)
				return err
			}},
		{name: "route probe that must bind a database", op: "probe REST route",
			routes: func() map[string][]route {
				return map[string][]route{"GET " + PathWebLogin: {serve("", "", noCookie)}}
			}, run: func(ctx context.Context, c *Client) error {
				_, err := c.RESTRouteAvailableOn(ctx, "qa")
				return err
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, c := newFakeOdoo(t, tt.routes())
			err := tt.run(context.Background(), c)
			assertCleanError(t, err, c.URL())
			if prefix := tt.op + " at " + c.URL() + ": "; !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("error %q does not start with %q", err, prefix)
			}
			if left := f.unserved(); len(left) > 0 {
				t.Errorf("requests not made: %v", left)
			}
		})
	}
}
