package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// handleKey routes a key press and clears the status line when the key
// started an action that left no message of its own.
func (m model) handleKey(msg tea.KeyPressMsg) (model, tea.Cmd) {
	seq, keep := m.statusSeq, m.keepsStatus(msg)
	m, cmd := m.routeKey(msg)
	if !keep && m.statusSeq == seq {
		m.status = status{}
	}
	return m, cmd
}

// routeKey routes a key press: global keys first, then the screen's.
func (m model) routeKey(msg tea.KeyPressMsg) (model, tea.Cmd) {
	k := m.c.keys
	switch {
	case key.Matches(msg, k.Kill):
		return m.quit()
	case m.confirm != nil:
		return m.handleConfirmKey(msg)
	case m.help.ShowAll:
		if key.Matches(msg, k.Quit) {
			return m.quit()
		}
		if key.Matches(msg, k.Help, k.Back) {
			m.help.ShowAll = false
		}
		return m, nil
	case m.bulk.active && !m.bulk.stopped && key.Matches(msg, k.Back):
		m.bulk.stop()
		return m, nil
	case key.Matches(msg, k.Help):
		m.help.ShowAll = true
		return m, nil
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Answer):
		if msg := m.currentMessage(); msg != nil && m.screen != screenAnswer {
			m.answer.open(*msg, m.screen, m.list.reveal)
			m.screen = screenAnswer
			return m, nil
		}
	}
	switch m.screen {
	case screenAnswer:
		return m.handleAnswerKey(msg)
	case screenLogin:
		return m.handleLoginKey(msg)
	case screenTrack:
		return m.handleTrackKey(msg)
	case screenDetail:
		return m.handleDetailKey(msg)
	}
	return m.handleListKey(msg)
}

// handleListKey runs the list's actions; moves and the filter are the
// list's own business.
func (m model) handleListKey(msg tea.KeyPressMsg) (model, tea.Cmd) {
	k := m.c.keys
	sel := m.list.selected()
	switch {
	case m.list.filtering:
	case key.Matches(msg, k.Login):
		m.screen = screenLogin
		return m, m.login.focusField(m.login.firstEmpty())
	case key.Matches(msg, k.Track):
		m.screen = screenTrack
		// The server of the selected session, else the login form's.
		url := m.login.inputs[fieldURL].Value()
		if sel != nil {
			url = sel.URL
		}
		return m, m.track.open(url)
	case key.Matches(msg, k.Reveal):
		m.setReveal(!m.list.reveal)
		return m, nil
	case key.Matches(msg, k.CheckAll):
		return m.startBulk()
	case key.Matches(msg, k.Prune):
		m.askPrune()
		return m, nil
	case sel == nil:
	case key.Matches(msg, k.Open):
		m.screen = screenDetail
		m.detail.show(*sel)
		return m, m.loadInfoCmd(sel.ID)
	case key.Matches(msg, k.Check):
		return m, m.checkCmd(*sel, odoo.Transports, 0, true)
	case key.Matches(msg, k.Logout):
		return m, m.logoutCmd(*sel, m.logoutTransport(*sel))
	case key.Matches(msg, k.Forget):
		m.askForget(*sel)
		return m, nil
	}
	var cmd tea.Cmd
	m.list, cmd = m.list.Update(msg)
	return m, cmd
}

// forget drops sessions from the list and marks them forgotten in the store.
func (m *model) forget(ids []string) tea.Cmd {
	recs := make([]sessions.Session, 0, len(ids))
	for _, id := range ids {
		s := m.list.session(id)
		if s == nil {
			continue
		}
		r := *s
		r.Forgotten, r.UpdatedAt = true, m.now
		recs = append(recs, r)
		m.forgotten[id] = true
	}
	m.list.remove(ids...)
	if m.screen == screenDetail {
		m.screen = screenList
	}
	if len(recs) == 1 {
		m.info(fmt.Sprintf("forgot %s on %s", who(recs[0], 40), hostOf(recs[0].URL)))
	} else {
		m.info("forgot " + plural(len(recs), "session", "sessions"))
	}
	return m.persist(recs...)
}

// preferredTransport is the transport to fetch details through: the
// header when it is known to work, else another one known to work, else the
// logout default.
func preferredTransport(s sessions.Session) odoo.Transport {
	if c, ok := s.LastCheck(sessions.TransportHeader); ok && c.Accepted {
		return odoo.TransportHeader
	}
	for _, t := range odoo.Transports {
		if c, ok := s.LastCheck(string(t)); ok && c.Accepted {
			return t
		}
	}
	return defaultLogout(s)
}

// logoutTransport is the transport a logout uses unless the user picks
// one: the cookie for a web login or a sid tracked from elsewhere (most
// often a browser's cookie), since the browser's way is the one every Odoo
// reads, and for any session whose checks saw the cookie accepted and the
// header not (stock Odoo 16 and 18 read only the cookie), or whose server
// refused a logout by another transport while reading the cookie; the
// header for REST logins otherwise, as the REST module expects.
func (m model) logoutTransport(s sessions.Session) odoo.Transport {
	if m.cookieOnly[s.ID] {
		return odoo.TransportCookie
	}
	return defaultLogout(s)
}

// defaultLogout is logoutTransport from what the session record says.
func defaultLogout(s sessions.Session) odoo.Transport {
	if s.Method == "web" || s.Method == "tracked" {
		return odoo.TransportCookie
	}
	c, ok := s.LastCheck(sessions.TransportCookie)
	h, hok := s.LastCheck(sessions.TransportHeader)
	if ok && c.Accepted && c.Err == "" && !(hok && h.Accepted) {
		return odoo.TransportCookie
	}
	return odoo.TransportHeader
}

// checkCmd starts a check of s through ts.
func (m *model) checkCmd(s sessions.Session, ts []odoo.Transport, bulk reqKey,
	parallel bool) tea.Cmd {
	key := m.nextKey()
	m.pending[s.ID+"/check"] = key
	m.list.setBusy(s.ID, "checking…")
	m.c.log.Debug("check", "host", hostOf(s.URL), "sid", odoo.Fingerprint(s.SID))
	ctx := context.Background()
	if bulk != 0 {
		ctx = m.bulk.ctx
	}
	return checkSessionCmd(ctx, m.pool, s.URL, s.SID, ts, parallel, s.ID, key, bulk, m.timeout)
}

// handleCheckDone records the outcome of a check and accounts for it in a
// running bulk check.
func (m model) handleCheckDone(msg checkDoneMsg) (model, tea.Cmd) {
	// A check stopped by esc says nothing about the server.
	msg.results = slices.DeleteFunc(msg.results, func(r odoo.CheckResult) bool {
		return errors.Is(r.Err, context.Canceled)
	})
	var bulkCmd tea.Cmd
	if msg.bulkKey != 0 && m.bulk.active && msg.bulkKey == m.bulk.key {
		m.bulk.count(msg.results)
		bulkCmd = m.bulkStep()
	}
	if m.pending[msg.id+"/check"] != msg.key {
		return m, bulkCmd
	}
	delete(m.pending, msg.id+"/check")
	m.list.setBusy(msg.id, "")
	s := m.list.session(msg.id)
	if s == nil || len(msg.results) == 0 {
		return m, bulkCmd
	}

	host := hostOf(s.URL)
	before := s.State
	saved := false
	for _, r := range msg.results {
		if r.Saved {
			m.catchUp(r.At)
			saved = true
		}
		s.RecordCheck(toCheck(r, host), m.now)
	}
	if before == sessions.StateLoggedOut && s.State == sessions.StateRejected {
		// Still true, and more specific.
		s.State = sessions.StateLoggedOut
	}
	m.syncDetail()
	if msg.bulkKey == 0 {
		text := checkSummary(*s, msg.results)
		if saved {
			text = strings.TrimSuffix(text, ".") + "; the server saved the session with this " +
				"check: its idle clock starts again"
		}
		m.infoAbout(s.SID, text)
		if err := firstErr(msg.results); err != nil {
			m.failWith(s.SID, fmt.Sprintf("%s on %s: %s", s.SID, host, errorText(err, host)),
				err)
		}
	}
	return m, tea.Batch(bulkCmd, m.persist(*s))
}

func toCheck(r odoo.CheckResult, host string) sessions.Check {
	c := sessions.Check{
		Transport: string(r.Transport),
		Accepted:  r.Accepted,
		Status:    r.Status,
		Latency:   r.Latency,
		At:        r.At,
		Saved:     r.Saved,
	}
	if r.Err != nil {
		// The record is kept in the sessions file: a short text will do,
		// the status line's e shows the whole one.
		c.Accepted = false
		c.Err = odoo.Sanitize(errorText(r.Err, host), maxErrDetail)
	}
	return c
}

func firstErr(rs []odoo.CheckResult) error {
	for _, r := range rs {
		if r.Err != nil {
			return r.Err
		}
	}
	return nil
}

// checkSummary states the main finding of the checks of s, or, when there
// is none, what each transport answered.
func checkSummary(s sessions.Session, rs []odoo.CheckResult) string {
	text := mainFinding(s)
	if text == "" {
		parts := make([]string, 0, len(rs))
		for _, r := range rs {
			c, ok := s.LastCheck(string(r.Transport))
			parts = append(parts, string(r.Transport)+" "+checkWord(c, ok))
		}
		text = strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%s on %s: %s", s.SID, hostOf(s.URL), text)
}

// logoutCmd starts a logout of s through t.
func (m *model) logoutCmd(s sessions.Session, t odoo.Transport) tea.Cmd {
	key := m.nextKey()
	m.pending[s.ID+"/logout"] = key
	m.list.setBusy(s.ID, "logging out…")
	m.c.log.Info("logout", "host", hostOf(s.URL), "sid", odoo.Fingerprint(s.SID), "transport", t)
	return logoutCmd(m.pool, s.URL, s.SID, t, s.ID, key, m.timeout)
}

// handleLogoutDone marks the session logged out. Whatever new sid the server
// handed out with the logout is never adopted.
func (m model) handleLogoutDone(msg logoutDoneMsg) (model, tea.Cmd) {
	if m.pending[msg.id+"/logout"] != msg.key {
		return m, nil
	}
	delete(m.pending, msg.id+"/logout")
	m.list.setBusy(msg.id, "")
	s := m.list.session(msg.id)
	if s == nil {
		return m, nil
	}
	host := hostOf(s.URL)
	if msg.err != nil {
		if errors.Is(msg.err, odoo.ErrTransportIgnored) {
			m.cookieOnly[s.ID] = true
		}
		m.failWith(s.SID, logoutFailure(msg.transport, msg.err, host, m.screen == screenDetail),
			msg.err)
		return m, nil
	}

	s.State, s.UpdatedAt = sessions.StateLoggedOut, m.now
	m.syncDetail()
	m.infoAbout(s.SID, fmt.Sprintf("logged out %s on %s through the %s (%s)",
		who(*s, 40), host, msg.transport.Word(), odoo.Sanitize(msg.res.Endpoint, 40)))
	return m, m.persist(*s)
}

// logoutFailure says why a logout through t failed. When the server does
// not read the sid from t (the client then saw the cookie accepted), it
// names the way out: the cookie, which the next l in the list takes, or 2
// in the detail view's choice.
func logoutFailure(t odoo.Transport, err error, host string, inDetail bool) string {
	if errors.Is(err, odoo.ErrTransportIgnored) {
		how := "l again"
		if inDetail {
			how = "l then 2"
		}
		return fmt.Sprintf("this server does not read the sid from the %s; log out through "+
			"the cookie (%s)", t.Word(), how)
	}
	return fmt.Sprintf("log out through the %s: %s", t.Word(), errorText(err, host))
}

// startBulk checks every session, at most m.inFlight at a time.
func (m model) startBulk() (model, tea.Cmd) {
	if m.bulk.active {
		m.info("a check of every session is already running: esc stops it")
		return m, nil
	}
	if len(m.list.all) == 0 {
		m.info("no session to check")
		return m, nil
	}
	ids := make([]string, len(m.list.all))
	for i, s := range m.list.all {
		ids[i] = s.ID
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.bulk = bulkCheck{active: true, key: m.nextKey(), queue: ids, total: len(ids),
		ctx: ctx, cancel: cancel}
	return m, m.launchBulk()
}

// launchBulk fills the free slots of a bulk check.
func (m *model) launchBulk() tea.Cmd {
	var cmds []tea.Cmd
	for m.bulk.inFlight < m.inFlight && len(m.bulk.queue) > 0 {
		id := m.bulk.queue[0]
		m.bulk.queue = m.bulk.queue[1:]
		s := m.list.session(id)
		if s == nil {
			// Forgotten meanwhile: nothing left to check.
			m.bulk.total--
			continue
		}
		m.bulk.inFlight++
		cmds = append(cmds, m.checkCmd(*s, odoo.Transports, m.bulk.key, false))
	}
	return tea.Batch(cmds...)
}

// stop empties the queue and cancels the requests on their way.
func (b *bulkCheck) stop() {
	b.stopped, b.queue = true, nil
	b.cancel()
}

// bulkStep accounts for one finished session of a bulk check.
func (m *model) bulkStep() tea.Cmd {
	m.bulk.inFlight--
	cmd := m.launchBulk()
	if m.bulk.inFlight > 0 || len(m.bulk.queue) > 0 {
		return cmd
	}
	b := m.bulk
	b.cancel()
	m.bulk = bulkCheck{}
	verb := "checked"
	if b.stopped {
		verb = "stopped:"
	}
	m.info(fmt.Sprintf("%s %d of %d: %d accepted, %d not accepted, %d could not be checked",
		verb, b.done, b.total, b.accepted, b.refused, b.failed))
	return tea.Batch(cmd, m.flush())
}

// count adds one session's results to the tally; a session whose checks
// were all stopped is not counted as checked.
func (b *bulkCheck) count(rs []odoo.CheckResult) {
	if len(rs) == 0 {
		return
	}
	b.done++
	accepted, failed := false, false
	for _, r := range rs {
		accepted = accepted || (r.Accepted && r.Err == nil)
		failed = failed || r.Err != nil
	}
	switch {
	case accepted:
		b.accepted++
	case failed:
		b.failed++
	default:
		b.refused++
	}
}

func (m model) bulkView(w int) string {
	label := fmt.Sprintf("checking %d/%d ", m.bulk.done, m.bulk.total)
	tail := " esc stops"
	if m.bulk.stopped {
		tail = " stopping…"
	}
	bar := m.progress
	bar.SetWidth(max(10, min(40, w-len(label)-len(tail))))
	pct := float64(m.bulk.done) / float64(max(1, m.bulk.total))
	return clip(label+bar.ViewAs(pct)+tail, w)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
