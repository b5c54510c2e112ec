package demoserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock, safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

// newFakeClock starts a clock at the replay's date.
func newFakeClock() *fakeClock {
	return &fakeClock{t: replayNow}
}

// Now returns the clock's time.
func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock.
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// answer is a response with its body read.
type answer struct {
	*http.Response
	body string
}

// send serves one request; headers are name, value pairs.
func send(t *testing.T, h http.Handler, method, target, body string, headers ...string) answer {
	t.Helper()
	req := httptest.NewRequest(method, "http://127.0.0.1:8069"+target, strings.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return answer{rec.Result(), rec.Body.String()}
}

// decode parses a JSON body.
func (a answer) decode(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(a.body), &m); err != nil {
		t.Fatalf("decode %q: %v", a.body, err)
	}
	return m
}

// sid returns the session_id cookie the answer sets, "" when none.
func (a answer) sid() string {
	return sessionCookie(a.Header)
}

// jsonCall posts a JSON-RPC call with params; headers as in send.
func jsonCall(t *testing.T, h http.Handler, path string, params map[string]any, headers ...string) answer {
	t.Helper()
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "params": params})
	if err != nil {
		t.Fatal(err)
	}
	return send(t, h, http.MethodPost, path, string(b),
		append([]string{"Content-Type", "application/json"}, headers...)...)
}

// errorCode returns error.code of a JSON-RPC answer, 0 when it succeeded.
func errorCode(t *testing.T, a answer) int {
	t.Helper()
	e, _ := a.decode(t)["error"].(map[string]any)
	code, _ := e["code"].(float64)
	return int(code)
}

// newServer builds a server or fails the test.
func newServer(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// restLogin logs in through /session/auth/login and returns the answer.
func restLogin(t *testing.T, h http.Handler, login, password string) answer {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"login": login, "password": password})
	return send(t, h, http.MethodPost, "/session/auth/login", string(b), "Content-Type", "application/json")
}
