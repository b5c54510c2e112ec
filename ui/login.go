package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/odoo"
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

// codeCharLimit bounds the two-factor field: six digits and the spaces or
// dashes an app or a paste puts between them.
const codeCharLimit = 16

// maxErrLines bounds the form's error; ctrl+o shows the rest.
const maxErrLines = 4

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

	profiles []Profile
	// profPick is the profile ↑/↓ filled in last; -1 before the first.
	profPick int

	demoUsers     []string
	width, height int
}

func newLoginScreen(c *common, url, db string, demo []string, profiles []Profile) loginScreen {
	l := loginScreen{c: c, spinner: spinner.New(spinner.WithSpinner(spinner.Dot)), profPick: -1}
	for _, p := range profiles {
		// They come from the user's own file, but reach the screen.
		l.profiles = append(l.profiles, Profile{Name: odoo.Sanitize(p.Name, 40),
			URL: odoo.Sanitize(p.URL, 200), DB: odoo.Sanitize(p.DB, 64),
			Login: odoo.Sanitize(p.Login, 64)})
	}
	for i := range l.inputs {
		in := textinput.New()
		in.Prompt = ""
		in.SetStyles(c.styles.Input)
		l.inputs[i] = in
	}
	l.inputs[fieldURL].Placeholder = "such as http://localhost:8069"
	l.inputs[fieldDB].Placeholder = "empty: the server picks"
	l.inputs[fieldPassword].EchoMode = textinput.EchoPassword
	l.inputs[fieldPassword].EchoCharacter = '•'
	// Authenticator apps show the code as "632 845": room for the spaces
	// a paste brings, which submitLogin drops.
	l.inputs[fieldCode].CharLimit = codeCharLimit
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
			l.setErr("stopped waiting; the server may have logged in anyway", nil)
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
	case l.focus == fieldURL && len(l.profiles) > 0 && key.Matches(msg, k.PickUp, k.PickDown):
		l.pickProfile(key.Matches(msg, k.PickUp))
		return m, m.probeCmd()
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
	before := l.inputs[fieldURL].Value()
	var cmd tea.Cmd
	m.login, cmd = m.login.Update(msg)
	if l.inputs[fieldURL].Value() != before {
		// What the last server said is about another URL now.
		l.probedURL, l.version, l.dbs, l.dbNote, l.dbPick = "", "", nil, "", 0
	}
	return m, cmd
}

// pickProfile fills in the next profile, or the previous one with back.
func (l *loginScreen) pickProfile(back bool) {
	n := len(l.profiles)
	switch {
	case back && l.profPick < 0:
		l.profPick = n - 1
	case back:
		l.profPick = (l.profPick + n - 1) % n
	default:
		l.profPick = (l.profPick + 1) % n
	}
	p := l.profiles[l.profPick]
	for f, v := range map[int]string{fieldURL: p.URL, fieldDB: p.DB, fieldLogin: p.Login} {
		l.inputs[f].SetValue(v)
		l.inputs[f].CursorEnd()
	}
}

// profileHint names the profile the form holds, and the others ↑/↓ reach.
func (l loginScreen) profileHint() string {
	if len(l.profiles) == 0 {
		return ""
	}
	if l.profPick >= 0 && l.profiles[l.profPick].URL == l.inputs[fieldURL].Value() {
		return fmt.Sprintf("profile %s (%d of %d) · ↑/↓ picks another", l.profiles[l.profPick].Name,
			l.profPick+1, len(l.profiles))
	}
	names := make([]string, len(l.profiles))
	for i, p := range l.profiles {
		names[i] = p.Name
	}
	return "profiles: " + strings.Join(names, ", ") + " · ↑/↓ picks one"
}

// View draws the form, scrolled when it is taller than the screen so that
// the focused field and the spinner or error stay in sight.
func (l loginScreen) View() string {
	st := l.c.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Log in to an Odoo server"))
	b.WriteString("\n\n")
	focusLine := 2
	for _, f := range l.fields() {
		if f == l.focus {
			focusLine = strings.Count(b.String(), "\n")
		}
		b.WriteString(l.fieldLine(f))
		b.WriteByte('\n')
		for _, hint := range l.hintLines(f) {
			b.WriteString(strings.Repeat(" ", labelWidth))
			b.WriteString(st.Faint.Render(hint))
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
	b.WriteString(l.statusView())
	keep := focusLine
	if l.busy || l.err != "" {
		keep = strings.Count(b.String(), "\n")
	}
	if len(l.demoUsers) > 0 && !l.totp {
		b.WriteString("\n\n" + st.Label.Render("Demo users (login / password):"))
		for _, u := range l.demoUsers {
			b.WriteString("\n  " + clip(u, l.width-2))
		}
	}
	return scrollTo(b.String(), focusLine, keep, l.height)
}

// scrollTo cuts s to its height lines at most, keeping lines from to
// through to in sight; from wins when they do not all fit.
func scrollTo(s string, from, to, height int) string {
	lines := strings.Split(s, "\n")
	if height <= 0 || len(lines) <= height {
		return s
	}
	start := max(0, min(to-height+1, from, len(lines)-height))
	return strings.Join(lines[start:start+height], "\n")
}

// statusView is the spinner while a login runs, or the error with the way
// to read all of it, followed by the note.
func (l loginScreen) statusView() string {
	st := l.c.styles
	var b strings.Builder
	switch {
	case l.busy:
		b.WriteString(l.spinner.View() + " waiting for " + hostOf(l.inputs[fieldURL].Value()) +
			" · esc cancels")
	case l.err != "":
		lines := l.errLines()
		b.WriteString(st.Error.Render(strings.Join(lines[:min(len(lines), maxErrLines)], "\n")))
		switch {
		case l.errAnswer != nil:
			b.WriteString("\n" + st.Prompt.Render(clip(l.c.keys.Answer.Help().Key+
				" shows the server's answer", l.width)))
		case len(lines) > maxErrLines:
			b.WriteString("\n" + st.Prompt.Render(clip("… "+l.c.keys.Answer.Help().Key+
				" shows all", l.width)))
		}
	}
	if l.note != "" {
		b.WriteString("\n" + st.Info.Render(l.wrap(l.note)))
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

// maxHintLines bounds the faint text under a field.
const maxHintLines = 2

// hintLines is the hint of field f wrapped to the room beside the labels,
// on at most maxHintLines lines.
func (l loginScreen) hintLines(f int) []string {
	hint := l.hint(f)
	if hint == "" {
		return nil
	}
	w := max(10, l.width-labelWidth)
	lines := wrapWords(hint, w)
	if len(lines) > maxHintLines {
		lines = lines[:maxHintLines]
		lines[maxHintLines-1] = clip(lines[maxHintLines-1]+" …", w)
	}
	return lines
}

// hint is the faint text under a field.
func (l loginScreen) hint(f int) string {
	switch f {
	case fieldURL:
		if p := l.profileHint(); p != "" && l.focus == fieldURL {
			// The profile first: what the server said may run long.
			return strings.TrimSuffix(p+" · "+l.version, " · ")
		}
		return l.version
	case fieldDB:
		return l.dbNote
	}
	return ""
}

// errLines is the form's error wrapped to its width, the half-logged-in
// sid of a two-factor step masked.
func (l loginScreen) errLines() []string {
	return strings.Split(l.wrap("error: "+maskIn(l.err, l.halfSID, false)), "\n")
}

// errCut says whether the form shows only part of its error.
func (l loginScreen) errCut() bool { return len(l.errLines()) > maxErrLines }

// wrap breaks a long message on spaces to the form's width.
func (l loginScreen) wrap(s string) string {
	return strings.Join(wrapWords(s, max(20, l.width)), "\n")
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
