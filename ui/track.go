package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/config"
	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// Track form fields, in tab order.
const (
	trackURL = iota
	trackDB
	trackSID
	trackCount
)

var trackLabels = [trackCount]string{"Server URL", "Database", "Session id"}

// trackScreen asks for a sid obtained elsewhere so the console can follow it.
type trackScreen struct {
	c      *common
	inputs [trackCount]textinput.Model
	focus  int
	err    string

	width, height int
}

func newTrackScreen(c *common) trackScreen {
	t := trackScreen{c: c}
	for i := range t.inputs {
		in := textinput.New()
		in.Prompt = ""
		in.SetStyles(c.styles.Input)
		t.inputs[i] = in
	}
	t.inputs[trackURL].Placeholder = "such as http://localhost:8069"
	t.inputs[trackDB].Placeholder = "optional, for your own reference"
	t.inputs[trackSID].EchoMode = textinput.EchoPassword
	t.inputs[trackSID].EchoCharacter = '•'
	return t
}

func (t *trackScreen) restyle() {
	for i := range t.inputs {
		t.inputs[i].SetStyles(t.c.styles.Input)
	}
}

// SetSize sets the form's size.
func (t *trackScreen) SetSize(w, h int) {
	t.width, t.height = w, h
	for i := range t.inputs {
		t.inputs[i].SetWidth(max(1, w-labelWidth-1))
	}
}

// open clears the form, prefilling the URL, and focuses the first empty field.
func (t *trackScreen) open(url string) tea.Cmd {
	t.err = ""
	t.inputs[trackSID].SetValue("")
	if t.inputs[trackURL].Value() == "" {
		t.inputs[trackURL].SetValue(url)
	}
	if t.inputs[trackURL].Value() == "" {
		return t.focusField(trackURL)
	}
	return t.focusField(trackSID)
}

func (t *trackScreen) focusField(i int) tea.Cmd {
	t.focus = i
	var cmd tea.Cmd
	for j := range t.inputs {
		if j == i {
			cmd = t.inputs[j].Focus()
			continue
		}
		t.inputs[j].Blur()
	}
	return cmd
}

// Update feeds the focused input.
func (t trackScreen) Update(msg tea.Msg) (trackScreen, tea.Cmd) {
	var cmd tea.Cmd
	t.inputs[t.focus], cmd = t.inputs[t.focus].Update(msg)
	return t, cmd
}

// handleTrackKey handles a key on the track form.
func (m model) handleTrackKey(msg tea.KeyPressMsg) (model, tea.Cmd) {
	k := m.c.keys
	t := &m.track
	switch {
	case key.Matches(msg, k.Back):
		t.inputs[trackSID].SetValue("")
		m.screen = screenList
		return m, nil
	case key.Matches(msg, k.Next):
		return m, t.focusField((t.focus + 1) % trackCount)
	case key.Matches(msg, k.Prev):
		return m, t.focusField((t.focus + trackCount - 1) % trackCount)
	case key.Matches(msg, k.Submit):
		return m.submitTrack()
	}
	var cmd tea.Cmd
	m.track, cmd = m.track.Update(msg)
	return m, cmd
}

// submitTrack adds the sid and checks it through every transport at once.
func (m model) submitTrack() (model, tea.Cmd) {
	t := &m.track
	url := strings.TrimSpace(t.inputs[trackURL].Value())
	pasted := strings.TrimSpace(t.inputs[trackSID].Value())
	sid := sessions.NormalizeSID(pasted)
	switch {
	case url == "":
		t.err = "the server URL is missing"
		return m, t.focusField(trackURL)
	case pasted == "":
		t.err = "the session id is missing"
		return m, t.focusField(trackSID)
	case sid == "":
		t.err = "nothing follows session_id=: paste the cookie's value too"
		return m, t.focusField(trackSID)
	}
	if err := sessions.CheckSID(sid); err != nil {
		t.err = err.Error()
		return m, t.focusField(trackSID)
	}
	root, err := config.ParseServerURL(url)
	if err != nil {
		t.err = err.Error()
		return m, t.focusField(trackURL)
	}
	url = root
	if s := m.tracked(url, sid); s != nil {
		t.err = fmt.Sprintf("that sid is already tracked: %s, %s", who(*s, 40),
			s.StateWordAt(m.now, m.c.idleLimit))
		return m, t.focusField(trackSID)
	}

	s := sessions.Session{
		ID:         sessions.NewID(),
		URL:        url,
		DB:         strings.TrimSpace(t.inputs[trackDB].Value()),
		SID:        sid,
		ObtainedAt: m.now,
		Method:     "tracked",
		State:      sessions.StateActive,
		UpdatedAt:  m.now,
	}
	t.inputs[trackSID].SetValue("")
	t.err = ""
	m.list.add(s)
	m.screen = screenList
	took := ""
	if sid != pasted {
		took = " (took the sid out of `session_id=…`)"
	}
	m.infoAbout(sid, fmt.Sprintf("tracking %s on %s%s; checking it through H, C and P", sid,
		hostOf(url), took))
	return m, tea.Batch(m.persist(s), m.checkCmd(s, odoo.Transports, 0, true))
}

// tracked returns the session of sid on the server url, if the list holds
// it.
func (m model) tracked(url, sid string) *sessions.Session {
	for i := range m.list.all {
		if s := &m.list.all[i]; s.SID == sid && s.URL == url {
			return s
		}
	}
	return nil
}

// View draws the form.
func (t trackScreen) View() string {
	st := t.c.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Track a session id obtained elsewhere"))
	b.WriteString("\n\n")
	for i := range t.inputs {
		label := "  " + trackLabels[i]
		if i == t.focus {
			label = "› " + trackLabels[i]
		}
		b.WriteString(st.Label.Render(fit(label, labelWidth)) + t.inputs[i].View() + "\n")
	}
	b.WriteString("\n" + st.Faint.Render(clip(
		"The sid is checked through each transport; nothing else is sent.", t.width)))
	if t.err != "" {
		b.WriteString("\n" + st.Error.Render(clip("error: "+t.err, t.width)))
	}
	return b.String()
}

// ShortHelp lists the form's keys.
func (t trackScreen) ShortHelp() []key.Binding {
	k := t.c.keys
	return []key.Binding{k.Next, k.Prev, k.Submit, k.Back, k.Kill}
}

// FullHelp lists the form's keys.
func (t trackScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{t.ShortHelp()}
}
