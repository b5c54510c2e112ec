package odoo

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// answerAll starts a server that gives a to every request, whatever its
// method and path, and returns a client for it.
func answerAll(t *testing.T, a answer) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.cookie != "" {
			http.SetCookie(w, &http.Cookie{Name: "session_id", Value: a.cookie, Path: "/"})
		}
		if a.ctype != "" {
			w.Header().Set("Content-Type", a.ctype)
		}
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, WithTimeout(testTimeout))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantNotOdoo fails unless err wraps ErrNotOdoo, is clean and contains text.
func wantNotOdoo(t *testing.T, err error, server, text string) {
	t.Helper()
	if !errors.Is(err, ErrNotOdoo) {
		t.Fatalf("error = %v, want ErrNotOdoo", err)
	}
	assertCleanError(t, err, server)
	if !strings.Contains(err.Error(), text) {
		t.Errorf("error %q lacks %q", err, text)
	}
}

func TestNotOdooJSONAnswer(t *testing.T) {
	t.Parallel()
	c := answerAll(t, jsonAnswer(http.StatusOK, []byte(`{"ok": true}`)))
	ctx := context.Background()
	for _, tr := range Transports {
		t.Run("check/"+string(tr), func(t *testing.T) {
			t.Parallel()
			got := c.Check(ctx, sid15, tr)
			if got.Accepted || got.Status != http.StatusOK {
				t.Errorf("Check = %+v, want not accepted with status 200", got)
			}
			wantNotOdoo(t, got.Err, c.URL(),
				`expected a JSON-RPC answer ("jsonrpc": "2.0"), got a JSON object with keys ok`)
		})
		t.Run("logout/"+string(tr), func(t *testing.T) {
			t.Parallel()
			got, err := c.Logout(ctx, sid15, tr)
			if got.Endpoint != "" {
				t.Errorf("Logout = %+v, want no result", got)
			}
			wantNotOdoo(t, err, c.URL(),
				`expected {"message": "Successful logout"}, got a JSON object with keys ok`)
		})
	}
	t.Run("session info", func(t *testing.T) {
		t.Parallel()
		_, err := c.SessionInfo(ctx, sid15, TransportCookie)
		wantNotOdoo(t, err, c.URL(), `got a JSON object with keys ok`)
	})
	t.Run("login", func(t *testing.T) {
		t.Parallel()
		res, err := c.Login(ctx, qaLogin("qa"))
		if res != nil {
			t.Errorf("Login = %+v, want no result", res)
		}
		wantNotOdoo(t, err, c.URL(),
			`expected a session_info with uid and session.sid, got a JSON object with keys ok`)
	})
	t.Run("web login", func(t *testing.T) {
		t.Parallel()
		_, err := c.LoginWeb(ctx, qaLogin("qa"))
		wantNotOdoo(t, err, c.URL(), `got a JSON object with keys ok`)
	})
}

func TestLoginAnswerNotSessionInfo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want string
	}{
		{"no uid", `{"session": {"sid": "` + sid15 + `", "expires_at": "2027-03-03 17:49:51"}}`,
			"got a JSON object with keys session"},
		{"no session", `{"uid": 6, "name": "QA User"}`, "got a JSON object with keys name, uid"},
		{"empty session", `{"uid": 6, "session": {}}`, "got a JSON object with keys session, uid"},
		{"array", `[6, "qa_user"]`, "got a JSON array"},
		{"null", `null`, "got JSON null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := answerAll(t, jsonAnswer(http.StatusOK, []byte(tt.body)))
			res, err := c.Login(context.Background(), qaLogin("qa"))
			if res != nil {
				t.Errorf("Login = %+v, want no result", res)
			}
			wantNotOdoo(t, err, c.URL(), "expected a session_info with uid and session.sid, "+tt.want)
			var de *DecodeError
			if !errors.As(err, &de) || string(de.Raw) != tt.body {
				t.Errorf("error %v carries no DecodeError with the raw body", err)
			}
		})
	}
}

func TestWebLoginAnswerNotSessionInfo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want string
	}{
		{"result without uid", `{"jsonrpc": "2.0", "id": null, "result": {"ok": true}}`,
			"got a JSON object with keys ok"},
		{"no result", `{"jsonrpc": "2.0", "id": null}`, "got no result"},
		{"result is a list", `{"jsonrpc": "2.0", "id": null, "result": [1]}`, "got a JSON array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := jsonAnswer(http.StatusOK, []byte(tt.body))
			a.cookie = sid16
			c := answerAll(t, a)
			res, err := c.LoginWeb(context.Background(), qaLogin("qa16"))
			if res != nil {
				t.Errorf("LoginWeb = %+v, want no result", res)
			}
			wantNotOdoo(t, err, c.URL(), "expected a session_info with uid as result, "+tt.want)
		})
	}
}

func TestHTMLAnswers(t *testing.T) {
	t.Parallel()
	cloudflare := []byte("<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare" +
		"</title></head><body><h1>Sorry, you have been blocked</h1></body></html>")
	tests := []struct {
		name     string
		reply    answer
		want     error
		notWant  error
		contains string
	}{
		{"python http.server 501", htmlFile(t, 501, "python_http_server_501.html"), ErrNotOdoo,
			ErrServer, `answered 501 with an HTML page titled "Error response": not an Odoo server?`},
		{"basic auth proxy 401", htmlFile(t, 401, "nginx_401.html"), ErrNotOdoo, ErrSessionExpired,
			`answered 401 with an HTML page titled "401 Authorization Required": not an Odoo server?`},
		{"firewall 403", htmlAnswer(403, cloudflare), ErrNotOdoo, ErrAccessDenied,
			`answered 403 with an HTML page titled "Attention Required! | Cloudflare": not an Odoo server?`},
		{"html without a title", htmlAnswer(418, []byte("<html><body>teapot</body></html>")),
			ErrNotOdoo, ErrServer, "answered 418 with an HTML page without a title: not an Odoo server?"},
		{"odoo's own 500 page", htmlFile(t, 500, "odoo15_rest_login_500.html"), ErrServer, ErrNotOdoo,
			"answered 500 with an error page: 500 Internal Server Error"},
		{"gateway in front of odoo", htmlAnswer(502, []byte("<html><head><title>502 Bad Gateway"+
			"</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>")),
			ErrServer, ErrNotOdoo, "answered 502 with an error page: 502 Bad Gateway"},
		{"route missing", htmlFile(t, 404, "odoo16_rest_login_404.html"), ErrRouteMissing, ErrNotOdoo,
			"answered 404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := answerAll(t, tt.reply)
			got := c.Check(context.Background(), sid15, TransportCookie)
			if got.Accepted || !errors.Is(got.Err, tt.want) || errors.Is(got.Err, tt.notWant) {
				t.Fatalf("Check = %+v, want an error wrapping %v and not %v", got, tt.want, tt.notWant)
			}
			assertCleanError(t, got.Err, c.URL())
			if !strings.Contains(got.Err.Error(), PathCheck+" "+tt.contains) {
				t.Errorf("error %q lacks %q", got.Err, PathCheck+" "+tt.contains)
			}
		})
	}
}

func TestNotOdooHTMLOnRESTRoutes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		reply    answer
		contains string
	}{
		{"python http.server", htmlFile(t, 501, "python_http_server_501.html"),
			`answered 501 with an HTML page titled "Error response": not an Odoo server?`},
		{"basic auth proxy", htmlFile(t, 401, "nginx_401.html"),
			`answered 401 with an HTML page titled "401 Authorization Required"`},
		{"plain text 401", answer{status: 401, ctype: "text/plain", body: []byte("Unauthorized")},
			`answered 401 with content type "text/plain": Unauthorized`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := answerAll(t, tt.reply)
			_, err := c.Logout(context.Background(), sid15, TransportHeader)
			wantNotOdoo(t, err, c.URL(), PathRESTLogout+" "+tt.contains)
			if errors.Is(err, ErrSessionExpired) || errors.Is(err, ErrServer) {
				t.Errorf("Logout error %v also claims a session or server error", err)
			}
			_, err = c.Login(context.Background(), qaLogin("qa"))
			wantNotOdoo(t, err, c.URL(), PathRESTLogin+" "+tt.contains)
		})
	}
}

func TestUnknownJSONErrorStatus(t *testing.T) {
	t.Parallel()
	c := answerAll(t, jsonAnswer(http.StatusInternalServerError, []byte(`{"ok": false}`)))
	_, err := c.Login(context.Background(), qaLogin("qa"))
	wantNotOdoo(t, err, c.URL(), "answered 500: expected a session_info with uid and session.sid, "+
		"got a JSON object with keys ok")
	if errors.Is(err, ErrUnknownDatabase) {
		t.Errorf("Login error %v guesses an unknown database from a body Odoo never sends", err)
	}
}
