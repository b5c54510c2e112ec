package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
)

// answerHeadLines is what the answer view takes above its text: the title
// and a line on how to read it.
const answerHeadLines = 2

// answerScreen shows the whole of a message that its line cut short,
// wrapped, and the server's own answer to a failed request when there is
// one (a traceback, or a body that could not be decoded), sanitised line by
// line, in a scrollable view that esc closes.
type answerScreen struct {
	c     *common
	title string
	// message is wrapped to the width on words; answer is the server's,
	// headed by its title, which the viewport wraps as it comes.
	message string
	answer  []string
	lines   []string
	// back is the screen to return to.
	back screenID
	vp   viewport.Model

	width, height int
}

func newAnswerScreen(c *common) answerScreen {
	vp := viewport.New()
	vp.SoftWrap = true
	return answerScreen{c: c, vp: vp}
}

// SetSize gives the text what the head leaves.
func (a *answerScreen) SetSize(w, h int) {
	a.width, a.height = w, h
	a.vp.SetWidth(w)
	a.vp.SetHeight(max(1, h-answerHeadLines))
	if a.lines != nil {
		a.render()
	}
}

// render lays the message and the answer out for the width.
func (a *answerScreen) render() {
	a.lines = append(wrapWords(a.message, max(10, a.width)), a.answer...)
	a.vp.SetContentLines(a.lines)
}

// open shows msg whole, with its server's answer, the sid masked unless
// reveal; esc then returns to back.
func (a *answerScreen) open(msg status, back screenID, reveal bool) {
	a.back = back
	a.title = "The full message"
	a.message, a.answer = msg.line(reveal), nil
	if ans := msg.answer; ans != nil {
		a.title = "The full message and the server's answer"
		a.answer = append([]string{"", maskIn(ans.title, msg.sid, reveal) + ":"},
			maskLines(ans.lines, msg.sid, reveal)...)
	}
	a.render()
	a.vp.GotoTop()
}

// Update scrolls the text.
func (a answerScreen) Update(msg tea.Msg) (answerScreen, tea.Cmd) {
	var cmd tea.Cmd
	a.vp, cmd = a.vp.Update(msg)
	return a, cmd
}

// View draws the title, the reading hint and the text.
func (a answerScreen) View() string {
	st := a.c.styles
	if a.lines == nil {
		return ""
	}
	return st.Title.Render(clip(a.title, a.width)) + "\n" +
		st.Faint.Render(clip(fmt.Sprintf("control characters and escape sequences removed · "+
			"%s · %.0f%% · esc closes", plural(len(a.lines), "line", "lines"),
			a.vp.ScrollPercent()*100), a.width)) + "\n" +
		a.vp.View()
}

// ShortHelp lists the answer view's keys.
func (a answerScreen) ShortHelp() []key.Binding {
	k := a.c.keys
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Back, k.Quit}
}

// FullHelp lists the answer view's keys.
func (a answerScreen) FullHelp() [][]key.Binding {
	k := a.c.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Back, k.Help, k.Quit}}
}

// currentMessage is the message on screen that has more to show than its
// place does: the login form's error, else the status line's; nil when all
// of it is in sight and no server's answer came with it.
func (m model) currentMessage() *status {
	if m.screen == screenLogin && m.login.err != "" {
		msg := status{text: m.login.err, kind: statusError, answer: m.login.errAnswer,
			sid: m.login.halfSID}
		if msg.answer == nil && !m.login.errCut() {
			return nil
		}
		return &msg
	}
	if m.status.text == "" || (m.status.answer == nil && !m.statusCut()) {
		return nil
	}
	msg := m.status
	return &msg
}

// handleAnswerKey closes the answer view with esc and scrolls it otherwise.
func (m model) handleAnswerKey(msg tea.KeyPressMsg) (model, tea.Cmd) {
	if key.Matches(msg, m.c.keys.Back) {
		m.screen = m.answer.back
		return m, nil
	}
	var cmd tea.Cmd
	m.answer, cmd = m.answer.Update(msg)
	return m, cmd
}
