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

// answerScreen shows the server's own answer to a failed request (a
// traceback, or a body that could not be decoded), sanitised line by line,
// in a scrollable view that esc closes.
type answerScreen struct {
	c      *common
	answer *serverAnswer
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
}

// open shows ans; esc then returns to back.
func (a *answerScreen) open(ans *serverAnswer, back screenID) {
	a.answer, a.back = ans, back
	a.vp.SetContentLines(ans.lines)
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
	if a.answer == nil {
		return ""
	}
	return st.Title.Render(clip("The server's answer: "+a.answer.title, a.width)) + "\n" +
		st.Faint.Render(clip(fmt.Sprintf("control characters and escape sequences removed · "+
			"%s · %.0f%% · esc closes", plural(len(a.answer.lines), "line", "lines"),
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

// currentAnswer is the server's answer to the failure on screen: the login
// form's error, else the status line's.
func (m model) currentAnswer() *serverAnswer {
	if m.screen == screenLogin && m.login.errAnswer != nil {
		return m.login.errAnswer
	}
	return m.status.answer
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
