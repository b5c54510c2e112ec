// Package ui is the terminal console of odoo-sessions: a login form, the list
// of tracked session ids with their countdowns, and a detail view that tests
// a sid through each transport Odoo accepts.
package ui

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// Client is what the console needs from an Odoo server; *odoo.Client
// implements it.
type Client interface {
	Login(ctx context.Context, req odoo.LoginRequest) (*odoo.LoginResult, error)
	CompleteTOTP(ctx context.Context, halfSID, code string) (*odoo.LoginResult, error)
	Check(ctx context.Context, sid string, t odoo.Transport) odoo.CheckResult
	SessionInfo(ctx context.Context, sid string, t odoo.Transport) (odoo.SessionInfo, error)
	Logout(ctx context.Context, sid string, t odoo.Transport) (odoo.LogoutResult, error)
	Version(ctx context.Context) (odoo.ServerVersion, error)
	ListDatabases(ctx context.Context) ([]string, error)
	// ModuleState returns the state of module on database db, "" when the
	// server does not know the module; it authenticates over XML-RPC with
	// login and password.
	ModuleState(ctx context.Context, db, login, password, module string) (string, error)
}

// SessionStore persists the tracked sessions. Load and Update return slices
// the console may keep and change: they must not share maps or backing
// arrays with the store's own state. Update applies fn to the current
// content under the store's lock and returns what was saved. Both return,
// beside the live sessions, a record with Forgotten set for each session
// forgotten in the store: a session the console holds that is in neither
// was lost with the file (removed, or replaced by a new one), not
// forgotten elsewhere, and the console writes it back.
type SessionStore interface {
	Load() ([]sessions.Session, error)
	Update(fn func([]sessions.Session) []sessions.Session) ([]sessions.Session, error)
}

// ChangeReporter may be implemented by a SessionStore that can tell cheaply
// (for instance from the file's modification time) whether another process
// wrote it since this store last read or wrote it; when it cannot tell, it
// should say yes. Without it the console polls with Load.
type ChangeReporter interface {
	Changed() bool
}

// InfoReader may be implemented by a SessionStore that keeps each
// session's session_info apart and leaves it out of what Load and Update
// return. Info returns the stored session_info of the session with the
// given ID, nil when there is none.
type InfoReader interface {
	Info(id string) (json.RawMessage, error)
}

// HistoryReader may be implemented by a SessionStore that keeps the older
// checks of each session apart, leaving only the latest ones in what Load
// and Update return. History returns up to sessions.MaxChecks checks per
// transport, oldest first; nil when nothing is stored.
type HistoryReader interface {
	History(id string) (map[string][]sessions.Check, error)
}

// Config is everything the console needs from its caller.
type Config struct {
	// NewClient builds a client for a server URL. Required. Its error is
	// shown as it is under the login form: it should name the URL and no
	// command-line flag.
	NewClient func(url string) (Client, error)
	// Store persists sessions. Without one, sessions live in memory only.
	Store SessionStore
	// Clock returns the current time; time.Now when nil.
	Clock func() time.Time
	// Logger receives debug lines; it never sees a password or a whole sid.
	Logger *slog.Logger
	// URL and DB prefill the login form.
	URL string
	DB  string
	// DemoUsers are shown under the login form, one line each.
	DemoUsers []string
	// Profiles are the servers the user logs in to often: ↑/↓ on the
	// login form's URL field fills in one after the other.
	Profiles []Profile
	// NoColor drops colours (NO_COLOR); meaning stays in the text.
	NoColor bool
	// FocusLogin opens the console on the login form with the cursor on the
	// login field (used with --demo).
	FocusLogin bool
	// Timeout bounds every request; 15 seconds when zero.
	Timeout time.Duration
	// Concurrency bounds the sessions a check of every session tests at
	// once; DefaultConcurrency when zero.
	Concurrency int
	// IdleLimit is the server's idle limit; sessions.IdleLimit when zero.
	IdleLimit time.Duration
	// Location is the zone of "local" times; time.Local when nil.
	Location *time.Location
}

// Profile is a server and user the login form can fill in.
type Profile struct {
	Name, URL, DB, Login string
}

// common is built once and shared by every screen.
type common struct {
	styles    styles
	keys      keyMap
	log       *slog.Logger
	clock     func() time.Time
	loc       *time.Location
	idleLimit time.Duration
	noColor   bool
	dark      bool
}

type screenID int

const (
	screenList screenID = iota
	screenLogin
	screenDetail
	screenTrack
	screenAnswer
)

// bulkCheck is the state of a C run over every session.
type bulkCheck struct {
	active  bool
	stopped bool
	key     reqKey
	// ctx ends with the run; esc cancels it and the requests on their way.
	ctx      context.Context
	cancel   context.CancelFunc
	queue    []string
	inFlight int
	done     int
	total    int

	accepted, refused, failed int
}

// DefaultConcurrency is how many sessions a check of every session tests
// at once unless Config says otherwise.
const DefaultConcurrency = 8

// model is the console's only tea.Model.
type model struct {
	c       *common
	store   SessionStore
	pool    *clientPool
	timeout time.Duration
	// inFlight bounds the sessions a bulk check tests at once.
	inFlight int

	width, height int
	now           time.Time
	seq           reqKey
	tickTag       int
	ticks         int

	screen  screenID
	list    listScreen
	login   loginScreen
	detail  detailScreen
	track   trackScreen
	answer  answerScreen
	help    help.Model
	confirm *confirmation
	status  status
	// statusSeq counts status changes, so that a key that set none can
	// clear a stale one.
	statusSeq int
	bulk      bulkCheck
	progress  progress.Model

	// pending maps "<session id>/<operation>" to the key of the request in
	// flight; a reply with another key is stale.
	pending map[string]reqKey
	// cookieOnly marks the sessions whose server refused a logout by
	// another transport while it reads the cookie.
	cookieOnly map[string]bool
	// forgotten holds the IDs of the sessions forgotten here or seen
	// forgotten in the store: a console that writes a new file (the old
	// one was corrupt, removed or replaced) writes their marks too, so that
	// a console still holding one does not bring it back.
	forgotten map[string]bool

	loadKey  reqKey
	watchKey reqKey
	saveKey  reqKey
	saving   bool
	inflight map[string]sessions.Session
	unsaved  map[string]sessions.Session
	storeFP  storeFingerprint
	// quitting is set once a quit waits for the last writes.
	quitting bool
}

// New builds the console from cfg.
func New(cfg Config) tea.Model {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.IdleLimit <= 0 {
		cfg.IdleLimit = sessions.IdleLimit
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	if cfg.Store == nil {
		cfg.Store = &memoryStore{}
	}

	c := &common{
		styles:    newStyles(true, cfg.NoColor),
		keys:      defaultKeyMap(),
		log:       cfg.Logger,
		clock:     cfg.Clock,
		loc:       cfg.Location,
		idleLimit: cfg.IdleLimit,
		noColor:   cfg.NoColor,
		dark:      true,
	}
	m := model{
		c:        c,
		store:    cfg.Store,
		pool:     newClientPool(cfg.NewClient),
		timeout:  cfg.Timeout,
		inFlight: cfg.Concurrency,
		now:      cfg.Clock(),
		tickTag:  1,
		list:     newListScreen(c),
		login:    newLoginScreen(c, cfg.URL, cfg.DB, cfg.DemoUsers, cfg.Profiles),
		detail:   newDetailScreen(c),
		track:    newTrackScreen(c),
		answer:   newAnswerScreen(c),
		help:     help.New(),
		progress: progress.New(progress.WithoutPercentage(), progress.WithFillCharacters('█', '░')),
		pending:  map[string]reqKey{},
		unsaved:  map[string]sessions.Session{},

		cookieOnly: map[string]bool{},
		forgotten:  map[string]bool{},
	}
	m.help.Styles = c.styles.Help
	m.loadKey = m.nextKey()
	if cfg.FocusLogin {
		m.screen = screenLogin
		m.login.focusField(fieldLogin)
	}
	if cfg.URL != "" {
		m.login.probeKey = m.nextKey()
		m.login.probedURL = cfg.URL
	}
	m.syncTyping()
	return m
}

// Init loads the sessions, starts the heartbeat and asks the terminal for
// its background colour.
func (m model) Init() tea.Cmd {
	cmds := []tea.Cmd{
		loadSessionsCmd(m.store, m.loadKey),
		tickCmd(m.c.clock, m.tickTag),
		tea.RequestBackgroundColor,
	}
	if m.login.probeKey != 0 {
		cmds = append(cmds, probeServerCmd(m.pool, m.login.probedURL, m.login.probeKey, m.timeout))
	}
	return tea.Batch(cmds...)
}

// Update dispatches each message to its handler.
func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.setSize(msg.Width, msg.Height)
	case tea.BackgroundColorMsg:
		m.handleBackground(msg)
	case tickMsg:
		m, cmd = m.handleTick(msg)
	case tea.KeyPressMsg:
		m, cmd = m.handleKey(msg)
	case sessionsLoadedMsg:
		m, cmd = m.handleSessionsLoaded(msg)
	case sessionsSavedMsg:
		m, cmd = m.handleSessionsSaved(msg)
	case loginDoneMsg:
		m, cmd = m.handleLoginDone(msg)
	case probeDoneMsg:
		m.login.handleProbeDone(msg)
	case checkDoneMsg:
		m, cmd = m.handleCheckDone(msg)
	case logoutDoneMsg:
		m, cmd = m.handleLogoutDone(msg)
	case detailsDoneMsg:
		m, cmd = m.handleDetailsDone(msg)
	case devicesDoneMsg:
		m, cmd = m.handleDevicesDone(msg)
	case infoLoadedMsg:
		m, cmd = m.handleInfoLoaded(msg)
	default:
		m, cmd = m.forward(msg)
	}
	m.syncTyping()
	return m, cmd
}

// forward hands other messages (spinner frames, cursor blinks, pastes) to the
// screen that shows them.
func (m model) forward(msg tea.Msg) (model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.screen {
	case screenLogin:
		m.login, cmd = m.login.Update(msg)
	case screenTrack:
		m.track, cmd = m.track.Update(msg)
	case screenList:
		m.list, cmd = m.list.Update(msg)
	case screenDetail:
		m.detail, cmd = m.detail.Update(msg)
	case screenAnswer:
		m.answer, cmd = m.answer.Update(msg)
	}
	return m, cmd
}

func (m *model) nextKey() reqKey {
	m.seq++
	return m.seq
}

// syncTyping disables letter shortcuts while a text input has focus, and
// offers the full message only when there is more to read than its line
// shows.
func (m *model) syncTyping() {
	typing := m.confirm == nil && !m.help.ShowAll &&
		(m.screen == screenLogin || m.screen == screenTrack ||
			(m.screen == screenList && m.list.filtering))
	msg := m.currentMessage()
	m.c.keys.setTyping(typing, msg != nil && msg.answer != nil)
	m.c.keys.Answer.SetEnabled(m.screen != screenAnswer && msg != nil)
}

func (m *model) setSize(w, h int) {
	m.width, m.height = w, h
	m.help.SetWidth(max(0, w-m.c.styles.Status.GetHorizontalFrameSize()))
	bw := max(0, w-m.c.styles.Body.GetHorizontalFrameSize())
	bh := max(0, h-chromeLines)
	m.list.SetSize(bw, bh)
	m.login.SetSize(bw, bh)
	m.detail.SetSize(bw, bh)
	m.track.SetSize(bw, bh)
	m.answer.SetSize(bw, bh)
}

func (m *model) handleBackground(msg tea.BackgroundColorMsg) {
	m.c.dark = msg.IsDark()
	m.c.styles = newStyles(m.c.dark, m.c.noColor)
	m.help.Styles = m.c.styles.Help
	m.login.restyle()
	m.track.restyle()
	m.list.restyle()
}

// handleTick records the tick's time, re-arms the heartbeat and, every other
// second, asks the store whether another console changed it.
func (m model) handleTick(msg tickMsg) (model, tea.Cmd) {
	if msg.tag != m.tickTag {
		return m, nil
	}
	m.now = msg.at
	m.tickTag++
	m.ticks++
	m.detail.now = m.now
	m.list.now = m.now
	cmds := []tea.Cmd{tickCmd(m.c.clock, m.tickTag)}
	if m.ticks%2 == 0 {
		// What a check of every session recorded, or what a failed write
		// left queued.
		cmds = append(cmds, m.flush())
	}
	if m.ticks%2 == 0 && m.watchKey == 0 && m.loadKey == 0 && !m.busyWriting() {
		m.watchKey = m.nextKey()
		cmds = append(cmds, watchStoreCmd(m.store, m.watchKey, m.storeFP))
	}
	return m, tea.Batch(cmds...)
}

// catchUp moves the console's clock to at when a reply was stamped after the
// last tick, so that a clock restarted by that reply never shows more than
// its whole length left.
func (m *model) catchUp(at time.Time) {
	if at.After(m.now) {
		m.now, m.detail.now, m.list.now = at, at, at
	}
}

// serverSaved restarts the idle clock of s: the server saved the session
// when it answered at at.
func (m *model) serverSaved(s *sessions.Session, at time.Time) {
	m.catchUp(at)
	s.SavedAt, s.UpdatedAt = at, m.now
}

// busyWriting is true while local changes have not reached the store.
func (m model) busyWriting() bool {
	return m.saving || len(m.unsaved) > 0 || m.bulk.active
}

// chromeLines is what the title, status and help lines take.
const chromeLines = 3

// View draws the screen.
func (m model) View() tea.View {
	var b strings.Builder
	b.WriteString(m.titleView())
	b.WriteByte('\n')
	// Indent by hand: rendering the whole body through a padded style would
	// measure and pad every line again, which costs more than the rows.
	indent := strings.Repeat(" ", m.c.styles.Body.GetPaddingLeft())
	for i, line := range strings.Split(m.bodyView(), "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(indent + line)
	}
	b.WriteByte('\n')
	b.WriteString(m.c.styles.Status.Render(m.statusView()))
	b.WriteByte('\n')
	b.WriteString(m.c.styles.Status.Render(m.helpView()))

	v := tea.NewView(m.frame(b.String()))
	v.AltScreen = true
	v.WindowTitle = "odoo-sessions"
	return v
}

// frame makes the view exactly the terminal's size: no line wider, and the
// body padded or cut so the status and help lines stay at the bottom.
func (m model) frame(s string) string {
	if m.width <= 0 || m.height <= 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	head, tail := lines[:len(lines)-2], lines[len(lines)-2:]
	out := make([]string, 0, m.height+2)
	for i := range max(0, m.height-len(tail)) {
		l := ""
		if i < len(head) {
			l = head[i]
		}
		out = append(out, l)
	}
	out = append(out, tail...)
	out = out[len(out)-m.height:]
	for i, l := range out {
		if lipgloss.Width(l) > m.width {
			out[i] = clip(l, m.width)
		}
	}
	return strings.Join(out, "\n")
}

func (m model) titleView() string {
	t := m.c.styles.Title.Render("odoo-sessions")
	n := len(m.list.all)
	info := m.c.styles.Faint.Render(" · " + plural(n, "session", "sessions"))
	if m.list.reveal {
		info += m.c.styles.Warning.Render(" · sids revealed")
	}
	return t + info
}

// listLegend explains the list's columns under its full help, in lines
// that fit 80 columns.
var listLegend = []string{
	"H C P  last check through the header, the cookie, the session_id parameter",
	"       ✓ accepted  ✗ not accepted  ! no answer from Odoo  · not checked",
	"TIME   the nearer of the module's expires_at (exp) and the idle limit (idle)",
	"? or esc closes this help",
}

func (m model) bodyView() string {
	if m.help.ShowAll {
		view := m.help.FullHelpView(m.activeKeys().FullHelp())
		if m.screen == screenList {
			view += "\n"
			for _, l := range listLegend {
				view += "\n" + m.c.styles.Faint.Render(l)
			}
		}
		return view
	}
	switch m.screen {
	case screenLogin:
		return m.login.View()
	case screenDetail:
		return m.detail.View()
	case screenTrack:
		return m.track.View()
	case screenAnswer:
		return m.answer.View()
	}
	return m.list.View()
}

func (m model) helpView() string {
	if m.confirm != nil {
		return m.help.ShortHelpView(m.confirm.keys(m.c.keys))
	}
	h := m.help
	h.ShowAll = false
	return h.View(m.activeKeys())
}

// activeKeys is the help.KeyMap of what the screen currently offers.
func (m model) activeKeys() help.KeyMap {
	switch m.screen {
	case screenLogin:
		return m.login
	case screenDetail:
		return m.detail
	case screenTrack:
		return m.track
	case screenAnswer:
		return m.answer
	}
	return m.list
}
