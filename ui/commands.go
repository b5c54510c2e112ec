package ui

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// reqKey stamps a request; a reply whose key is no longer the one the model
// waits for is stale and dropped.
type reqKey uint64

// tickMsg is the one-second heartbeat that drives every countdown.
type tickMsg struct {
	at  time.Time
	tag int
}

// storeFingerprint summarises a session list cheaply enough to tell whether
// another console changed the store.
type storeFingerprint struct {
	n   int
	sum uint64
}

// sessionsLoadedMsg carries the store's content after a load or a poll.
type sessionsLoadedMsg struct {
	key       reqKey
	list      []sessions.Session
	fp        storeFingerprint
	unchanged bool
	err       error
}

// infoLoadedMsg carries the stored session_info of one session.
type infoLoadedMsg struct {
	key  reqKey
	id   string
	info json.RawMessage
	// hist is the stored check history, nil when the store keeps none.
	hist map[string][]sessions.Check
	err  error
}

// sessionsSavedMsg reports a write to the store and the merged result.
type sessionsSavedMsg struct {
	key  reqKey
	list []sessions.Session
	fp   storeFingerprint
	err  error
}

// loginDoneMsg reports a login or the completion of a two-factor login,
// and what the login found out about the REST module. at is when the
// server's answer came, which is when it saved the session.
type loginDoneMsg struct {
	key    reqKey
	url    string
	login  string
	db     string
	res    *odoo.LoginResult
	at     time.Time
	err    error
	module moduleReport
}

// moduleReport is the state of the REST login module on the session's
// database as seen right after a login.
type moduleReport struct {
	// state is "installed", "uninstalled", ... or "absent"; "" when unknown.
	state string
	// note says why the state is unknown.
	note string
	// routeMissing is set when the state is unknown and the login saw
	// /session/auth/login answer 404 with a plain page.
	routeMissing bool
}

// unknownLine is the report's line when the state is unknown: the REST
// route's 404 says more than a failed XML-RPC lookup.
func (r moduleReport) unknownLine() string {
	if r.routeMissing {
		return "REST module: not answering here (" + odoo.PathRESTLogin + " 404)"
	}
	return "REST module unknown: " + r.note
}

// probeDoneMsg reports what a server said about itself.
type probeDoneMsg struct {
	key     reqKey
	url     string
	version odoo.ServerVersion
	verErr  error
	dbs     []string
	dbErr   error
}

// checkDoneMsg reports the checks of one session through some transports.
type checkDoneMsg struct {
	key     reqKey
	bulkKey reqKey
	id      string
	results []odoo.CheckResult
}

// logoutDoneMsg reports a logout.
type logoutDoneMsg struct {
	key       reqKey
	id        string
	transport odoo.Transport
	res       odoo.LogoutResult
	err       error
}

// detailsDoneMsg reports a session_info fetch, which the server counts as a
// save of the session.
type detailsDoneMsg struct {
	key  reqKey
	id   string
	info odoo.SessionInfo
	at   time.Time
	err  error
}

// clientPool hands out one client per server URL; commands share it.
type clientPool struct {
	mu    sync.Mutex
	make  func(url string) (Client, error)
	byURL map[string]Client
}

func newClientPool(make func(url string) (Client, error)) *clientPool {
	return &clientPool{make: make, byURL: map[string]Client{}}
}

// get returns the client for url, building it on first use.
func (p *clientPool) get(url string) (Client, error) {
	p.mu.Lock()
	defer p.mu.Unlock()

	if c, ok := p.byURL[url]; ok {
		return c, nil
	}
	c, err := p.make(url)
	if err != nil {
		// The maker's error names the URL already (see Config.NewClient).
		return nil, err
	}
	p.byURL[url] = c
	return c, nil
}

// tickCmd arms the next heartbeat; the clock stamps it so tests can fix time.
func tickCmd(clock func() time.Time, tag int) tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg {
		return tickMsg{at: clock(), tag: tag}
	})
}

// loadSessionsCmd reads the whole store.
func loadSessionsCmd(store SessionStore, key reqKey) tea.Cmd {
	return func() tea.Msg {
		list, err := store.Load()
		return sessionsLoadedMsg{key: key, list: list, fp: fingerprintList(list), err: err}
	}
}

// watchStoreCmd asks the store whether another console changed it and
// reloads only then.
func watchStoreCmd(store SessionStore, key reqKey, last storeFingerprint) tea.Cmd {
	return func() tea.Msg {
		if cr, ok := store.(ChangeReporter); ok && !cr.Changed() {
			return sessionsLoadedMsg{key: key, unchanged: true}
		}
		list, err := store.Load()
		fp := fingerprintList(list)
		if err == nil && fp == last {
			return sessionsLoadedMsg{key: key, unchanged: true}
		}
		return sessionsLoadedMsg{key: key, list: list, fp: fp, err: err}
	}
}

// saveSessionsCmd writes recs into the store, replacing records with the
// same ID and appending new ones. recs must not be shared with the model.
func saveSessionsCmd(store SessionStore, key reqKey, recs []sessions.Session) tea.Cmd {
	return func() tea.Msg {
		list, err := store.Update(func(cur []sessions.Session) []sessions.Session {
			return mergeRecords(cur, recs)
		})
		return sessionsSavedMsg{key: key, list: list, fp: fingerprintList(list), err: err}
	}
}

// mergeRecords replaces or appends each record of recs in cur.
func mergeRecords(cur, recs []sessions.Session) []sessions.Session {
	pos := make(map[string]int, len(cur))
	for i, s := range cur {
		pos[s.ID] = i
	}
	for _, r := range recs {
		if i, ok := pos[r.ID]; ok {
			cur[i] = r
			continue
		}
		pos[r.ID] = len(cur)
		cur = append(cur, r)
	}
	return cur
}

// fingerprintList hashes the identity and last update of every record.
func fingerprintList(list []sessions.Session) storeFingerprint {
	h := fnv.New64a()
	var buf [8]byte
	for _, s := range list {
		h.Write([]byte(s.ID))
		n := s.UpdatedAt.UnixNano()
		for i := range buf {
			buf[i] = byte(n >> (8 * i))
		}
		h.Write(buf[:])
		if s.Forgotten {
			h.Write([]byte{1})
		}
	}
	return storeFingerprint{n: len(list), sum: h.Sum64()}
}

// loginCmd logs in and, once logged in, asks for the REST module's state
// with the same password. The password lives only in req, inside this
// closure; a failed module lookup never fails the login.
func loginCmd(p *clientPool, clock func() time.Time, url string, req odoo.LoginRequest,
	key reqKey, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		msg := loginDoneMsg{key: key, url: url, login: req.Login, db: req.DB}
		c, err := p.get(url)
		if err != nil {
			msg.err = err
			return msg
		}

		// The client bounds each request; this bounds them together
		// without cutting the last one short.
		ctx, cancel := context.WithTimeout(context.Background(), loginRequests*timeout)
		defer cancel()
		msg.res, msg.err = c.Login(ctx, req)
		msg.at = clock()
		if msg.err == nil && msg.res != nil {
			msg.module = lookUpModule(c, req, msg.res, hostOf(url), timeout)
		}
		return msg
	}
}

// loginRequests is how many requests a login can take: the REST route,
// then stock Odoo's, a database to bind first, the two-factor page.
const loginRequests = 4

// restModule is the OCA module that provides /session/auth/login.
const restModule = "base_rest_auth_user_service"

// moduleTimeout bounds the module lookup, which holds the login's reply.
const moduleTimeout = 5 * time.Second

// LookUpModule says, right after a login with req and while its password is
// at hand, whether the REST module is installed on the database the login
// reached: its state ("installed", "uninstalled", ..., "absent"), or "" and a
// line saying why it is unknown. The command line's login uses it too.
func LookUpModule(c Client, req odoo.LoginRequest, res *odoo.LoginResult, host string,
	timeout time.Duration) (state, unknown string) {
	r := lookUpModule(c, req, res, host, timeout)
	if r.state != "" {
		return r.state, ""
	}
	return "", r.unknownLine()
}

// lookUpModule asks XML-RPC for restModule's state on the database the
// login reached, unless the login itself went through the module.
func lookUpModule(c Client, req odoo.LoginRequest, res *odoo.LoginResult, host string,
	timeout time.Duration) moduleReport {
	if res.Method == odoo.MethodREST {
		// Only the module serves /session/auth/login, and it just answered.
		return moduleReport{state: "installed"}
	}
	r := askModuleState(c, req, res, host, timeout)
	r.routeMissing = r.state == "" && restRouteMissing(res.Notes)
	return r
}

// restRouteMissing says whether the login's notes tell that
// /session/auth/login answered 404 with a plain page.
func restRouteMissing(notes []string) bool {
	for _, n := range notes {
		if strings.HasPrefix(n, odoo.PathRESTLogin+" answered 404") {
			return true
		}
	}
	return false
}

// askModuleState asks XML-RPC for restModule's state.
func askModuleState(c Client, req odoo.LoginRequest, res *odoo.LoginResult, host string,
	timeout time.Duration) moduleReport {
	if res.TOTPRequired || res.TwoFactor {
		// XML-RPC authenticate answers false for them: only an API key
		// works. The password is not sent again for nothing.
		return moduleReport{note: "XML-RPC refuses passwords of two-factor users (an API key works)"}
	}
	db := cmp.Or(res.Info.DB, res.BoundDB, req.DB)
	if db == "" {
		return moduleReport{note: "the login did not say which database it reached"}
	}

	ctx, cancel := context.WithTimeout(context.Background(), min(timeout, moduleTimeout))
	defer cancel()
	state, err := c.ModuleState(ctx, db, req.Login, req.Password, restModule)
	switch {
	case err == nil && state == "":
		return moduleReport{state: "absent"}
	case err == nil:
		return moduleReport{state: odoo.Sanitize(state, 30)}
	case errors.Is(err, odoo.ErrAuthFailed):
		return moduleReport{note: "XML-RPC refused the password"}
	case errors.Is(err, odoo.ErrAccessDenied):
		return moduleReport{note: odoo.Sanitize(req.Login, 40) + " may not read ir.module.module"}
	case errors.Is(err, odoo.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return moduleReport{note: "XML-RPC did not answer in time"}
	case errors.Is(err, odoo.ErrUnreachable):
		return moduleReport{note: "XML-RPC could not be reached"}
	case errors.Is(err, odoo.ErrRouteMissing), errors.Is(err, odoo.ErrNotOdoo):
		return moduleReport{note: "no XML-RPC answer (a proxy may block /xmlrpc/2)"}
	}
	return moduleReport{note: errorText(err, host)}
}

// completeTOTPCmd finishes a two-factor login with its six-digit code.
func completeTOTPCmd(p *clientPool, clock func() time.Time, url, halfSID, code, login,
	db string, key reqKey, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		msg := loginDoneMsg{key: key, url: url, login: login, db: db}
		c, err := p.get(url)
		if err != nil {
			msg.err = err
			return msg
		}

		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		msg.res, msg.err = c.CompleteTOTP(ctx, halfSID, code)
		msg.at = clock()
		return msg
	}
}

// probeServerCmd asks a server for its version and its databases at once.
func probeServerCmd(p *clientPool, url string, key reqKey, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		msg := probeDoneMsg{key: key, url: url}
		c, err := p.get(url)
		if err != nil {
			msg.verErr, msg.dbErr = err, err
			return msg
		}

		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		var wg sync.WaitGroup
		wg.Go(func() { msg.version, msg.verErr = c.Version(ctx) })
		wg.Go(func() { msg.dbs, msg.dbErr = c.ListDatabases(ctx) })
		wg.Wait()
		return msg
	}
}

// checkSessionCmd tests sid through each transport of ts. With parallel the
// transports are tried at once; otherwise one after the other, so that a
// bulk check keeps one request per session in flight, and a server that
// cannot be reached or does not answer in time is not asked again for the
// other transports. Cancelling parent ends the requests on their way.
func checkSessionCmd(parent context.Context, p *clientPool, url, sid string,
	ts []odoo.Transport, parallel bool, id string, key, bulkKey reqKey,
	timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		msg := checkDoneMsg{key: key, bulkKey: bulkKey, id: id}
		msg.results = make([]odoo.CheckResult, len(ts))
		c, err := p.get(url)
		if err != nil {
			for i, t := range ts {
				msg.results[i] = odoo.CheckResult{Transport: t, Err: err}
			}
			return msg
		}

		check := func(i int) {
			ctx, cancel := context.WithTimeout(parent, timeout)
			defer cancel()
			msg.results[i] = c.Check(ctx, sid, ts[i])
			msg.results[i].Transport = ts[i]
		}
		if parallel {
			var wg sync.WaitGroup
			for i := range ts {
				wg.Go(func() { check(i) })
			}
			wg.Wait()
			return msg
		}
		for i := range ts {
			check(i)
			if err := msg.results[i].Err; errors.Is(err, odoo.ErrUnreachable) ||
				errors.Is(err, odoo.ErrTimeout) {
				// The other transports stay unchecked, not failed.
				msg.results = msg.results[:i+1]
				break
			}
		}
		return msg
	}
}

// logoutCmd ends a session through one transport.
func logoutCmd(p *clientPool, url, sid string, t odoo.Transport, id string, key reqKey,
	timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		msg := logoutDoneMsg{key: key, id: id, transport: t}
		c, err := p.get(url)
		if err != nil {
			msg.err = err
			return msg
		}

		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		msg.res, msg.err = c.Logout(ctx, sid, t)
		return msg
	}
}

// fetchDetailsCmd calls get_session_info, which resets the server's idle
// clock: the reply carries when that happened.
func fetchDetailsCmd(p *clientPool, clock func() time.Time, url, sid string, t odoo.Transport,
	id string, key reqKey, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		msg := detailsDoneMsg{key: key, id: id}
		c, err := p.get(url)
		if err != nil {
			msg.err = err
			return msg
		}

		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		msg.info, msg.err = c.SessionInfo(ctx, sid, t)
		msg.at = clock()
		return msg
	}
}
