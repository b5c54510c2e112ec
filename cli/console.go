package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/odoo-sessions/odoo-sessions/config"
	"github.com/odoo-sessions/odoo-sessions/demoserver"
	"github.com/odoo-sessions/odoo-sessions/sessions"
	"github.com/odoo-sessions/odoo-sessions/ui"
)

// runConsole opens the console, on the built-in demo server with --demo.
func runConsole(ctx context.Context, g *globals) error {
	st, err := g.store()
	if err != nil {
		return err
	}
	adapter := &storeAdapter{s: st}
	if _, _, err := st.Load(); err != nil {
		if !errors.As(err, new(*sessions.CorruptError)) {
			// A store the console may not use (open to others, or from a
			// newer version) would silently drop every login: refuse.
			return fmt.Errorf("load tracked sessions: %w", err)
		}
		// The file was moved aside: the console's first load says where.
		adapter.startErr = err
	}
	cfg := ui.Config{
		NewClient: g.consoleClient,
		Store:     adapter,
		Clock:     g.env.Now,
		Logger:    g.logger,
		NoColor:   g.env.Getenv("NO_COLOR") != "",
		Timeout:   g.cfg.Timeout.Duration,
		IdleLimit: g.cfg.IdleLimit.Duration,
	}
	if g.demo {
		srv, err := newDemoServer(g.odooMajor, g)
		if err != nil {
			return err
		}
		url, stop, err := srv.Start("127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("start the demo server: %w", err)
		}
		defer func() {
			shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = stop(shutdown)
		}()
		cfg.URL, cfg.DB, cfg.FocusLogin = url, demoserver.DemoDatabase, true
		for _, u := range demoserver.DemoUsers(g.odooMajor) {
			cfg.DemoUsers = append(cfg.DemoUsers, u.Login+" / "+u.Password+" · "+u.Note)
		}
	}
	p := tea.NewProgram(ui.New(cfg), tea.WithContext(ctx))
	if _, err := p.Run(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("console: %w", err)
	}
	return nil
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
	// startErr is what the load before the console started found; the
	// console's first Load reports it.
	startErr error
}

func (a *storeAdapter) Load() ([]sessions.Session, error) {
	a.mu.Lock()
	err := a.startErr
	a.startErr = nil
	a.mu.Unlock()
	if err != nil {
		return nil, err
	}
	all, _, err := a.s.Load()
	return all, err
}

func (a *storeAdapter) Update(fn func([]sessions.Session) []sessions.Session) ([]sessions.Session, error) {
	return a.s.Update(fn)
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
