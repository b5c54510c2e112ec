package odoo

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want, errText string
	}{
		{name: "trailing slash dropped", in: "http://127.0.0.1:8069/", want: "http://127.0.0.1:8069"},
		{name: "https with path", in: " https://erp.example.com/odoo// ", want: "https://erp.example.com/odoo"},
		{name: "empty", in: "", errText: "expected a URL"},
		{name: "no scheme", in: "127.0.0.1:8069", errText: "expected one such as http://"},
		{name: "host without scheme", in: "erp.example.com", errText: "expected http or https"},
		{name: "ftp", in: "ftp://h", errText: `scheme "ftp": expected http or https`},
		{name: "no host", in: "http:///web", errText: "no host"},
		{name: "credentials", in: "http://admin:admin@h:8069", errText: "credentials in the URL"},
		{name: "query", in: "http://h:8069/?db=qa", errText: "query or fragment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.in)
			if tt.errText != "" {
				if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("New(%q) error = %v, want one containing %q", tt.in, err, tt.errText)
				}
				if strings.Contains(err.Error(), "admin:admin") {
					t.Errorf("error %q reveals the credentials", err)
				}
				return
			}
			if err != nil || c.URL() != tt.want {
				t.Fatalf("New(%q) = %v, %v; want URL %q", tt.in, c, err, tt.want)
			}
		})
	}
}

func TestNoCookieJarNoRedirect(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != PathCheck {
			t.Errorf("redirect followed to %s", r.URL.Path)
		}
		if got := carriers(r); len(got) != 1 || got[TransportHeader] != sid15 {
			t.Errorf("session id carried by %v, want the header only", keys(got))
		}
		http.SetCookie(w, &http.Cookie{Name: "session_id", Value: "anonymous"})
		http.Redirect(w, r, "/web/login", http.StatusSeeOther)
	}))
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(srv.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: "session_id", Value: "from-the-jar"}})
	c, err := New(srv.URL, WithHTTPClient(&http.Client{Jar: jar}))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		got := c.Check(context.Background(), sid15, TransportHeader)
		if got.Status != http.StatusSeeOther || got.Accepted || !errors.Is(got.Err, ErrNotOdoo) {
			t.Errorf("Check = %+v, want the 303 itself reported as not Odoo's answer", got)
		}
	}
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, _ := New("http://" + addr)
	_, err = c.Login(context.Background(), qaLogin("qa"))
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("Login error = %v, want ErrUnreachable", err)
	}
	assertCleanError(t, err, c.URL())
}

// rawServer answers every connection with raw, whatever the request, and
// closes it.
func rawServer(t *testing.T, raw string) string {
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
			go func() {
				defer conn.Close()
				buf := make([]byte, 4096)
				_, _ = conn.Read(buf)
				_, _ = io.WriteString(conn, raw)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

func TestAnswerNotHTTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, raw string
		kind      error
		text      string
	}{
		{"bad header", "HTTP/1.1 200 OK\r\nX-Evil\x1b[2J: 1\r\nbroken\r\n\r\n",
			ErrNotOdoo, "the answer is not valid HTTP: "},
		{"bad status line", "SSH-2.0-OpenSSH_9.6\r\n", ErrNotOdoo, "the answer is not valid HTTP: "},
		{"closed at once", "", ErrUnreachable, "the server closed the connection without an answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := New(rawServer(t, tt.raw))
			got := c.Check(context.Background(), sid15, TransportHeader)
			if !errors.Is(got.Err, tt.kind) {
				t.Fatalf("Check error = %v, want %v", got.Err, tt.kind)
			}
			assertCleanError(t, got.Err, c.URL())
			if !strings.Contains(got.Err.Error(), tt.text) {
				t.Errorf("error %q lacks %q", got.Err, tt.text)
			}
		})
	}
}

func TestDetail(t *testing.T) {
	t.Parallel()
	c, _ := New(rawServer(t, "SSH-2.0-OpenSSH_9.6\r\n"))
	got := c.Check(context.Background(), sid15, TransportParam)
	d := Detail(got.Err)
	if !strings.HasPrefix(d, "the answer is not valid HTTP: ") || strings.Contains(d, c.URL()) {
		t.Errorf("Detail = %q, want the detail without the server", d)
	}
	if strings.Contains(d, sid15) {
		t.Errorf("Detail %q shows the sid", d)
	}
	if Detail(errors.New("other")) != "" {
		t.Error("Detail of a foreign error is not empty")
	}
}

func TestTLSFailure(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	c, _ := New(srv.URL)
	got := c.Check(context.Background(), sid15, TransportCookie)
	if !errors.Is(got.Err, ErrTLS) {
		t.Fatalf("Check error = %v, want ErrTLS", got.Err)
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)

	t.Run("timeout", func(t *testing.T) {
		c, _ := New(srv.URL, WithTimeout(50*time.Millisecond))
		_, err := c.ListDatabases(context.Background())
		if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("ListDatabases error = %v, want ErrTimeout", err)
		}
		if !strings.Contains(err.Error(), "no answer within 50ms") {
			t.Errorf("error %q does not say how long it waited", err)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		c, _ := New(srv.URL)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		got := c.Check(ctx, sid15, TransportHeader)
		if !errors.Is(got.Err, ErrTimeout) || !errors.Is(got.Err, context.Canceled) {
			t.Fatalf("Check error = %v, want ErrTimeout wrapping context.Canceled", got.Err)
		}
	})
}

func TestLoggingAndUserAgent(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ua := r.Header.Get("User-Agent"); ua != "odoo-sessions/1.2.3" {
			t.Errorf("User-Agent %q", ua)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(readTestdata(t, "odoo15_rest_login_ok.json"))
	}))
	defer srv.Close()
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	c, _ := New(srv.URL, WithLogger(logger), WithUserAgent("odoo-sessions/1.2.3"))
	res, err := c.Login(context.Background(), qaLogin("qa"))
	if err != nil {
		t.Fatal(err)
	}
	c.Check(context.Background(), res.SID, TransportParam)
	out := logs.String()
	for _, want := range []string{"method=POST", "endpoint=/session/auth/login", "status=200",
		"endpoint=/web/session/check", "session=" + Fingerprint(sid15), "duration="} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{testPwd, sid15, "qa_user"} {
		if strings.Contains(out, secret) {
			t.Errorf("log reveals %q:\n%s", secret, out)
		}
	}
}

func TestRESTRouteAvailable(t *testing.T) {
	t.Parallel()
	html404 := htmlFile(t, 404, "odoo15_multidb_get_404.html")
	tests := []struct {
		name    string
		routes  map[string][]route
		want    bool
		wantErr error
	}{
		{"405 on GET", map[string][]route{"GET /session/auth/login": {serve("", "",
			htmlFile(t, 405, "odoo15_rest_login_get_405.html"))}}, true, nil},
		{"stock odoo", map[string][]route{
			"GET /session/auth/login":  {serve("", "", html404)},
			"POST /session/auth/login": {serve("", "", htmlFile(t, 404, "odoo16_rest_login_404.html"))},
		}, false, nil},
		{"several databases", map[string][]route{
			"GET /session/auth/login":  {serve("", "", html404)},
			"POST /session/auth/login": {serve("", "", jsonFile(t, 404, "odoo15_multidb_login_404.json"))},
		}, false, ErrNeedDatabase},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, c := newFakeOdoo(t, tt.routes)
			got, err := c.RESTRouteAvailable(context.Background())
			if got != tt.want || !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("RESTRouteAvailable = %v, %v; want %v, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestRESTRouteAvailableOn(t *testing.T) {
	t.Parallel()
	bound := htmlAnswer(302, nil)
	bound.cookie = "050028b602d3e747b1285d4c8d6f50cc69bdc38e"
	_, c := newFakeOdoo(t, map[string][]route{
		"GET /web/login":          {serve("", "", bound)},
		"GET /session/auth/login": {serve(TransportHeader, bound.cookie, htmlAnswer(405, nil))},
	})
	got, err := c.RESTRouteAvailableOn(context.Background(), "qa")
	if !got || err != nil {
		t.Errorf("RESTRouteAvailableOn = %v, %v; want true", got, err)
	}
}
