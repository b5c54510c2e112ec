package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// rowCache holds the sanitised text of a session that does not change with
// time, so rendering and filtering do no per-row parsing.
type rowCache struct {
	host, db, user string
	search         string
}

// listLayout is the width of each column, computed on resize.
type listLayout struct {
	host, db, user, sid, left, state, checks int
}

// Fixed column widths.
const (
	markWidth   = 2
	sidWidth    = 9  // "6df1…be63"
	leftWidth   = 18 // "00:59:59 idle soon"
	stateWidth  = 12 // "not accepted"
	checksWidth = 5  // "✓ ✗ ·"
)

// listScreen is the home screen: one row per tracked session.
type listScreen struct {
	c   *common
	now time.Time

	all      []sessions.Session
	rows     []rowCache
	index    map[string]int
	filtered []int
	busy     map[string]string

	filter    textinput.Model
	filtering bool
	query     string

	cursor, offset int
	reveal         bool
	width, height  int
	layout         listLayout
	// hostNeed, userNeed and dbNeed are the widest host, user and database
	// of the list; dbNeed is 0 when no session names a database.
	hostNeed, userNeed, dbNeed int
}

func newListScreen(c *common) listScreen {
	f := textinput.New()
	f.Prompt = "/ "
	f.Placeholder = "host, database, user or sid"
	f.SetStyles(c.styles.Input)
	return listScreen{
		c:      c,
		now:    c.clock(),
		index:  map[string]int{},
		busy:   map[string]string{},
		filter: f,
	}
}

func (l *listScreen) restyle() {
	l.filter.SetStyles(l.c.styles.Input)
}

// SetSize sets the body size and lays the columns out.
func (l *listScreen) SetSize(w, h int) {
	l.width, l.height = w, h
	l.relayout()
}

// relayout shares the width left by the fixed columns between host, database
// and user, the host first, since it tells servers apart. When the terminal
// is narrow the database column goes first, then the sid, then the checks.
func (l *listScreen) relayout() {
	lay := listLayout{sid: sidWidth, left: leftWidth, state: stateWidth, checks: checksWidth}
	if l.reveal {
		lay.sid = 42
	}
	// Each column but the last is followed by one space.
	rest := func() int {
		n := l.width - markWidth - lay.left - 1 - lay.state - 1 - lay.checks - 2
		if lay.sid > 0 {
			n -= lay.sid + 1
		}
		return n
	}
	if l.reveal && rest() < 30 {
		lay.sid = max(sidWidth, lay.sid-(30-rest()))
	}
	switch {
	case rest() >= 36:
		lay.db = (rest() - 1) / 4
	case l.dbNeed > 0 && l.hostNeed+l.userNeed+l.dbNeed+2 <= rest():
		// Narrow, but every host, user and database fits whole.
		lay.db = l.dbNeed
	}
	if rest() < 20 {
		lay.sid = 0
	}
	if rest() < 16 {
		lay.checks = 0
	}
	free := rest()
	if lay.db > 0 {
		free -= lay.db + 1
	}
	// The user column gets what it needs, up to a third when the host
	// needs more than the rest; the host gets the rest.
	lay.user = max(0, min(l.userNeed, max((free+2)/3, free-l.hostNeed)))
	lay.host = max(0, free-lay.user)
	l.layout = lay
	l.clampOffset()
}

// setSessions replaces the whole list, dropping forgotten records, and keeps
// the cursor on the same session when it is still there.
func (l *listScreen) setSessions(list []sessions.Session) {
	keep := ""
	if s := l.selected(); s != nil {
		keep = s.ID
	}
	l.all = make([]sessions.Session, 0, len(list))
	for _, s := range list {
		if !s.Forgotten {
			l.all = append(l.all, s)
		}
	}
	l.rows = make([]rowCache, len(l.all))
	l.index = make(map[string]int, len(l.all))
	for i := range l.all {
		l.rows[i] = makeRow(l.all[i])
		l.index[l.all[i].ID] = i
	}
	l.measure()
	l.applyFilter(keep)
}

// measure finds the widest host and user, and lays the columns out again.
func (l *listScreen) measure() {
	l.hostNeed, l.userNeed, l.dbNeed = len("SERVER"), len("USER"), 0
	for i := range l.rows {
		l.hostNeed = max(l.hostNeed, ansi.StringWidth(l.rows[i].host))
		l.userNeed = max(l.userNeed, ansi.StringWidth(l.rows[i].user))
		l.dbNeed = max(l.dbNeed, ansi.StringWidth(l.rows[i].db))
	}
	if l.dbNeed > 0 {
		l.dbNeed = max(l.dbNeed, len("DB"))
	}
	l.relayout()
}

func makeRow(s sessions.Session) rowCache {
	r := rowCache{
		host: hostOf(s.URL),
		db:   odoo.Sanitize(s.DB, 64),
		user: odoo.Sanitize(s.Login, 64),
	}
	if r.user == "" {
		r.user = odoo.Sanitize(s.UserName, 64)
	}
	// The sid as the list shows it: its first and last characters, the
	// part a user can read off the screen or a browser's cookie.
	r.search = strings.ToLower(r.host + "\x00" + r.db + "\x00" + r.user + "\x00" +
		odoo.Sanitize(s.UserName, 64) + "\x00" + sessions.MaskSID(s.SID))
	return r
}

// add appends a new session and selects it.
func (l *listScreen) add(s sessions.Session) {
	l.all = append(l.all, s)
	l.rows = append(l.rows, makeRow(s))
	l.index[s.ID] = len(l.all) - 1
	l.query = ""
	l.filter.SetValue("")
	l.measure()
	l.applyFilter(s.ID)
}

// remove drops the sessions with the given IDs.
func (l *listScreen) remove(ids ...string) {
	drop := make(map[string]bool, len(ids))
	for _, id := range ids {
		drop[id] = true
	}
	kept := make([]sessions.Session, 0, len(l.all))
	for _, s := range l.all {
		if !drop[s.ID] {
			kept = append(kept, s)
		}
	}
	cur := l.cursor
	l.cursor = -1
	l.setSessions(kept)
	l.cursor = min(cur, max(0, len(l.filtered)-1))
	l.clampOffset()
}

// session returns the record with id, to be changed in place.
func (l *listScreen) session(id string) *sessions.Session {
	i, ok := l.index[id]
	if !ok {
		return nil
	}
	return &l.all[i]
}

// refresh recomputes the cached text of one session after a change.
func (l *listScreen) refresh(id string) {
	if i, ok := l.index[id]; ok {
		l.rows[i] = makeRow(l.all[i])
	}
}

// selected returns the session under the cursor.
func (l *listScreen) selected() *sessions.Session {
	if l.cursor < 0 || l.cursor >= len(l.filtered) {
		return nil
	}
	return &l.all[l.filtered[l.cursor]]
}

func (l *listScreen) setBusy(id, what string) {
	if what == "" {
		delete(l.busy, id)
		return
	}
	l.busy[id] = what
}

// applyFilter recomputes the filtered indices and puts the cursor on keepID
// when it is still listed.
func (l *listScreen) applyFilter(keepID string) {
	q := strings.ToLower(strings.TrimSpace(l.query))
	l.filtered = l.filtered[:0]
	for i := range l.rows {
		if q == "" || strings.Contains(l.rows[i].search, q) {
			l.filtered = append(l.filtered, i)
		}
	}
	l.cursor = max(0, min(l.cursor, len(l.filtered)-1))
	if i, ok := l.index[keepID]; ok {
		for fi, ai := range l.filtered {
			if ai == i {
				l.cursor = fi
				break
			}
		}
	}
	l.clampOffset()
}

// visibleRows is how many session rows fit under the header.
func (l listScreen) visibleRows() int {
	n := l.height - 1
	if l.filtering || l.query != "" {
		n--
	}
	return max(1, n)
}

func (l *listScreen) clampOffset() {
	v := l.visibleRows()
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+v {
		l.offset = l.cursor - v + 1
	}
	l.offset = max(0, min(l.offset, len(l.filtered)-v))
}

// Update moves the cursor and edits the filter.
func (l listScreen) Update(msg tea.Msg) (listScreen, tea.Cmd) {
	k, isKey := msg.(tea.KeyPressMsg)
	if l.filtering {
		return l.updateFilter(msg)
	}
	if !isKey {
		return l, nil
	}
	keys := l.c.keys
	switch {
	case key.Matches(k, keys.Up):
		l.cursor--
	case key.Matches(k, keys.Down):
		l.cursor++
	case key.Matches(k, keys.PageUp):
		l.cursor -= l.visibleRows()
	case key.Matches(k, keys.PageDown):
		l.cursor += l.visibleRows()
	case key.Matches(k, keys.Top):
		l.cursor = 0
	case key.Matches(k, keys.Bottom):
		l.cursor = len(l.filtered) - 1
	case key.Matches(k, keys.Filter):
		l.filtering = true
		l.filter.SetValue(l.query)
		l.filter.CursorEnd()
		return l, l.filter.Focus()
	case key.Matches(k, keys.Back) && l.query != "":
		l.query = ""
		l.applyFilter(l.selectedID())
		return l, nil
	}
	l.cursor = max(0, min(l.cursor, len(l.filtered)-1))
	l.clampOffset()
	return l, nil
}

func (l listScreen) selectedID() string {
	if s := l.selected(); s != nil {
		return s.ID
	}
	return ""
}

// updateFilter edits the filter live: enter keeps it, esc clears it.
func (l listScreen) updateFilter(msg tea.Msg) (listScreen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, l.c.keys.Submit):
			l.filtering = false
			l.filter.Blur()
			l.clampOffset()
			return l, nil
		case key.Matches(k, l.c.keys.Back):
			l.filtering = false
			l.filter.Blur()
			l.query = ""
			l.applyFilter(l.selectedID())
			return l, nil
		}
	}
	var cmd tea.Cmd
	l.filter, cmd = l.filter.Update(msg)
	if v := l.filter.Value(); v != l.query {
		l.query = v
		l.applyFilter(l.selectedID())
	}
	return l, cmd
}

// View draws the header and only the rows that fit.
func (l listScreen) View() string {
	if len(l.all) == 0 {
		return l.c.styles.Faint.Render(
			"No sessions yet: press n to log in, or t to track a sid obtained elsewhere.")
	}
	var b strings.Builder
	b.Grow((l.height + 1) * (l.width + 16))
	b.WriteString(l.c.styles.Header.Render(l.headerLine()))
	end := min(len(l.filtered), l.offset+l.visibleRows())
	for fi := l.offset; fi < end; fi++ {
		b.WriteByte('\n')
		b.WriteString(l.rowView(fi))
	}
	shown := end - l.offset
	if len(l.filtered) == 0 {
		b.WriteString("\n" + l.c.styles.Faint.Render("no session matches the filter"))
		shown = 1
	}
	if l.filtering || l.query != "" {
		for i := shown; i < l.visibleRows(); i++ {
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
		b.WriteString(l.filterLine())
	}
	return b.String()
}

func (l listScreen) filterLine() string {
	count := fmt.Sprintf(" (%d of %d)", len(l.filtered), len(l.all))
	if l.filtering {
		// The input pads itself to its width: leave room for the count
		// and the cursor after it.
		in := l.filter
		in.SetWidth(max(1, l.width-ansi.StringWidth(in.Prompt)-ansi.StringWidth(count)-1))
		return in.View() + l.c.styles.Faint.Render(count)
	}
	return l.c.styles.Faint.Render(clip("filter: "+l.query+count+" · / edits, esc clears",
		l.width))
}

// ShortHelp lists the main keys of the list.
func (l listScreen) ShortHelp() []key.Binding {
	k := l.c.keys
	if l.filtering {
		return []key.Binding{k.Submit, k.Back}
	}
	if len(l.all) == 0 {
		// Nothing to open, check or forget yet.
		return []key.Binding{k.Answer, k.Login, k.Track, k.Help, k.Quit}
	}
	return []key.Binding{k.Answer, k.Open, k.Login, k.Check, k.Logout, k.Forget, k.Filter,
		k.Reveal, k.Help, k.Quit}
}

// FullHelp lists every key of the list.
func (l listScreen) FullHelp() [][]key.Binding {
	k := l.c.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Login, k.Track, k.Check, k.CheckAll, k.Logout},
		{k.Forget, k.Prune, k.Filter, k.Reveal, k.Answer, k.Help, k.Quit},
	}
}
