package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// DeviceLister may be implemented by a Client that can read the server's
// list of a user's sessions (res.device, Odoo 18).
type DeviceLister interface {
	Devices(ctx context.Context, sid string, t odoo.Transport, uid int) ([]odoo.Device, error)
}

// devicesDoneMsg reports a res.device read, which the server counts as a
// save of the asking session.
type devicesDoneMsg struct {
	key     reqKey
	id      string
	devices []odoo.Device
	at      time.Time
	err     error
}

// deviceList is what the server listed for a session's user, as asked.
type deviceList struct {
	at   time.Time
	rows []deviceRow
}

// deviceRow is a res.device row and the tracked session it records, if any.
type deviceRow struct {
	dev odoo.Device
	// sid and state are those of the tracked session the row records; sid
	// is empty when no tracked session matches.
	sid   string
	state sessions.State
	// asking marks the session that asked.
	asking bool
}

// askDevices checks that the server can have a device list for the
// session's user, then asks before reading it: the read saves the session.
func (m *model) askDevices(s sessions.Session) {
	if v := majorOf(s.ServerVersion); v > 0 && v < 18 {
		m.info(fmt.Sprintf("Odoo %d keeps no device list: res.device came with Odoo 18", v))
		return
	}
	if s.UID == 0 {
		m.info("whose devices? Fetch the details first (d): they name the session's user")
		return
	}
	m.confirm = &confirmation{
		prompt: fmt.Sprintf("list the user's devices? The server's idle clock (%s) starts again.",
			shortDuration(m.c.idleLimit)),
		action: confirmDevices,
		ids:    []string{s.ID},
	}
}

// majorOf returns the major version of a server_version ("18.0-20250702"),
// 0 when unknown.
func majorOf(version string) int {
	var major int
	if _, err := fmt.Sscanf(version, "%d", &major); err != nil {
		return 0
	}
	return major
}

// devicesCmd reads the device list through the cookie, the one transport
// stock Odoo 18 reads.
func (m *model) devicesCmd(id string) tea.Cmd {
	s := m.list.session(id)
	if s == nil {
		return nil
	}
	key := m.nextKey()
	m.pending[id+"/devices"] = key
	m.info("reading the server's device list…")
	p, clock, timeout := m.pool, m.c.clock, m.timeout
	url, sid, uid := s.URL, s.SID, s.UID
	return func() tea.Msg {
		msg := devicesDoneMsg{key: key, id: id}
		c, err := p.get(url)
		if err != nil {
			msg.err = err
			return msg
		}
		lister, ok := c.(DeviceLister)
		if !ok {
			msg.err = errors.New("this console's client cannot read device lists")
			return msg
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		msg.devices, msg.err = lister.Devices(ctx, sid, odoo.TransportCookie, uid)
		msg.at = clock()
		return msg
	}
}

// handleDevicesDone shows the list in the detail view, each row matched
// with the tracked session it records, and restarts the idle clock.
func (m model) handleDevicesDone(msg devicesDoneMsg) (model, tea.Cmd) {
	if m.pending[msg.id+"/devices"] != msg.key {
		return m, nil
	}
	delete(m.pending, msg.id+"/devices")
	s := m.list.session(msg.id)
	if s == nil {
		return m, nil
	}
	if msg.err != nil {
		m.failWith(s.SID, "device list: "+errorText(msg.err, hostOf(s.URL)), msg.err)
		return m, nil
	}
	list := deviceList{at: msg.at}
	for _, d := range msg.devices {
		row := deviceRow{dev: d, asking: d.Is(s.SID)}
		for _, t := range m.list.all {
			if t.URL == s.URL && d.Is(t.SID) {
				row.sid, row.state = t.SID, t.State
				break
			}
		}
		list.rows = append(list.rows, row)
	}
	m.detail.setDevices(s.ID, list)
	m.serverSaved(s, msg.at)
	m.list.refresh(s.ID)
	m.syncDetail()
	m.info(fmt.Sprintf("the server lists %s for this user; the idle clock restarted",
		plural(len(list.rows), "device", "devices")))
	return m, m.persist(*s)
}

// deviceLines renders the list for the detail view's lower pane.
func (d detailScreen) deviceLines(list deviceList) []string {
	st := d.c.styles
	lines := []string{st.Label.Render(fmt.Sprintf("devices (res.device) as the server listed them at %s UTC",
		list.at.UTC().Format(time.TimeOnly)))}
	if len(list.rows) == 0 {
		lines = append(lines, "  none")
	}
	whoWidth := 0
	for _, r := range list.rows {
		whoWidth = max(whoWidth, ansi.StringWidth(d.deviceWho(r)))
	}
	for _, r := range list.rows {
		lines = append(lines, fmt.Sprintf("  %s  %s · last %s", fit(d.deviceWho(r), whoWidth),
			r.dev.Describe(), d.minute(r.dev.LastActivity)))
	}
	for _, l := range wrapWords("Odoo keeps a row after a logout until the device is revoked: "+
		"a row is not proof that the sid works, a check (c) is.", max(20, d.width-2)) {
		lines = append(lines, st.Faint.Render("  "+l))
	}
	return append(lines, "")
}

// deviceWho names the session a row records: this one, another tracked
// one, or one the console does not track (shown by the start of its sid).
func (d detailScreen) deviceWho(r deviceRow) string {
	switch {
	case r.asking:
		return "this session"
	case r.sid != "":
		return fmt.Sprintf("tracked %s, %s", maskedSID(r.sid, d.reveal), sessions.StateWord(r.state))
	case d.reveal:
		return "untracked " + r.dev.SessionPrefix + "…"
	}
	return "untracked " + firstRunes(r.dev.SessionPrefix, 4) + "…"
}

func firstRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// setDevices keeps the list read for the session with this ID.
func (d *detailScreen) setDevices(id string, list deviceList) {
	d.devices[id] = list
	if d.sess.ID == id {
		d.renderInfo()
	}
}

// paneLines is the lower pane: the device list when one was read, then
// session_info.
func (d detailScreen) paneLines() []string {
	info := maskLines(prettyInfo(d.sess.Info), d.sess.SID, d.reveal)
	list, ok := d.devices[d.sess.ID]
	if !ok {
		return info
	}
	return append(d.deviceLines(list), info...)
}

// paneTitle names what the lower pane holds.
func (d detailScreen) paneTitle() string {
	if _, ok := d.devices[d.sess.ID]; ok {
		return "devices and session_info"
	}
	return "session_info"
}
