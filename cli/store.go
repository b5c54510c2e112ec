package cli

import (
	"encoding/json"
	"fmt"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// store opens the tracked sessions file.
func (g *globals) store() (*sessions.Store, error) {
	path := g.storePath
	if path == "" {
		p, err := sessions.DefaultPath()
		if err != nil {
			return nil, local(fmt.Errorf("find the sessions file: %w", err))
		}
		path = p
	}
	return sessions.Open(path, sessions.WithClock(g.env.Now),
		sessions.WithIdleLimit(g.cfg.IdleLimit.Duration)), nil
}

func (g *globals) loadSessions() ([]sessions.Session, error) {
	st, err := g.store()
	if err != nil {
		return nil, err
	}
	all, _, err := st.Load()
	if err != nil {
		return nil, local(fmt.Errorf("load tracked sessions: %w", err))
	}
	return all, nil
}

func (g *globals) addSession(s sessions.Session) error {
	st, err := g.store()
	if err != nil {
		return err
	}
	if _, err := st.Add(s); err != nil {
		return local(fmt.Errorf("track the session: %w", err))
	}
	return nil
}

// recordChecks stores check results on every tracked session with this
// URL and sid; a sid that is not tracked is left alone.
func (g *globals) recordChecks(url, sid string, results []odoo.CheckResult) error {
	now := g.env.Now()
	return g.editMatching(url, sid, func(s *sessions.Session) {
		for _, r := range results {
			s.RecordCheck(CheckRecord(r), now)
		}
	})
}

func (g *globals) markLoggedOut(url, sid string) error {
	return g.editMatching(url, sid, func(s *sessions.Session) {
		s.State = sessions.StateLoggedOut
	})
}

func (g *globals) editMatching(url, sid string, fn func(*sessions.Session)) error {
	st, err := g.store()
	if err != nil {
		return err
	}
	now := g.env.Now()
	_, err = st.Update(func(all []sessions.Session) []sessions.Session {
		for i := range all {
			if all[i].URL == url && all[i].SID == sid {
				fn(&all[i])
				all[i].UpdatedAt = now
			}
		}
		return all
	})
	if err != nil {
		return local(fmt.Errorf("update tracked sessions: %w", err))
	}
	return nil
}

// CheckRecord turns a check result into what the sessions file keeps.
func CheckRecord(r odoo.CheckResult) sessions.Check {
	c := sessions.Check{
		Transport: string(r.Transport), Accepted: r.Accepted, Status: r.Status,
		Latency: r.Latency, At: r.At, Saved: r.Saved,
	}
	if r.Err != nil {
		c.Err = odoo.Sanitize(r.Err.Error(), 200)
	}
	return c
}

// sessionInfo reads the stored session_info of one session.
func (g *globals) sessionInfo(id string) (json.RawMessage, error) {
	st, err := g.store()
	if err != nil {
		return nil, err
	}
	info, err := st.Info(id)
	return info, local(err)
}
