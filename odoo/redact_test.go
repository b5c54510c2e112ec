package odoo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// oddSID has characters that query and path escaping change.
const oddSID = "Zm9v+YmFy/YmF6=cXV4LTEyMzQ1Njc4OTA"

// syncBuffer is a bytes.Buffer safe for a logger shared by parallel calls.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// sidForms returns the ways sid can be written into a URL or a header.
func sidForms(sid string) []string {
	return []string{sid, url.QueryEscape(sid), url.PathEscape(sid)}
}

// assertNoSID fails if text shows sid in any of its forms.
func assertNoSID(t *testing.T, what, text, sid string) {
	t.Helper()
	for _, form := range sidForms(sid) {
		if strings.Contains(text, form) {
			t.Errorf("%s reveals the session id %s:\n%s", what, Fingerprint(sid), text)
			return
		}
	}
}

// sidCalls are the exported methods that send a session id, as functions
// returning their error.
var sidCalls = []struct {
	name string
	run  func(ctx context.Context, c *Client, sid string, t Transport) error
}{
	{"check", func(ctx context.Context, c *Client, sid string, t Transport) error {
		return c.Check(ctx, sid, t).Err
	}},
	{"session info", func(ctx context.Context, c *Client, sid string, t Transport) error {
		_, err := c.SessionInfo(ctx, sid, t)
		return err
	}},
	{"logout", func(ctx context.Context, c *Client, sid string, t Transport) error {
		_, err := c.Logout(ctx, sid, t)
		return err
	}},
}

func TestTransportErrorsHideSID(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	release := make(chan struct{})
	blocking := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(blocking.Close)
	t.Cleanup(func() { close(release) })

	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)

	modes := []struct {
		name    string
		url     string
		timeout time.Duration
		want    error
	}{
		{"connection refused", refused, testTimeout, ErrUnreachable},
		{"timeout", blocking.URL, 50 * time.Millisecond, ErrTimeout},
		{"tls", tlsSrv.URL, testTimeout, ErrTLS},
	}
	for _, m := range modes {
		for _, sc := range sidCalls {
			for _, tr := range Transports {
				for _, sid := range []string{sid15, sid18, oddSID} {
					name := fmt.Sprintf("%s/%s/%s/%s", m.name, sc.name, tr, Fingerprint(sid))
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						var logs syncBuffer
						c, err := New(m.url, WithTimeout(m.timeout),
							WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
						if err != nil {
							t.Fatal(err)
						}
						err = sc.run(context.Background(), c, sid, tr)
						if !errors.Is(err, m.want) {
							t.Fatalf("error = %v, want %v", err, m.want)
						}
						assertCleanError(t, err, c.URL())
						assertNoSID(t, "error", err.Error(), sid)
						assertNoSID(t, "log", logs.String(), sid)
						if !strings.Contains(logs.String(), "session="+Fingerprint(sid)) {
							t.Errorf("log lacks the session fingerprint:\n%s", logs.String())
						}
						if m.name == "connection refused" && tr == TransportParam &&
							!strings.Contains(err.Error(), "session_id=redacted-"+Fingerprint(sid)) {
							t.Errorf("error %q does not show the parameter as a fingerprint", err)
						}
					})
				}
			}
		}
	}
}

// sentSID returns the session id a request carries, by whatever transport.
func sentSID(r *http.Request) string {
	for _, v := range carriers(r) {
		return v
	}
	return ""
}

func TestServerEchoHidesSID(t *testing.T) {
	t.Parallel()
	echoes := []struct {
		name  string
		reply func(sid string) answer
	}{
		{"json-rpc error message", func(sid string) answer {
			return jsonAnswer(http.StatusOK, []byte(`{"jsonrpc": "2.0", "id": null, "error": `+
				`{"code": 200, "message": "Odoo Server Error", "data": {"name": "builtins.KeyError", `+
				`"message": "no session `+sid+`"}}}`))
		}},
		{"html page title", func(sid string) answer {
			return htmlAnswer(http.StatusTeapot, []byte("<title>session "+sid+"</title>"))
		}},
		{"plain text body", func(sid string) answer {
			return answer{status: http.StatusBadGateway, ctype: "text/plain",
				body: []byte("upstream refused session_id=" + url.QueryEscape(sid))}
		}},
	}
	for _, echo := range echoes {
		for _, sc := range sidCalls {
			for _, tr := range Transports {
				t.Run(echo.name+"/"+sc.name+"/"+string(tr), func(t *testing.T) {
					t.Parallel()
					srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						a := echo.reply(sentSID(r))
						w.Header().Set("Content-Type", a.ctype)
						w.WriteHeader(a.status)
						_, _ = w.Write(a.body)
					}))
					defer srv.Close()
					c, _ := New(srv.URL, WithTimeout(testTimeout))
					err := sc.run(context.Background(), c, oddSID, tr)
					if err == nil {
						t.Fatal("no error")
					}
					assertCleanError(t, err, c.URL())
					assertNoSID(t, "error", err.Error(), oddSID)
					if !strings.Contains(err.Error(), "redacted-"+Fingerprint(oddSID)) {
						t.Errorf("error %q does not show where the session id was", err)
					}
				})
			}
		}
	}
}
