package ui

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// detailFactLines is what the detail view always takes above the
// diagnosis: the title, seven fact lines and the transport matrix (a header
// and three rows). A blank line before the matrix comes when there is room.
const detailFactLines = 1 + 7 + 4

// detailScreen shows one session: both clocks, the REST module's state, the
// transport matrix with its diagnosis, and the session_info JSON.
type detailScreen struct {
	c   *common
	now time.Time

	sess sessions.Session
	// hist is the stored check history of the session histID; the
	// session's own Checks hold only the latest ones.
	hist    map[string][]sessions.Check
	histID  string
	infoRaw []byte
	// infoSID is the sid masked in the JSON lines as last rendered.
	infoSID string
	reveal  bool
	// choosing is true while the status line asks which transport to log
	// out through.
	choosing bool
	// via is the transport a logout takes when the user picks none.
	via odoo.Transport
	vp  viewport.Model

	// diag is the diagnosis, wrapped to the width and fitted to the
	// height; spaced says whether a blank line fits before the matrix.
	diag   []string
	spaced bool
	// moduleNotes is, per session ID, the line saying why the REST
	// module's state is unknown; only this console's logins have one.
	moduleNotes map[string]string
	// devices holds, per session ID, the device list last read.
	devices map[string]deviceList

	width, height int
}

func newDetailScreen(c *common) detailScreen {
	return detailScreen{c: c, now: c.clock(), vp: viewport.New(),
		moduleNotes: map[string]string{}, devices: map[string]deviceList{}}
}

// SetSize lays the view out again for the new size.
func (d *detailScreen) SetSize(w, h int) {
	d.width, d.height = w, h
	d.vp.SetWidth(w)
	d.relayout()
}

// relayout fits the diagnosis and gives the session_info viewport what the
// facts, the matrix and the diagnosis leave: at least one line, so the
// diagnosis is shortened only when even that does not fit.
func (d *detailScreen) relayout() {
	// The viewport's title line and one line of JSON.
	room := d.height - detailFactLines - 2
	d.diag = fitDiagnosis(diagnosisBlocks(d.sess, d.c.styles, d.width, d.reveal), room,
		d.c.styles.Faint)
	left := room - len(d.diag)
	d.spaced = left >= 3
	if d.spaced {
		left--
	}
	d.vp.SetHeight(max(1, left+1))
}

// show opens the view on s.
func (d *detailScreen) show(s sessions.Session) {
	d.choosing = false
	d.infoRaw = nil
	d.hist, d.histID = nil, ""
	d.update(s)
	d.vp.GotoTop()
}

// update refreshes the copy of the session; the JSON is re-rendered only
// when it or its sid changed.
func (d *detailScreen) update(s sessions.Session) {
	d.sess = s
	d.relayout()
	if d.infoRaw != nil && bytes.Equal(d.infoRaw, s.Info) && d.infoSID == s.SID {
		return
	}
	d.renderInfo()
}

// renderInfo puts session_info into the viewport, the session's sid masked
// unless revealed (a REST login's session_info carries it).
func (d *detailScreen) renderInfo() {
	d.infoRaw, d.infoSID = append([]byte{}, d.sess.Info...), d.sess.SID
	d.vp.SetContentLines(d.paneLines())
}

// setReveal shows or masks the sid wherever the view shows it.
func (d *detailScreen) setReveal(on bool) {
	d.reveal = on
	d.relayout()
	d.renderInfo()
}

// prettyInfo indents session_info and sanitises every line of it.
func prettyInfo(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return []string{"no session_info yet: d fetches it"}
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return []string{"session_info is not valid JSON: " + odoo.Sanitize(string(raw), 200)}
	}
	lines := strings.Split(buf.String(), "\n")
	for i, l := range lines {
		// Sanitize collapses spaces: keep the indentation apart.
		body := strings.TrimLeft(l, " ")
		lines[i] = l[:len(l)-len(body)] + odoo.Sanitize(body, 400)
	}
	return lines
}

// handleDetailKey runs the detail view's actions.
func (m model) handleDetailKey(msg tea.KeyPressMsg) (model, tea.Cmd) {
	k := m.c.keys
	s := m.list.session(m.detail.sess.ID)
	if s == nil {
		m.screen = screenList
		return m, nil
	}
	if m.detail.choosing {
		m.detail.choosing = false
		if t, ok := transportKey(msg, k); ok {
			return m, m.logoutCmd(*s, t)
		}
		if key.Matches(msg, k.LogoutVia) {
			return m, m.logoutCmd(*s, m.detail.via)
		}
		m.info("log out cancelled")
		return m, nil
	}
	if t, ok := transportKey(msg, k); ok {
		return m, m.checkCmd(*s, []odoo.Transport{t}, 0, false)
	}
	switch {
	case key.Matches(msg, k.Back):
		m.screen = screenList
		return m, nil
	case key.Matches(msg, k.Check):
		return m, m.checkCmd(*s, odoo.Transports, 0, true)
	case key.Matches(msg, k.Logout):
		m.detail.choosing = true
		m.detail.via = m.logoutTransport(*s)
		return m, nil
	case key.Matches(msg, k.Details):
		m.askDetails(*s)
		return m, nil
	case key.Matches(msg, k.Devices):
		m.askDevices(*s)
		return m, nil
	case key.Matches(msg, k.CopyID):
		m.info("sid copied (OSC 52: the terminal must allow clipboard writes)")
		return m, tea.SetClipboard(s.SID)
	case key.Matches(msg, k.Reveal):
		m.setReveal(!m.detail.reveal)
		return m, nil
	}
	var cmd tea.Cmd
	m.detail, cmd = m.detail.Update(msg)
	return m, cmd
}

// Update scrolls the JSON: our keys jump and page, the viewport's own
// move a line at a time.
func (d detailScreen) Update(msg tea.Msg) (detailScreen, tea.Cmd) {
	k := d.c.keys
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(msg, k.Top):
			d.vp.GotoTop()
			return d, nil
		case key.Matches(msg, k.Bottom):
			d.vp.GotoBottom()
			return d, nil
		case key.Matches(msg, k.PageDown):
			d.vp.PageDown()
			return d, nil
		case key.Matches(msg, k.PageUp):
			d.vp.PageUp()
			return d, nil
		}
	}
	var cmd tea.Cmd
	d.vp, cmd = d.vp.Update(msg)
	return d, cmd
}

// logoutPrompt asks which transport to log out through, naming the
// default; it fits an 80-column status line.
func logoutPrompt(via odoo.Transport) string {
	return fmt.Sprintf("log out through 1 header · 2 cookie · 3 param · enter: %s · esc cancels",
		via)
}

// transportKey maps 1, 2 and 3 to the header, cookie and param transports.
func transportKey(msg tea.KeyPressMsg, k keyMap) (odoo.Transport, bool) {
	switch {
	case key.Matches(msg, k.CheckHeader):
		return odoo.TransportHeader, true
	case key.Matches(msg, k.CheckCookie):
		return odoo.TransportCookie, true
	case key.Matches(msg, k.CheckParam):
		return odoo.TransportParam, true
	}
	return "", false
}

// View draws the facts, the transport matrix, its diagnosis and the JSON.
func (d detailScreen) View() string {
	st := d.c.styles
	s := d.sess
	var b strings.Builder
	line := func(label, text string) {
		b.WriteString(st.Label.Render(fit(label, 10)))
		b.WriteString(clip(text, d.width-10))
		b.WriteByte('\n')
	}
	b.WriteString(st.Title.Render(clip(d.titleText(), d.width)))
	b.WriteByte('\n')
	line("user", fmt.Sprintf("%s · %s · obtained %s", d.userText(), methodWords(s.Method),
		d.minute(s.ObtainedAt)))
	line("server", d.moduleLine())
	reveal := " · r reveals"
	if d.reveal {
		reveal = " · r hides"
	}
	line("sid", maskedSID(s.SID, d.reveal)+reveal+" · y copies")
	exp, expWhy, idle := d.clockLines()
	line("expires", exp)
	line("", expWhy)
	line("idle", idle)
	line("", fmt.Sprintf("Odoo drops sessions idle for %s; counted from the last save",
		shortDuration(d.c.idleLimit)))
	if d.spaced {
		b.WriteByte('\n')
	}
	b.WriteString(d.matrix())
	for _, l := range d.diag {
		b.WriteString("\n" + l)
	}
	b.WriteByte('\n')
	b.WriteString(st.Label.Render(clip(fmt.Sprintf("%s (↑/↓ pgup/pgdn g/G, %.0f%%)",
		d.paneTitle(), d.vp.ScrollPercent()*100), d.width)))
	b.WriteByte('\n')
	b.WriteString(d.vp.View())
	return b.String()
}

// titleText names the session, its server and database, the server's
// version and the state.
func (d detailScreen) titleText() string {
	s := d.sess
	who := odoo.Sanitize(cmp.Or(s.Login, s.UserName), 40)
	t := fmt.Sprintf("%s on %s · database %s", orDash(who), hostOf(s.URL),
		orDash(odoo.Sanitize(s.DB, 40)))
	if v := odoo.Sanitize(s.ServerVersion, 30); v != "" {
		t += " · Odoo " + v
	}
	return t + " · " + s.StateWordAt(d.now, d.c.idleLimit)
}

// userText names the session's user, or says how to learn it: a tracked
// sid comes with no user until its details are fetched.
func (d detailScreen) userText() string {
	s := d.sess
	if s.UID == 0 && s.UserName == "" {
		return "unknown: d asks the server"
	}
	return fmt.Sprintf("%s (uid %d)", orDash(odoo.Sanitize(s.UserName, 60)), s.UID)
}

// methodWords says how the sid was obtained.
func methodWords(method string) string {
	switch method {
	case "rest":
		return "REST login"
	case "web":
		return "web login"
	case "tracked":
		return "tracked, obtained elsewhere"
	}
	return orDash(odoo.Sanitize(method, 10)) + " login"
}

// moduleLine is what the login found out about base_rest_auth_user_service.
func (d detailScreen) moduleLine() string {
	s := d.sess
	db := orDash(odoo.Sanitize(s.DB, 40))
	if st := odoo.Sanitize(s.RESTModule, 30); st != "" {
		return fmt.Sprintf("REST module: %s on %s", st, db)
	}
	if line := d.moduleNotes[s.ID]; line != "" {
		return line
	}
	if s.Method == "tracked" {
		return "REST module: unknown (looked up only at a login made here)"
	}
	return "REST module: unknown (not looked up at this login)"
}

// stamp shows a time in UTC.
func (d detailScreen) stamp(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// minute shows a time in UTC to the minute.
func (d detailScreen) minute(t time.Time) string {
	if t.IsZero() {
		return "at an unknown time"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// clockLines describes the expires_at clock with its explaining line, and
// the idle clock; the nearer one says it ends first.
func (d detailScreen) clockLines() (exp, expWhy, idle string) {
	s := d.sess
	_, first := s.Deadline(d.c.idleLimit)
	both := !s.ExpiresAt.IsZero() && !s.SavedAt.IsZero()
	over := s.State == sessions.StateLoggedOut
	nearer := func(c sessions.Clock) string {
		if both && first == c && !over {
			return " · ends first"
		}
		return ""
	}
	// A logged-out session has nothing left to count down.
	left := func(d time.Duration) string {
		if over {
			return "logged out"
		}
		return leftWords(d)
	}

	exp, expWhy = "none: the server gave no expires_at",
		"only the REST module's login (/session/auth/login) gives one"
	if s.Method == "tracked" {
		exp = "none known: the sid was obtained elsewhere"
	}
	if rest, ok := s.TimeLeft(d.now); ok {
		exp = fmt.Sprintf("%s%s · %s%s", s.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"),
			d.local(s.ExpiresAt), left(rest), nearer(sessions.ClockExpiresAt))
		expWhy = "expires_at is advisory: Odoo does not enforce it"
	}
	idle = "unknown: the sid was not obtained here and details were never fetched"
	if rest, ok := s.IdleLeft(d.now, d.c.idleLimit); ok {
		idle = fmt.Sprintf("saved %s · %s%s", d.stamp(s.SavedAt), left(rest),
			nearer(sessions.ClockIdle))
	}
	return exp, expWhy, idle
}

// local shows t in the local zone, in brackets after a space, with the
// date only when it differs from the UTC date; nothing when local is UTC.
func (d detailScreen) local(t time.Time) string {
	lt := t.In(d.c.loc)
	if name, off := lt.Zone(); off == 0 && name == "UTC" {
		return ""
	}
	if lt.Format("2006-01-02") == t.UTC().Format("2006-01-02") {
		return lt.Format(" (15:04 MST)")
	}
	return lt.Format(" (Jan 2 15:04 MST)")
}

func leftWords(d time.Duration) string {
	if d <= 0 {
		return "expired"
	}
	return countdown(d, "", " left")
}

// matrix is the transport table: outcome, status, latency, time and history.
// Failures are explained by the diagnosis under it.
func (d detailScreen) matrix() string {
	var b strings.Builder
	b.WriteString(d.c.styles.Header.Render(clip(fmt.Sprintf("%-10s %-15s %-6s %-8s %-9s %s",
		"TRANSPORT", "RESULT", "STATUS", "LATENCY", "AT (UTC)", "HISTORY"), d.width)))
	for i, t := range sessions.Transports {
		c, ok := d.sess.LastCheck(t)
		row := fmt.Sprintf("%d %-8s %s %-13s", i+1, t, sessions.CheckMark(c, ok), checkWord(c, ok))
		if ok {
			row += fmt.Sprintf(" %-6s %-8s %-9s %s", statusText(c.Status),
				latencyText(c.Latency), c.At.UTC().Format("15:04:05"),
				history(d.checks(t)))
		}
		b.WriteString("\n" + clip(row, d.width))
	}
	return b.String()
}

// latencyText rounds to the millisecond without turning a quick answer
// into "0s".
func latencyText(d time.Duration) string {
	if d > 0 && d < time.Millisecond {
		return "<1ms"
	}
	return d.Round(time.Millisecond).String()
}

func statusText(code int) string {
	if code == 0 {
		return "-"
	}
	return fmt.Sprint(code)
}

// setHistory keeps the stored check history of session id.
func (d *detailScreen) setHistory(id string, hist map[string][]sessions.Check) {
	if id == d.sess.ID {
		d.hist, d.histID = hist, id
	}
}

// checks is the history of one transport: the stored one, followed by the
// session's own checks that are newer, at most sessions.MaxChecks.
func (d detailScreen) checks(t string) []sessions.Check {
	own := d.sess.Checks[t]
	if d.histID != d.sess.ID || len(d.hist[t]) == 0 {
		return own
	}
	h := append([]sessions.Check{}, d.hist[t]...)
	last := h[len(h)-1].At
	for _, c := range own {
		if c.At.After(last) {
			h = append(h, c)
		}
	}
	if len(h) > sessions.MaxChecks {
		h = h[len(h)-sessions.MaxChecks:]
	}
	return h
}

// history is the marks of past checks, oldest first.
func history(h []sessions.Check) string {
	var b strings.Builder
	for _, c := range h {
		b.WriteString(sessions.CheckMark(c, true))
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// shortDuration writes whole days as "7 days", anything else as Go does.
func shortDuration(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return plural(int(d/(24*time.Hour)), "day", "days")
	}
	return d.String()
}

// ShortHelp lists the main keys of the detail view, or those of the
// transport choice.
func (d detailScreen) ShortHelp() []key.Binding {
	k := d.c.keys
	if d.choosing {
		return []key.Binding{k.LogoutVia, k.Back}
	}
	return []key.Binding{k.Answer, k.Check, k.CheckHeader, k.CheckCookie, k.CheckParam,
		k.Logout, k.Details, k.CopyID, k.Reveal, k.Back}
}

// FullHelp lists every key of the detail view.
func (d detailScreen) FullHelp() [][]key.Binding {
	k := d.c.keys
	return [][]key.Binding{
		{k.Check, k.CheckHeader, k.CheckCookie, k.CheckParam},
		{k.Logout, k.Details, k.Devices, k.CopyID, k.Reveal, k.Answer},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Back, k.Help, k.Quit},
	}
}
