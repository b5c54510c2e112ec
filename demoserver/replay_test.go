package demoserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// replayTOTPSecret is the two-factor secret given to totp_user in the
// replay; the recorded code is replaced by this secret's current code.
const replayTOTPSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// replayNow is the fixed clock of the replay, the recording day.
var replayNow = time.Date(2026, 12, 3, 17, 49, 51, 0, time.UTC)

// replayOptions configures a server like the one a folder was recorded on.
func replayOptions(folder string) Options {
	clock := func() time.Time { return replayNow }
	qaUser := User{ID: 6, Login: "qa_user", Password: "qa-pass-1", Name: "QA User", PartnerID: 7}
	admin := User{ID: 2, Login: "admin", Password: "admin", Name: "Administrator", PartnerID: 3,
		Admin: true, System: true}
	if strings.HasPrefix(folder, "odoo15-transcripts/") {
		portal := User{ID: 7, Login: "portal_user", Password: "portal-pass-1", Name: "Portal User",
			PartnerID: 8, Portal: true}
		opts := Options{Version: 15, ListDB: true, Clock: clock, Databases: []Database{
			{Name: "qa", Users: []User{admin, qaUser, portal}},
			{Name: "qa2", Users: []User{admin, qaUser}},
		}}
		if folder == "odoo15-transcripts/single-db" {
			opts.DBFilter = "^qa$"
		}
		return opts
	}
	var version int
	fmt.Sscanf(folder, "odoo%d-transcripts", &version)
	totp := User{ID: 7, Login: "totp_user", Password: "totp-pass-1", Name: "TOTP User",
		PartnerID: 8, TOTPSecret: replayTOTPSecret}
	return Options{Version: version, ListDB: true, Clock: clock, Databases: []Database{
		{Name: fmt.Sprintf("qa%d", version), Users: []User{admin, qaUser, totp}},
	}}
}

// TestReplay replays every recorded exchange against a fresh server per
// folder and compares status, Content-Type, cookies and body shape.
func TestReplay(t *testing.T) {
	folders := loadExchanges(t)
	names := make([]string, 0, len(folders))
	for name := range folders {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) != 5 {
		t.Fatalf("found folders %v, want the five recorded ones", names)
	}
	for _, folder := range names {
		t.Run(folder, func(t *testing.T) {
			t.Parallel()
			srv, err := New(replayOptions(folder))
			if err != nil {
				t.Fatal(err)
			}
			r := &replayer{srv: srv, subst: map[string]string{}, ids: map[string]map[int]int{}}
			for _, ex := range folders[folder] {
				t.Run(path.Base(ex.File), func(t *testing.T) { r.step(t, ex) })
			}
		})
	}
}

// replayer carries what one folder's replay learnt: the server's values
// for the recorded sids and CSRF tokens, and for recorded record ids.
type replayer struct {
	srv   *Server
	subst map[string]string
	ids   map[string]map[int]int // model -> recorded id -> replayed id
}

// step sends one recorded request and compares the answer.
func (r *replayer) step(t *testing.T, ex exchange) {
	req := r.request(t, ex.Request)
	rec := httptest.NewRecorder()
	r.srv.ServeHTTP(rec, req)
	got := rec.Result()
	defer got.Body.Close()
	body := rec.Body.String()

	want := ex.Response
	wantHeader := http.Header{}
	for _, h := range want.Headers {
		wantHeader.Add(h[0], h[1])
	}
	if got.StatusCode != want.Status {
		t.Errorf("status %d, recorded %d", got.StatusCode, want.Status)
	}
	if g, w := got.Header.Get("Content-Type"), wantHeader.Get("Content-Type"); g != w {
		t.Errorf("Content-Type %q, recorded %q", g, w)
	}
	if g, w := cookieNames(got.Header), cookieNames(wantHeader); g != w {
		t.Errorf("Set-Cookie names [%s], recorded [%s]", g, w)
	}
	for _, problem := range compareBodies(wantHeader.Get("Content-Type"), want.Body, body) {
		t.Error(problem)
	}
	r.learn(wantHeader, got.Header, want.Body, body)
}

// request builds the recorded request with recorded values replaced by
// the ones this server handed out.
func (r *replayer) request(t *testing.T, m recordedMsg) *http.Request {
	t.Helper()
	body := r.replace(m.Body)
	body = totpPattern.ReplaceAllStringFunc(body, func(string) string {
		code, err := TOTPCode(replayTOTPSecret, replayNow)
		if err != nil {
			t.Fatal(err)
		}
		return "totp_token=" + code
	})
	body = r.mapIDs(body)
	req := httptest.NewRequest(m.Method, "http://127.0.0.1"+r.replace(m.Target), strings.NewReader(body))
	for _, h := range m.Headers {
		switch http.CanonicalHeaderKey(h[0]) {
		case "Host":
			req.Host = h[1]
		case "Content-Length", "Connection":
		default:
			req.Header.Add(h[0], r.replace(h[1]))
		}
	}
	return req
}

var (
	totpPattern = regexp.MustCompile(`totp_token=\d{6}`)
	csrfPattern = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
)

// replace substitutes every recorded value learnt so far.
func (r *replayer) replace(s string) string {
	for from, to := range r.subst {
		s = strings.ReplaceAll(s, from, to)
	}
	return s
}

// mapIDs rewrites the record ids of a call_kw request (args[0]) with the
// ids this server gave the same records.
func (r *replayer) mapIDs(body string) string {
	var req map[string]any
	if json.Unmarshal([]byte(body), &req) != nil {
		return body
	}
	params, _ := req["params"].(map[string]any)
	model, _ := params["model"].(string)
	args, _ := params["args"].([]any)
	ids, _ := arg(args, 0).([]any)
	if r.ids[model] == nil || len(ids) == 0 {
		return body
	}
	for i, v := range ids {
		if n, ok := toInt(v); ok {
			if m, ok := r.ids[model][n]; ok {
				ids[i] = m
			}
		}
	}
	b, err := json.Marshal(req)
	if err != nil {
		return body
	}
	return string(b)
}

// learn pairs the recorded values of an answer with the replayed ones:
// session cookies, the REST body's sid, CSRF tokens and record ids.
func (r *replayer) learn(wantHeader, gotHeader http.Header, wantBody, gotBody string) {
	w, g := sessionCookie(wantHeader), sessionCookie(gotHeader)
	if w != "" && g != "" {
		r.subst[w] = g
	}
	wm, gm := csrfPattern.FindStringSubmatch(wantBody), csrfPattern.FindStringSubmatch(gotBody)
	if wm != nil && gm != nil {
		r.subst[wm[1]] = gm[1]
	}
	var wj, gj map[string]any
	if json.Unmarshal([]byte(wantBody), &wj) != nil || json.Unmarshal([]byte(gotBody), &gj) != nil {
		return
	}
	if ws, gs := restSID(wj), restSID(gj); ws != "" && gs != "" {
		r.subst[ws] = gs
	}
	r.learnIDs(wj["result"], gj["result"])
}

// learnIDs maps res.device rows (by session identifier) and the wizard of
// an act_window answer.
func (r *replayer) learnIDs(want, got any) {
	if wa, ok := want.(map[string]any); ok {
		ga, _ := got.(map[string]any)
		model, _ := wa["res_model"].(string)
		wid, ok1 := toInt(wa["res_id"])
		gid, ok2 := toInt(ga["res_id"])
		if model != "" && ok1 && ok2 {
			r.idMap(model)[wid] = gid
		}
		return
	}
	wrows, _ := want.([]any)
	grows, _ := got.([]any)
	for _, wr := range wrows {
		wrow, _ := wr.(map[string]any)
		ident, _ := wrow["session_identifier"].(string)
		wid, _ := toInt(wrow["id"])
		for from, to := range r.subst {
			if ident == "" || !strings.HasPrefix(from, ident) || len(to) < identifierLen {
				continue
			}
			for _, gr := range grows {
				grow, _ := gr.(map[string]any)
				if grow["session_identifier"] == to[:identifierLen] {
					r.idMap("res.device")[wid], _ = toInt(grow["id"])
				}
			}
		}
	}
}

// idMap returns the id map of a model, creating it.
func (r *replayer) idMap(model string) map[int]int {
	if r.ids[model] == nil {
		r.ids[model] = map[int]int{}
	}
	return r.ids[model]
}

// sessionCookie returns the session_id value an answer sets, or "".
func sessionCookie(h http.Header) string {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "session_id" {
			return c.Value
		}
	}
	return ""
}

// cookieNames lists the names of the cookies an answer sets.
func cookieNames(h http.Header) string {
	var names []string
	for _, c := range (&http.Response{Header: h}).Cookies() {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	return strings.Join(names, ",")
}

// restSID returns session.sid of a REST login body.
func restSID(body map[string]any) string {
	sess, _ := body["session"].(map[string]any)
	sid, _ := sess["sid"].(string)
	return sid
}
