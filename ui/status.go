package ui

import (
	"cmp"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// statusKind says whether the status line reports a success or a failure.
type statusKind int

const (
	statusInfo statusKind = iota
	statusError
)

// status is the one line that reports the outcome of the last action. The
// text is kept whole: the line shows what fits and e opens all of it, with
// the server's own answer when a failure came with one. sid is the session
// id the text is about: wherever the text shows, every occurrence of it is
// masked unless the user revealed sids.
type status struct {
	text   string
	kind   statusKind
	answer *serverAnswer
	sid    string
	// store marks a failure to read or write the sessions file, which the
	// next read or write that works makes stale; settled is then shown
	// instead, or a default.
	store   bool
	settled string
}

// line is the text as it is shown: "error: " before a failure, the sid
// masked unless revealed.
func (st status) line(reveal bool) string {
	t := maskIn(st.text, st.sid, reveal)
	if st.kind == statusError {
		t = "error: " + t
	}
	return t
}

func (m *model) setStatus(st status) {
	m.status = st
	m.statusSeq++
}

func (m *model) info(text string) { m.setStatus(status{text: text}) }
func (m *model) fail(text string) { m.setStatus(status{text: text, kind: statusError}) }

// failStore reports a failure to read or write the sessions file.
func (m *model) failStore(text string) {
	m.setStatus(status{text: text, kind: statusError, store: true})
}

// storeWorks says so when the status line still reports a failure of the
// sessions file: a read or a write has just worked.
func (m *model) storeWorks() {
	if m.status.store {
		m.info(cmp.Or(m.status.settled, "the sessions file reads and writes again"))
	}
}

// infoAbout reports an outcome that concerns the session with sid.
func (m *model) infoAbout(sid, text string) { m.setStatus(status{text: text, sid: sid}) }

// failWith reports a failure about the session with sid ("" for none) and
// keeps what the server sent with err.
func (m *model) failWith(sid, text string, err error) {
	m.setStatus(status{text: text, kind: statusError, answer: answerOf(err), sid: sid})
}

// keepsStatus says whether a key leaves the status line as it is: moving,
// scrolling and reading do; any other key starts an action, after which an
// older message would be stale.
func (m model) keepsStatus(msg tea.KeyPressMsg) bool {
	k := m.c.keys
	if m.screen == screenAnswer || m.help.ShowAll ||
		key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Answer, k.Help) {
		return true
	}
	if m.screen == screenDetail && m.confirm == nil && !m.detail.choosing {
		vk := m.detail.vp.KeyMap
		return key.Matches(msg, vk.PageDown, vk.PageUp, vk.HalfPageDown, vk.HalfPageUp,
			vk.Left, vk.Right) && !key.Matches(msg, k.Details)
	}
	return false
}

// statusWidth is what the status line has room for.
func (m model) statusWidth() int {
	return max(0, m.width-m.c.styles.Status.GetHorizontalFrameSize())
}

// statusCut says whether the status line cannot show all of its text.
func (m model) statusCut() bool {
	return ansi.StringWidth(m.status.line(m.list.reveal)) > m.statusWidth()
}

// yesNo ends every question; the question is cut before it, never it.
const yesNo = " (y/n)"

func (m model) statusView() string {
	st := m.c.styles
	w := m.statusWidth()
	switch {
	case m.confirm != nil:
		return st.Prompt.Render(clip(m.confirm.prompt, w-len(yesNo)) + yesNo)
	case m.screen == screenDetail && m.detail.choosing:
		return st.Prompt.Render(clip(logoutPrompt(m.detail.via), w))
	case m.bulk.active:
		return m.bulkView(w)
	case m.status.text == "":
		return ""
	}
	style := st.Info
	if m.status.kind == statusError {
		style = st.Error
	}
	text := m.status.line(m.list.reveal)
	offer := ""
	switch {
	case m.screen == screenAnswer:
		// The view above shows all of it.
		return style.Render(clip(text, w))
	case m.status.answer != nil:
		offer = " · " + m.c.keys.Answer.Help().Key + " shows the server's answer"
	case ansi.StringWidth(text) > w:
		offer = " · " + m.c.keys.Answer.Help().Key + " shows all"
	default:
		return style.Render(text)
	}
	return style.Render(clip(text, max(0, w-ansi.StringWidth(offer)))) +
		st.Prompt.Render(clip(offer, w))
}

// confirmAction is what a yes to a confirmation does.
type confirmAction int

const (
	confirmForget confirmAction = iota
	confirmPrune
	confirmDetails
	confirmDevices
)

// confirmation is a pending y/n question. Prompts are short enough for the
// status line of an 80-column terminal.
type confirmation struct {
	prompt string
	action confirmAction
	ids    []string
}

func (c *confirmation) keys(k keyMap) []key.Binding { return []key.Binding{k.Yes, k.No} }

// handleConfirmKey answers the pending question.
func (m model) handleConfirmKey(msg tea.KeyPressMsg) (model, tea.Cmd) {
	k := m.c.keys
	c := m.confirm
	switch {
	case key.Matches(msg, k.Yes):
		m.confirm = nil
		switch c.action {
		case confirmForget, confirmPrune:
			return m, m.forget(c.ids)
		case confirmDetails:
			return m, m.detailsCmd(c.ids[0])
		case confirmDevices:
			return m, m.devicesCmd(c.ids[0])
		}
	case key.Matches(msg, k.No):
		m.confirm = nil
		m.info("nothing done")
	}
	return m, nil
}

// Widths of the names a question quotes, so that it fits 80 columns.
const (
	promptLogin = 16
	promptHost  = 22
)

func (m *model) askForget(s sessions.Session) {
	var after string
	switch {
	case s.StateAt(m.now, m.c.idleLimit) != sessions.StateActive:
	case acceptedLast(s) || len(s.Checks) == 0 && s.Method != "tracked":
		// Accepted when last checked, or logged in here and never checked.
		after = " It stays logged in there."
	default:
		// Tracked and never checked, or no check got an answer.
		after = " It may still be logged in there."
	}
	m.confirm = &confirmation{
		prompt: fmt.Sprintf("forget %s on %s?%s", who(s, promptLogin),
			fitHostTrim(hostOf(s.URL), promptHost), after),
		action: confirmForget,
		ids:    []string{s.ID},
	}
}

// askPrune counts the sessions that are over and asks before forgetting them.
func (m *model) askPrune() {
	var ids []string
	for _, s := range m.list.all {
		switch s.StateAt(m.now, m.c.idleLimit) {
		case sessions.StateLoggedOut, sessions.StateRejected, sessions.StateExpired:
			ids = append(ids, s.ID)
		}
	}
	if len(ids) == 0 {
		m.info("nothing to prune: no session is logged out, not accepted or expired")
		return
	}
	verb := "are"
	if len(ids) == 1 {
		verb = "is"
	}
	m.confirm = &confirmation{
		prompt: fmt.Sprintf("prune %s that %s logged out, not accepted or expired?",
			plural(len(ids), "session", "sessions"), verb),
		action: confirmPrune,
		ids:    ids,
	}
}

// askDetails warns that fetching session_info restarts the idle clock.
func (m *model) askDetails(s sessions.Session) {
	m.confirm = &confirmation{
		prompt: fmt.Sprintf("fetch details? The server's idle clock (%s) starts again.",
			shortDuration(m.c.idleLimit)),
		action: confirmDetails,
		ids:    []string{s.ID},
	}
}

func (m *model) setReveal(on bool) {
	m.list.reveal = on
	m.list.relayout()
	m.detail.setReveal(on)
	if on {
		m.info("sids revealed: r hides them again")
	} else {
		m.info("sids masked")
	}
}
