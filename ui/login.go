package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// Login form fields, in tab order.
const (
	fieldURL = iota
	fieldDB
	fieldLogin
	fieldPassword
	fieldCode
	fieldCount
)

var fieldLabels = [fieldCount]string{"Server URL", "Database", "Login", "Password", "2FA code"}

// labelWidth is the width of the form's labels, marker included.
const labelWidth = 13

// loginScreen is the login form and, for two-factor users, its code step.
type loginScreen struct {
	c       *common
	inputs  [fieldCount]textinput.Model
	focus   int
	spinner spinner.Model

	busy bool
	key  reqKey
	err  string
	note string
	// errAnswer is what the server sent with the error, if anything.
	errAnswer *serverAnswer

	// The two-factor step: the half-logged-in sid waits here for the code.
	totp      bool
	halfSID   string
	totpURL   string
	totpLogin string
	totpDB    string
	// totpModule is what the password step found out about the REST module.
	totpModule moduleReport

	probeKey  reqKey
	probedURL string
	version   string
	dbs       []string
	dbNote    string
	dbPick    int

	demoUsers     []string
	width, height int
}

func newLoginScreen(c *common, url, db string, demo []string) loginScreen {
	l := loginScreen{c: c, spinner: spinner.New(spinner.WithSpinner(spinner.Dot))}
	for i := range l.inputs {
		in := textinput.New()
		in.Prompt = ""
		in.SetStyles(c.styles.Input)
		l.inputs[i] = in
	}
	l.inputs[fieldURL].Placeholder = "http://localhost:8069"
	l.inputs[fieldDB].Placeholder = "empty: the server picks"
	l.inputs[fieldPassword].EchoMode = textinput.EchoPassword
	l.inputs[fieldPassword].EchoCharacter = '•'
	l.inputs[fieldCode].CharLimit = 6
	l.inputs[fieldCode].Placeholder = "six digits"
	l.inputs[fieldURL].SetValue(url)
	l.inputs[fieldDB].SetValue(db)
	for _, u := range demo {
		l.demoUsers = append(l.demoUsers, odoo.Sanitize(u, 120))
	}
	l.focusField(fieldURL)
	return l
}

func (l *loginScreen) restyle() {
	for i := range l.inputs {
		l.inputs[i].SetStyles(l.c.styles.Input)
	}
}

// SetSize sets the form's size.
func (l *loginScreen) SetSize(w, h int) {
	l.width, l.height = w, h
	for i := range l.inputs {
		l.inputs[i].SetWidth(max(1, w-labelWidth-1))
	}
}

// focusField moves the focus to field i.
func (l *loginScreen) focusField(i int) tea.Cmd {
	l.focus = i
	var cmd tea.Cmd
	for j := range l.inputs {
		if j == i {
			cmd = l.inputs[j].Focus()
			continue
		}
		l.inputs[j].Blur()
	}
	return cmd
}

// fields returns the fields the form shows now.
func (l loginScreen) fields() []int {
	if l.totp {
		return []int{fieldCode}
	}
	return []int{fieldURL, fieldDB, fieldLogin, fieldPassword}
}

// move goes to the next (+1) or previous (-1) field, wrapping around.
func (l *loginScreen) move(step int) tea.Cmd {
	fs := l.fields()
	pos := 0
	for i, f := range fs {
		if f == l.focus {
			pos = i
		}
	}
	pos = (pos + step + len(fs)) % len(fs)
	return l.focusField(fs[pos])
}

// clearSecrets forgets the password, the code and a pending two-factor step.
func (l *loginScreen) clearSecrets() {
	l.inputs[fieldPassword].SetValue("")
	l.inputs[fieldCode].SetValue("")
	l.totp, l.halfSID = false, ""
	l.totpURL, l.totpLogin, l.totpDB = "", "", ""
	l.totpModule = moduleReport{}
	l.busy, l.key = false, 0
	l.setErr("", nil)
	l.note = ""
}

// setErr shows an error under the form, with the server's answer when the
// error came with one.
func (l *loginScreen) setErr(text string, answer *serverAnswer) {
	l.err, l.errAnswer = text, answer
}

// Update feeds the focused input and the spinner.
func (l loginScreen) Update(msg tea.Msg) (loginScreen, tea.Cmd) {
	if t, ok := msg.(spinner.TickMsg); ok {
		if !l.busy {
			return l, nil
		}
		var cmd tea.Cmd
		l.spinner, cmd = l.spinner.Update(t)
		return l, cmd
	}
	var cmd tea.Cmd
	l.inputs[l.focus], cmd = l.inputs[l.focus].Update(msg)
	return l, cmd
}

// handleLoginKey handles a key on the login form.
func (m model) handleLoginKey(msg tea.KeyPressMsg) (model, tea.Cmd) {
	k := m.c.keys
	l := &m.login
	switch {
	case key.Matches(msg, k.Back):
		if l.busy {
			// The reply, when it comes, no longer matches a request.
			l.busy, l.key = false, 0
			l.setErr("login cancelled", nil)
			return m, nil
		}
		l.clearSecrets()
		m.screen = screenList
		return m, nil
	case l.busy:
		return m, nil
	case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
		step := 1
		if key.Matches(msg, k.Prev) {
			step = -1
		}
		leaving := l.focus
		cmd := l.move(step)
		if leaving == fieldURL {
			cmd = tea.Batch(cmd, m.probeCmd())
		}
		return m, cmd
	case l.focus == fieldDB && len(l.dbs) > 0 && key.Matches(msg, k.PickUp, k.PickDown):
		step := 1
		if key.Matches(msg, k.PickUp) {
			step = len(l.dbs) - 1
		}
		l.dbPick = (l.dbPick + step) % len(l.dbs)
		l.inputs[fieldDB].SetValue(l.dbs[l.dbPick])
		l.inputs[fieldDB].CursorEnd()
		return m, nil
	case key.Matches(msg, k.Submit):
		return m.submitLogin()
	}
	var cmd tea.Cmd
	m.login, cmd = m.login.Update(msg)
	return m, cmd
}

// probeCmd asks the server in the URL field for its version and databases,
// once per URL.
func (m *model) probeCmd() tea.Cmd {
	l := &m.login
	url := strings.TrimSpace(l.inputs[fieldURL].Value())
	if url == "" || url == l.probedURL {
		return nil
	}
	l.probedURL, l.probeKey = url, m.nextKey()
	l.version, l.dbs, l.dbNote, l.dbPick = "", nil, "", 0
	return probeServerCmd(m.pool, url, l.probeKey, m.timeout)
}

// handleProbeDone shows what the server said about itself.
func (l *loginScreen) handleProbeDone(msg probeDoneMsg) {
	if msg.key != l.probeKey {
		return
	}
	host := hostOf(msg.url)
	if msg.verErr != nil {
		l.version = errorText(msg.verErr, host)
	} else {
		l.version = "Odoo " + odoo.Sanitize(msg.version.Version, 40)
	}
	switch {
	case msg.dbErr != nil && errors.Is(msg.dbErr, odoo.ErrListingDisabled):
		l.dbNote = "the server does not list its databases (list_db is off): type the name"
	case msg.dbErr != nil:
		l.dbNote = "no database list: " + errorText(msg.dbErr, host)
	case len(msg.dbs) == 0:
		l.dbNote = "the server lists no database"
	default:
		l.dbs = l.dbs[:0]
		for _, d := range msg.dbs {
			l.dbs = append(l.dbs, odoo.Sanitize(d, 64))
		}
		l.dbNote = "databases: " + strings.Join(l.dbs, ", ") + " · ↑/↓ picks one"
	}
}

// submitLogin sends the form; the password only travels inside the command.
func (m model) submitLogin() (model, tea.Cmd) {
	l := &m.login
	if l.totp {
		code := strings.TrimSpace(l.inputs[fieldCode].Value())
		if !isSixDigits(code) {
			l.setErr("the code has six digits", nil)
			return m, nil
		}
		l.busy, l.key = true, m.nextKey()
		l.setErr("", nil)
		cmd := completeTOTPCmd(m.pool, l.totpURL, l.halfSID, code, l.totpLogin, l.totpDB,
			l.key, m.timeout)
		return m, tea.Batch(cmd, l.spinner.Tick)
	}

	url := strings.TrimSpace(l.inputs[fieldURL].Value())
	req := odoo.LoginRequest{
		DB:       strings.TrimSpace(l.inputs[fieldDB].Value()),
		Login:    strings.TrimSpace(l.inputs[fieldLogin].Value()),
		Password: l.inputs[fieldPassword].Value(),
	}
	for _, miss := range []struct {
		empty bool
		field int
		text  string
	}{
		{url == "", fieldURL, "the server URL is missing"},
		{req.Login == "", fieldLogin, "the login is missing"},
		{req.Password == "", fieldPassword, "the password is missing"},
	} {
		if miss.empty {
			l.setErr(miss.text, nil)
			return m, l.focusField(miss.field)
		}
	}

	l.busy, l.key, l.note = true, m.nextKey(), ""
	l.setErr("", nil)
	m.c.log.Info("login", "host", hostOf(url), "db", req.DB, "login", req.Login)
	return m, tea.Batch(loginCmd(m.pool, url, req, l.key, m.timeout), l.spinner.Tick)
}

func isSixDigits(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// handleLoginDone adds the new session, asks for the two-factor code, or
// shows why the login failed while keeping what was typed.
func (m model) handleLoginDone(msg loginDoneMsg) (model, tea.Cmd) {
	l := &m.login
	if !l.busy || msg.key != l.key {
		return m, nil
	}
	l.busy, l.key = false, 0
	host := hostOf(msg.url)
	if msg.err == nil && msg.res == nil {
		msg.err = fmt.Errorf("%w: empty login answer", odoo.ErrNotOdoo)
	}
	if msg.err != nil {
		l.setErr(errorText(msg.err, host), answerOf(msg.err))
		if l.totp {
			l.inputs[fieldCode].SetValue("")
		}
		m.c.log.Info("login failed", "host", host, "err", msg.err)
		return m, nil
	}

	res := msg.res
	if res.TOTPRequired {
		l.totp, l.halfSID = true, res.SID
		l.totpURL, l.totpLogin, l.totpDB = msg.url, msg.login, msg.db
		l.totpModule = msg.module
		l.inputs[fieldPassword].SetValue("")
		l.note = fmt.Sprintf("The password is right: %s has two-factor authentication. "+
			"Enter the six-digit code from the authenticator app.", odoo.Sanitize(msg.login, 64))
		return m, l.focusField(fieldCode)
	}

	module := msg.module
	if l.totp {
		module = l.totpModule
	}
	s := sessionFromLogin(msg, res, m.now)
	s.RESTModule = module.state
	if module.note != "" {
		m.detail.moduleNotes[s.ID] = module.note
	}
	l.clearSecrets()
	l.focusField(fieldLogin)
	m.list.add(s)
	m.screen = screenList
	m.c.log.Info("login done", "host", host, "sid", odoo.Fingerprint(s.SID), "method", s.Method)
	m.info(loginSummary(s, res, module))
	return m, m.persist(s)
}

// sessionFromLogin builds the record of a fresh session.
func sessionFromLogin(msg loginDoneMsg, res *odoo.LoginResult, now time.Time) sessions.Session {
	db := res.Info.DB
	if db == "" {
		db = res.BoundDB
	}
	if db == "" {
		db = msg.db
	}
	login := msg.login
	if login == "" {
		login = res.Info.Username
	}
	return sessions.Session{
		ID:            sessions.NewID(),
		URL:           msg.url,
		DB:            db,
		Login:         login,
		UserName:      res.Info.Name,
		UID:           res.Info.UID,
		SID:           res.SID,
		ExpiresAt:     res.ExpiresAt.UTC(),
		ObtainedAt:    now,
		SavedAt:       now,
		Method:        string(res.Method),
		ServerVersion: res.Info.ServerVersion,
		State:         sessions.StateActive,
		Info:          res.Info.Raw,
		UpdatedAt:     now,
	}
}

// loginSummary is the status line after a login, with the REST module's
// state and the client's notes.
func loginSummary(s sessions.Session, res *odoo.LoginResult, module moduleReport) string {
	text := fmt.Sprintf("logged in as %s on %s", odoo.Sanitize(s.Login, 64), hostOf(s.URL))
	if s.DB != "" {
		text += " (" + odoo.Sanitize(s.DB, 64) + ")"
	}
	if module.state != "" {
		text += "; REST module " + module.state
	} else if module.note != "" {
		text += "; REST module unknown: " + module.note
	}
	for _, n := range res.Notes {
		text += "; " + odoo.Sanitize(n, 120)
	}
	return text
}

// View draws the form.
func (l loginScreen) View() string {
	st := l.c.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Log in to an Odoo server"))
	b.WriteString("\n\n")
	for _, f := range l.fields() {
		b.WriteString(l.fieldLine(f))
		b.WriteByte('\n')
		if hint := l.hint(f); hint != "" {
			b.WriteString(strings.Repeat(" ", labelWidth))
			b.WriteString(st.Faint.Render(clip(hint, l.width-labelWidth)))
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
	switch {
	case l.busy:
		b.WriteString(l.spinner.View() + " waiting for " + hostOf(l.inputs[fieldURL].Value()) +
			" · esc cancels")
	case l.err != "":
		b.WriteString(st.Error.Render(l.wrap("error: " + l.err)))
		if l.errAnswer != nil {
			b.WriteString("\n" + st.Prompt.Render(clip(l.c.keys.Answer.Help().Key+
				" shows the server's answer", l.width)))
		}
	}
	if l.note != "" {
		b.WriteString("\n" + st.Info.Render(l.wrap(l.note)))
	}
	if len(l.demoUsers) > 0 && !l.totp {
		b.WriteString("\n\n" + st.Label.Render("Demo users (login / password):"))
		for _, u := range l.demoUsers {
			b.WriteString("\n  " + clip(u, l.width-2))
		}
	}
	return b.String()
}

func (l loginScreen) fieldLine(f int) string {
	label := "  " + fieldLabels[f]
	if f == l.focus {
		label = "› " + fieldLabels[f]
	}
	return l.c.styles.Label.Render(fit(label, labelWidth)) + l.inputs[f].View()
}

// hint is the faint line under a field.
func (l loginScreen) hint(f int) string {
	switch f {
	case fieldURL:
		return l.version
	case fieldDB:
		return l.dbNote
	}
	return ""
}

// wrap breaks a long message on spaces to the form's width.
func (l loginScreen) wrap(s string) string {
	w := max(20, l.width)
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(word)) > w {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return strings.Join(append(lines, line), "\n")
}

// ShortHelp lists the form's keys.
func (l loginScreen) ShortHelp() []key.Binding {
	k := l.c.keys
	if l.busy {
		return []key.Binding{k.Back, k.Kill}
	}
	return []key.Binding{k.Answer, k.Next, k.Prev, k.Submit, k.Back, k.Kill}
}

// FullHelp lists the form's keys.
func (l loginScreen) FullHelp() [][]key.Binding {
	k := l.c.keys
	return [][]key.Binding{{k.Next, k.Prev, k.PickUp, k.PickDown},
		{k.Submit, k.Answer, k.Back, k.Kill}}
}

// firstEmpty is the first field still to fill, the login at the latest.
func (l loginScreen) firstEmpty() int {
	for _, f := range []int{fieldURL, fieldLogin} {
		if strings.TrimSpace(l.inputs[f].Value()) == "" {
			return f
		}
	}
	return fieldPassword
}
