package ui

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// persist queues copies of records for the store and writes them unless a
// write is already on its way; one write at a time keeps them in order.
func (m *model) persist(recs ...sessions.Session) tea.Cmd {
	for _, r := range recs {
		m.unsaved[r.ID] = cloneSession(r)
	}
	return m.flushUnlessBulk()
}

// flushUnlessBulk writes the queued records, except while a check of every
// session runs: it records thousands of results, which then go to the store
// with every other tick and at its end, not in one whole-file save after
// another that would slow the check down.
func (m *model) flushUnlessBulk() tea.Cmd {
	if m.bulk.active && !m.quitting {
		return nil
	}
	return m.flush()
}

// flush sends the queued records to the store unless a write is on its way.
func (m *model) flush() tea.Cmd {
	if m.saving || len(m.unsaved) == 0 {
		return nil
	}
	recs := slices.SortedFunc(maps.Values(m.unsaved), func(a, b sessions.Session) int {
		return cmp.Or(a.ObtainedAt.Compare(b.ObtainedAt), strings.Compare(a.ID, b.ID))
	})
	m.inflight, m.unsaved = m.unsaved, map[string]sessions.Session{}
	m.saving, m.saveKey = true, m.nextKey()
	return saveSessionsCmd(m.store, m.saveKey, recs)
}

// handleSessionsSaved takes the store's merged content, which includes what
// other consoles wrote, and sends the next queued write.
func (m model) handleSessionsSaved(msg sessionsSavedMsg) (model, tea.Cmd) {
	if msg.key != m.saveKey || !m.saving {
		return m, nil
	}
	failed := m.inflight
	m.saving, m.inflight = false, nil
	switch {
	case isCorrupt(msg.err):
		return m, m.writeBack("saving sessions", msg.err, failed)
	case msg.err != nil:
		// Kept for the next try, with the tick: the cause (a mode, a full
		// disk) may be mended while the console runs.
		for id, r := range failed {
			if _, newer := m.unsaved[id]; !newer {
				m.unsaved[id] = r
			}
		}
		text := "saving sessions: " + odoo.Sanitize(msg.err.Error(), maxErrText)
		if m.quitting {
			text += "; not written yet: q again quits without them"
		}
		m.failStore(text)
		return m, nil
	case !m.bulk.active:
		m.storeWorks()
		// What the save returned is newer than a reload on its way.
		m.watchKey = 0
		if cmd := m.adopt(msg.list, msg.fp); cmd != nil {
			return m, cmd
		}
	}
	m.storeWorks()
	if m.quitting && !m.unwritten() {
		return m, tea.Quit
	}
	return m, m.flushUnlessBulk()
}

// unwritten reports whether changes made here have not all reached the store.
func (m model) unwritten() bool {
	return m.saving || len(m.unsaved) > 0
}

// quit ends the console once its changes are in the store: a login made a
// moment ago must not be lost with the process. Asked again, or when the
// last write failed, it quits at once.
func (m model) quit() (model, tea.Cmd) {
	if m.bulk.active {
		// Nothing waits for the checks: over SSH the process outlives
		// this console.
		m.bulk.stop()
	}
	if m.quitting || !m.unwritten() {
		return m, tea.Quit
	}
	m.quitting = true
	n := len(m.unsaved) + len(m.inflight)
	m.info(fmt.Sprintf("writing %s to the sessions file before quitting · q again quits now",
		plural(n, "session", "sessions")))
	return m, m.flush()
}

// WriteLeft writes to the store what the console whose program ended with
// final had changed but not yet written: the program can end on a signal or
// a closed SSH connection while a write is on its way or queued. Records go
// in by ID, as the console's own writes do. It returns how many it wrote, or
// tried to.
func WriteLeft(final tea.Model) (int, error) {
	m, ok := final.(model)
	if !ok || !m.unwritten() {
		return 0, nil
	}
	left := maps.Clone(m.inflight)
	if left == nil {
		left = map[string]sessions.Session{}
	}
	maps.Copy(left, m.unsaved)
	recs := slices.Collect(maps.Values(left))
	_, err := m.store.Update(func(cur []sessions.Session) []sessions.Session {
		return mergeRecords(cur, recs)
	})
	if err != nil {
		return len(recs), fmt.Errorf("write the last %s: %w",
			plural(len(recs), "session", "sessions"), err)
	}
	return len(recs), nil
}

// handleSessionsLoaded takes the store's content at start-up or after
// another console changed it.
func (m model) handleSessionsLoaded(msg sessionsLoadedMsg) (model, tea.Cmd) {
	switch {
	case msg.key == m.loadKey && m.loadKey != 0:
		m.loadKey = 0
	case msg.key == m.watchKey && m.watchKey != 0:
		m.watchKey = 0
	default:
		return m, nil
	}
	if isCorrupt(msg.err) {
		return m, m.writeBack("reading the session store", msg.err, nil)
	}
	if msg.err != nil {
		// The list stays as it is: a store that cannot be read says
		// nothing about the sessions.
		m.failStore("reading the session store: " + odoo.Sanitize(msg.err.Error(), maxErrText))
		return m, nil
	}
	m.storeWorks()
	m.noteForgotten(msg.list)
	if msg.unchanged || m.bulk.active {
		return m, nil
	}
	return m, m.adopt(msg.list, msg.fp)
}

// isCorrupt says whether err reports a sessions file that could not be
// decoded, which the store moved aside before starting a new one.
func isCorrupt(err error) bool {
	var ce *sessions.CorruptError
	return errors.As(err, &ce)
}

// writeBack reports a corrupt sessions file, then queues every session the
// console holds, and the records of a write that failed, for the new file
// the store starts: what the console showed is not lost with the old file.
func (m *model) writeBack(what string, err error, failed map[string]sessions.Session) tea.Cmd {
	for id, r := range failed {
		if _, queued := m.unsaved[id]; !queued {
			m.unsaved[id] = r
		}
	}
	for _, s := range m.list.all {
		if _, queued := m.unsaved[s.ID]; !queued {
			m.unsaved[s.ID] = cloneSession(s)
		}
	}
	m.queueForgotten()
	m.fail(fmt.Sprintf("%s: %s; writing the %s held here to a new file", what,
		odoo.Sanitize(err.Error(), maxErrText), plural(len(m.list.all), "session", "sessions")))
	return m.flush()
}

// adopt replaces the list with the store's content, with the local changes
// that are not written yet laid over it. The sessions held here that the
// store neither lists nor remembers as forgotten were lost with the file:
// they stay, and the command it returns writes them back.
func (m *model) adopt(list []sessions.Session, fp storeFingerprint) tea.Cmd {
	m.storeFP = fp
	if local := len(m.inflight) + len(m.unsaved); local > 0 {
		recs := make([]sessions.Session, 0, local)
		for _, r := range m.inflight {
			recs = append(recs, cloneSession(r))
		}
		for _, r := range m.unsaved {
			recs = append(recs, cloneSession(r))
		}
		list = mergeRecords(list, recs)
	}
	m.noteForgotten(list)
	lost := m.lostFrom(list)
	for _, s := range lost {
		m.unsaved[s.ID] = s
	}
	if len(lost) > 0 {
		// The new file lacks the marks of the old one too.
		m.queueForgotten()
	}
	list = append(list, lost...)
	m.keepInfo(list)
	m.list.setSessions(list)
	m.syncDetail()
	if len(lost) == 0 {
		return nil
	}
	n := plural(len(lost), "session", "sessions")
	m.setStatus(status{kind: statusError, store: true,
		text: fmt.Sprintf("the sessions file lacks %s held here, not forgotten by another "+
			"console (the file was removed or replaced): writing them back", n),
		settled: fmt.Sprintf("wrote back %s the sessions file had lost (it was removed or replaced)", n)})
	return m.flush()
}

// noteForgotten remembers the sessions list marks as forgotten.
func (m *model) noteForgotten(list []sessions.Session) {
	for i := range list {
		if list[i].Forgotten {
			m.forgotten[list[i].ID] = true
		}
	}
}

// queueForgotten queues a forgotten mark for every session known to be
// forgotten, for a new file to hold them.
func (m *model) queueForgotten() {
	for id := range m.forgotten {
		if _, queued := m.unsaved[id]; !queued {
			m.unsaved[id] = sessions.Session{ID: id, Forgotten: true, UpdatedAt: m.now}
		}
	}
}

// lostFrom returns copies of the sessions held here that list neither
// holds nor marks as forgotten, nor are known here to be forgotten.
func (m *model) lostFrom(list []sessions.Session) []sessions.Session {
	if len(m.list.all) == 0 {
		return nil
	}
	known := make(map[string]bool, len(list))
	for i := range list {
		known[list[i].ID] = true
	}
	var lost []sessions.Session
	for _, s := range m.list.all {
		if !known[s.ID] && !m.forgotten[s.ID] {
			lost = append(lost, cloneSession(s))
		}
	}
	return lost
}

// keepInfo gives the records of list that come without session_info the one
// the console already holds: a store may keep session_info apart and leave
// it out of its lists (see InfoReader).
func (m *model) keepInfo(list []sessions.Session) {
	for i := range list {
		if len(list[i].Info) > 0 {
			continue
		}
		if s := m.list.session(list[i].ID); s != nil {
			list[i].Info = s.Info
		}
	}
}

// loadInfoCmd reads the stored session_info of the session id when the
// store keeps it apart from its lists.
func (m *model) loadInfoCmd(id string) tea.Cmd {
	r, ok := m.store.(InfoReader)
	h, hok := m.store.(HistoryReader)
	if !ok && !hok {
		return nil
	}
	key := m.nextKey()
	m.pending[id+"/info"] = key
	return func() tea.Msg {
		msg := infoLoadedMsg{key: key, id: id}
		if ok {
			msg.info, msg.err = r.Info(id)
		}
		if hok && msg.err == nil {
			msg.hist, msg.err = h.History(id)
		}
		return msg
	}
}

// handleInfoLoaded puts the stored session_info into the session, unless a
// change of the console's own is still on its way to the store.
func (m model) handleInfoLoaded(msg infoLoadedMsg) (model, tea.Cmd) {
	if m.pending[msg.id+"/info"] != msg.key {
		return m, nil
	}
	delete(m.pending, msg.id+"/info")
	s := m.list.session(msg.id)
	if s == nil {
		return m, nil
	}
	if msg.err != nil {
		m.fail("reading the stored session_info: " + odoo.Sanitize(msg.err.Error(), maxErrText))
		return m, nil
	}
	m.detail.setHistory(msg.id, msg.hist)
	_, unsaved := m.unsaved[msg.id]
	_, inflight := m.inflight[msg.id]
	if len(msg.info) == 0 || unsaved || inflight {
		return m, nil
	}
	s.Info = msg.info
	m.syncDetail()
	return m, nil
}

// syncDetail refreshes the detail view's copy of its session.
func (m *model) syncDetail() {
	if m.detail.sess.ID == "" {
		return
	}
	s := m.list.session(m.detail.sess.ID)
	if s == nil {
		if m.screen == screenDetail {
			m.screen = screenList
			m.info("that session was forgotten")
		}
		m.detail.sess = sessions.Session{}
		return
	}
	m.list.refresh(s.ID)
	m.detail.update(*s)
}
