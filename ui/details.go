package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// detailsCmd fetches session_info through the preferred transport.
func (m *model) detailsCmd(id string) tea.Cmd {
	s := m.list.session(id)
	if s == nil {
		return nil
	}
	key := m.nextKey()
	m.pending[id+"/details"] = key
	m.info("fetching details…")
	return fetchDetailsCmd(m.pool, m.c.clock, s.URL, s.SID, preferredTransport(*s), id, key,
		m.timeout)
}

// handleDetailsDone stores the fresh session_info and restarts the idle
// clock, since the server just saved the session.
func (m model) handleDetailsDone(msg detailsDoneMsg) (model, tea.Cmd) {
	if m.pending[msg.id+"/details"] != msg.key {
		return m, nil
	}
	delete(m.pending, msg.id+"/details")
	s := m.list.session(msg.id)
	if s == nil {
		return m, nil
	}
	if msg.err != nil {
		m.failWith(s.SID, "fetch details: "+errorText(msg.err, hostOf(s.URL)), msg.err)
		return m, nil
	}

	m.serverSaved(s, msg.at)
	if len(msg.info.Raw) > 0 {
		s.Info = msg.info.Raw
	}
	storeDetails(s, msg.info)
	m.list.refresh(s.ID)
	m.syncDetail()
	m.info("details fetched; the server's idle clock restarted")
	return m, m.persist(*s)
}

// storeDetails copies what session_info says about the session. A tracked
// sid comes with no login and perhaps a database typed from memory:
// session_info is the authority on both.
func storeDetails(s *sessions.Session, info odoo.SessionInfo) {
	s.UID = info.UID
	if info.Name != "" {
		s.UserName = info.Name
	}
	if info.ServerVersion != "" {
		s.ServerVersion = info.ServerVersion
	}
	tracked := s.Method == "tracked"
	if info.Username != "" && (s.Login == "" || tracked) {
		s.Login = info.Username
	}
	if info.DB != "" && (s.DB == "" || tracked) {
		s.DB = info.DB
	}
}
