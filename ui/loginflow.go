package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/config"
	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

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
	case msg.dbErr != nil && (msg.dbErr == msg.verErr ||
		msg.verErr != nil && sameHint(msg.dbErr, msg.verErr, host)):
		// No client for this URL, or the same failure twice (a dead
		// server): the version line says why already.
		l.dbNote = ""
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
		code := codeDigits(l.inputs[fieldCode].Value())
		if !isSixDigits(code) {
			l.setErr("the code has six digits", nil)
			return m, nil
		}
		l.busy, l.key = true, m.nextKey()
		l.setErr("", nil)
		cmd := completeTOTPCmd(m.pool, m.c.clock, l.totpURL, l.halfSID, code, l.totpLogin,
			l.totpDB, l.key, m.timeout)
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

	root, err := config.ParseServerURL(url)
	if err != nil {
		l.setErr(err.Error(), nil)
		return m, l.focusField(fieldURL)
	}
	// A page copied from a browser names the server: sessions keep its
	// root, as the command line's do.
	url = root

	l.busy, l.key, l.note = true, m.nextKey(), ""
	l.setErr("", nil)
	m.c.log.Info("login", "host", hostOf(url), "db", req.DB, "login", req.Login)
	return m, tea.Batch(loginCmd(m.pool, m.c.clock, url, req, l.key, m.timeout), l.spinner.Tick)
}

// codeDigits drops the spaces and dashes apps show inside a code.
func codeDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, s)
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
	m.catchUp(msg.at)
	s := sessionFromLogin(msg, res, msg.at)
	s.RESTModule = module.state
	if module.state == "" && (module.note != "" || module.routeMissing) {
		m.detail.moduleNotes[s.ID] = module.unknownLine()
	}
	l.clearSecrets()
	l.focusField(fieldLogin)
	m.list.add(s)
	m.screen = screenList
	m.c.log.Info("login done", "host", host, "sid", odoo.Fingerprint(s.SID), "method", s.Method)
	m.infoAbout(s.SID, loginSummary(s, res, module))
	return m, m.persist(s)
}

// sessionFromLogin builds the record of a fresh session; at is when the
// server answered, which is when it saved the session.
func sessionFromLogin(msg loginDoneMsg, res *odoo.LoginResult, at time.Time) sessions.Session {
	return NewSession(msg.url, msg.login, msg.db, res, at)
}

// NewSession builds the record of a session a login just gave: url is the
// server, login and db what the user asked for (the server's answer wins
// where it names them), at when the server answered, which is when it
// saved the session.
func NewSession(url, login, db string, res *odoo.LoginResult, at time.Time) sessions.Session {
	if res.Info.DB != "" {
		db = res.Info.DB
	} else if res.BoundDB != "" {
		db = res.BoundDB
	}
	if login == "" {
		login = res.Info.Username
	}
	return sessions.Session{
		ID:            sessions.NewID(),
		URL:           url,
		DB:            db,
		Login:         login,
		UserName:      res.Info.Name,
		UID:           res.Info.UID,
		SID:           res.SID,
		ExpiresAt:     res.ExpiresAt.UTC(),
		ObtainedAt:    at,
		SavedAt:       at,
		Method:        string(res.Method),
		ServerVersion: res.Info.ServerVersion,
		State:         sessions.StateActive,
		Info:          res.Info.Raw,
		UpdatedAt:     at,
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
	} else if module.note != "" || module.routeMissing {
		text += "; " + module.unknownLine()
	}
	for _, n := range res.Notes {
		text += "; " + odoo.Sanitize(n, maxErrText)
	}
	return text
}
