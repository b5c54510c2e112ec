package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/config"
	"github.com/odoo-sessions/odoo-sessions/demoserver"
	"github.com/odoo-sessions/odoo-sessions/sessions"
	"github.com/odoo-sessions/odoo-sessions/ui"
)

// consoleGCPercent is the garbage collector's target for the processes that
// run consoles: they hold a large list that rarely changes and allocate
// little, so collecting at half the live heap instead of all of it costs
// next to nothing and keeps their resident memory lower (about 46 MB rather
// than 55 with 10,000 sessions).
const consoleGCPercent = 50

// runConsole opens the console, on the built-in demo server with --demo.
func runConsole(ctx context.Context, g *globals) error {
	debug.SetGCPercent(consoleGCPercent)
	adapter, err := g.consoleStore()
	if err != nil {
		return err
	}
	sh, err := g.startShared()
	if err != nil {
		return err
	}
	defer sh.stop()
	cfg := g.consoleConfig(sh, adapter, g.env.Getenv("NO_COLOR") != "")
	p := tea.NewProgram(ui.New(cfg), tea.WithContext(ctx))
	final, err := p.Run()
	// A signal ends the program without waiting for the console's last
	// writes: make them here.
	if _, werr := ui.WriteLeft(final); werr != nil {
		return fmt.Errorf("console: %w", werr)
	}
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("console: %w", err)
	}
	return nil
}

// consoleStore opens the sessions file for one console. A store the console
// may not use (open to others, or from a newer version) would silently drop
// every login: it is refused. A corrupt one has been moved aside: the
// console's first load says where.
func (g *globals) consoleStore() (*storeAdapter, error) {
	st, err := g.store()
	if err != nil {
		return nil, err
	}
	adapter := &storeAdapter{s: st}
	list, rep, err := st.Load()
	switch {
	case errors.As(err, new(*sessions.CorruptError)):
		adapter.startErr = err
	case err != nil:
		return nil, fmt.Errorf("load tracked sessions: %w", err)
	default:
		// The console's first load takes these rather than reading
		// 10,000 sessions twice.
		adapter.first = sessions.WithForgotten(list, rep.Forgotten)
	}
	return adapter, nil
}

// shared is what the consoles of one process share: with --demo, the
// built-in server they log in to.
type shared struct {
	url, db   string
	demoUsers []string
	stop      func()
}

// startShared starts the demo server when --demo asks for one.
func (g *globals) startShared() (shared, error) {
	sh := shared{stop: func() {}}
	if !g.demo {
		return sh, nil
	}
	srv, err := newDemoServer(g.odooMajor, g)
	if err != nil {
		return sh, err
	}
	url, stop, err := srv.Start("127.0.0.1:0")
	if err != nil {
		return sh, fmt.Errorf("start the demo server: %w", err)
	}
	sh.stop = func() {
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = stop(shutdown)
	}
	sh.url, sh.db = url, demoserver.DemoDatabase
	for _, u := range demoserver.DemoUsers(g.odooMajor) {
		sh.demoUsers = append(sh.demoUsers, u.Login+" / "+u.Password+" · "+u.Note)
	}
	return sh, nil
}

// consoleConfig is the configuration of one console on store.
func (g *globals) consoleConfig(sh shared, store *storeAdapter, noColor bool) ui.Config {
	return ui.Config{
		NewClient:   g.consoleClient,
		Store:       store,
		Clock:       g.env.Now,
		Logger:      g.logger,
		NoColor:     noColor,
		Timeout:     g.cfg.Timeout.Duration,
		Concurrency: g.cfg.Concurrency,
		IdleLimit:   g.cfg.IdleLimit.Duration,
		URL:         sh.url,
		DB:          sh.db,
		FocusLogin:  sh.url != "",
		DemoUsers:   sh.demoUsers,
		Profiles:    consoleProfiles(g.cfg.Profiles),
	}
}

// consoleProfiles are the configuration's profiles as the login form takes
// them.
func consoleProfiles(ps []config.Profile) []ui.Profile {
	out := make([]ui.Profile, len(ps))
	for i, p := range ps {
		out[i] = ui.Profile{Name: p.Name, URL: p.URL, DB: p.DB, Login: p.Login}
	}
	return out
}

// The console reads session_info and check history on demand through
// these optional interfaces.
var (
	_ ui.InfoReader     = (*storeAdapter)(nil)
	_ ui.HistoryReader  = (*storeAdapter)(nil)
	_ ui.ChangeReporter = (*storeAdapter)(nil)
)

// storeAdapter gives the console the store's view it declares.
type storeAdapter struct {
	s *sessions.Store

	mu sync.Mutex
	// startErr and first are what the load before the console started
	// found; the console's first Load returns them.
	startErr error
	first    []sessions.Session
}

func (a *storeAdapter) Load() ([]sessions.Session, error) {
	a.mu.Lock()
	err, first := a.startErr, a.first
	a.startErr, a.first = nil, nil
	a.mu.Unlock()
	if err != nil || first != nil {
		return first, err
	}
	all, rep, err := a.s.Load()
	return sessions.WithForgotten(all, rep.Forgotten), err
}

func (a *storeAdapter) Update(fn func([]sessions.Session) []sessions.Session) ([]sessions.Session, error) {
	all, forgotten, err := a.s.UpdateForgotten(fn)
	return sessions.WithForgotten(all, forgotten), err
}

// Info reads a session's stored session_info, which the store keeps out
// of the lists Load and Update return.
func (a *storeAdapter) Info(id string) (json.RawMessage, error) { return a.s.Info(id) }

// History reads a session's stored check history, which the store keeps
// out of the lists Load and Update return.
func (a *storeAdapter) History(id string) (map[string][]sessions.Check, error) {
	return a.s.History(id)
}

// Changed reports whether another console wrote the file since this one
// last read or wrote it. When that cannot be told, it says yes, so that
// the console reloads and shows the error.
func (a *storeAdapter) Changed() bool {
	changed, err := a.s.Changed()
	return changed || err != nil
}

// consoleClient builds a client for the console, whose form names the
// field itself.
func (g *globals) consoleClient(url string) (ui.Client, error) {
	u, err := config.ParseServerURL(url)
	if err != nil {
		return nil, err
	}
	c, err := g.newClient(u)
	if err != nil {
		return nil, err
	}
	return c, nil
}
