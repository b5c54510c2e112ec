package odoo

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testTimeout bounds each request in tests that do not test timeouts.
const testTimeout = 5 * time.Second

// Session ids as the transcripts hand them out.
const (
	sid15   = "6df14ba1d0425ab4ff00ae7df09bc32cd7b7be63"
	sid16   = "a1bfdec5f2d630fb4b012ba0b5af2ca897d4d33a"
	sid18   = "m3GAZV9pbglOGuyY2qeIk5VAMBavBdrykSt14Lf471KxysoDK6oV3lYTsogxZ4OC_jAoC3QzybUFvYVo60bk"
	halfSID = "8478e0ae19aafb97dbace446a3d15e2f24609741"
	fullSID = "bdbba56ed7cf39942bf4667dd0942067391c24ba"
	testPwd = "qa-pass-1"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	return b
}

// route answers one request of a fake Odoo; it may check the request with
// t.Errorf.
type route func(t *testing.T, r *http.Request, body []byte) answer

// answer is a canned reply.
type answer struct {
	status   int
	ctype    string
	body     []byte
	cookie   string // session_id to set, if any
	location string
}

func jsonFile(t *testing.T, status int, name string) answer {
	return jsonAnswer(status, readTestdata(t, name))
}

func htmlFile(t *testing.T, status int, name string) answer {
	return htmlAnswer(status, readTestdata(t, name))
}

func xmlFile(t *testing.T, name string) answer {
	return xmlAnswer(readTestdata(t, name))
}

// qaLogin is the login of the transcripts' internal user on db.
func qaLogin(db string) LoginRequest {
	return LoginRequest{DB: db, Login: "qa_user", Password: testPwd}
}

func jsonAnswer(status int, body []byte) answer {
	return answer{status: status, ctype: "application/json", body: body}
}

func htmlAnswer(status int, body []byte) answer {
	return answer{status: status, ctype: "text/html; charset=utf-8", body: body}
}

func xmlAnswer(body []byte) answer {
	return answer{status: http.StatusOK, ctype: "text/xml; charset=utf-8", body: body}
}

// fakeOdoo is a test server that serves, for each "METHOD /path", the
// listed routes in order and fails the test on anything else.
type fakeOdoo struct {
	t      *testing.T
	mu     sync.Mutex
	routes map[string][]route
	calls  []string
}

func newFakeOdoo(t *testing.T, routes map[string][]route) (*fakeOdoo, *Client) {
	t.Helper()
	f := &fakeOdoo{t: t, routes: routes}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL+"/", WithTimeout(testTimeout))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f, c
}

func (f *fakeOdoo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	key := r.Method + " " + r.URL.Path
	f.mu.Lock()
	f.calls = append(f.calls, key)
	queue := f.routes[key]
	var h route
	if len(queue) > 0 {
		h, f.routes[key] = queue[0], queue[1:]
	}
	f.mu.Unlock()
	if h == nil {
		f.t.Errorf("unexpected request %s", key)
		w.WriteHeader(599)
		return
	}
	if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "odoo-sessions/") {
		f.t.Errorf("%s: User-Agent %q", key, ua)
	}
	a := h(f.t, r, body)
	if a.cookie != "" {
		http.SetCookie(w, &http.Cookie{Name: "session_id", Value: a.cookie, MaxAge: 604800,
			HttpOnly: true, Path: "/"})
	}
	if a.location != "" {
		w.Header().Set("Location", a.location)
	}
	if a.ctype != "" {
		w.Header().Set("Content-Type", a.ctype)
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// callLog returns the requests served so far.
func (f *fakeOdoo) callLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// unserved returns the routes that were never asked for.
func (f *fakeOdoo) unserved() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var left []string
	for k, q := range f.routes {
		for range q {
			left = append(left, k)
		}
	}
	return left
}

// carriers returns the transports that carry a session id in r, with the
// value each carries.
func carriers(r *http.Request) map[Transport]string {
	got := map[Transport]string{}
	if v := r.Header.Get("X-Openerp-Session-Id"); v != "" {
		got[TransportHeader] = v
	}
	if r.Header.Get("Cookie") != "" {
		ck, err := r.Cookie("session_id")
		got[TransportCookie] = "<other cookie>"
		if err == nil {
			got[TransportCookie] = ck.Value
		}
	}
	if v := r.URL.Query().Get("session_id"); v != "" {
		got[TransportParam] = v
	}
	return got
}

// wantOnly fails unless r carries sid by transport t and by nothing else;
// t == "" asserts that no session id travels at all.
func wantOnly(t *testing.T, r *http.Request, tr Transport, sid string) {
	t.Helper()
	got := carriers(r)
	want := map[Transport]string{}
	if tr != "" {
		want[tr] = sid
	}
	if len(got) != len(want) || got[tr] != want[tr] {
		t.Errorf("%s %s: session id carried by %v, want only %q by %q", r.Method, r.URL.Path,
			keys(got), Fingerprint(sid), tr)
	}
}

func keys(m map[Transport]string) []Transport {
	var out []Transport
	for k := range m {
		out = append(out, k)
	}
	return out
}

// wantJSONRPC fails unless the request is a JSON-RPC call and returns its
// params.
func wantJSONRPC(t *testing.T, r *http.Request, body []byte) map[string]any {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q, want application/json", r.URL.Path, ct)
	}
	var call struct {
		JSONRPC string         `json:"jsonrpc"`
		Method  string         `json:"method"`
		Params  map[string]any `json:"params"`
	}
	if err := json.Unmarshal(body, &call); err != nil {
		t.Errorf("%s: body is not JSON: %v", r.URL.Path, err)
	}
	if call.JSONRPC != "2.0" || call.Method != "call" || call.Params == nil {
		t.Errorf("%s: body %s is not a JSON-RPC call with params", r.URL.Path, body)
	}
	return call.Params
}

// serve returns a route that checks the sid transport and answers a.
func serve(tr Transport, sid string, a answer) route {
	return func(t *testing.T, r *http.Request, _ []byte) answer {
		wantOnly(t, r, tr, sid)
		return a
	}
}

// serveRPC is serve for JSON-RPC calls.
func serveRPC(tr Transport, sid string, a answer) route {
	return func(t *testing.T, r *http.Request, body []byte) answer {
		wantOnly(t, r, tr, sid)
		wantJSONRPC(t, r, body)
		return a
	}
}
