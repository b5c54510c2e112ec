package cli

import (
	"context"
	"fmt"
	"sync"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// checkAllJSON is one session in the --json output of check --all.
type checkAllJSON struct {
	ID        string             `json:"id"`
	URL       string             `json:"url"`
	Login     string             `json:"login"`
	SID       string             `json:"sid"`
	State     string             `json:"state"`
	Results   []checkJSON        `json:"results"`
	Diagnosis []sessions.Finding `json:"diagnosis"`
	// Skipped says why the session was not checked.
	Skipped string `json:"skipped,omitempty"`
}

func skipReason(s sessions.Session, cancelled bool) string {
	switch {
	case s.State == sessions.StateLoggedOut:
		return "logged out through odoo-sessions: not checked"
	case cancelled:
		return "not checked: stopped before its turn"
	default:
		return "not checked: its URL is not valid"
	}
}

// checkAll checks every tracked session that is not logged out, at most
// conc requests at a time, and records the results.
func checkAll(ctx context.Context, g *globals, ts []odoo.Transport, conc int, asJSON, anyOK bool) error {
	all, err := g.loadSessions()
	if err != nil {
		return err
	}
	results := runChecks(ctx, g, all, ts, conc)
	byID := make(map[string][]odoo.CheckResult, len(all))
	for i, s := range all {
		if len(results[i]) > 0 {
			byID[s.ID] = results[i]
		}
	}
	if err := g.recordAll(byID); err != nil {
		g.warn(err)
	}

	out := make([]checkAllJSON, 0, len(all))
	var checked [][]odoo.CheckResult
	var infoErr error
	for i, s := range all {
		e := checkAllJSON{ID: s.ID, URL: s.URL, Login: s.Login, SID: sessions.MaskSID(s.SID),
			Results: []checkJSON{}, Diagnosis: []sessions.Finding{}}
		if len(results[i]) == 0 {
			// Older checks would describe the session as it was, not as
			// it is: say why this one was not checked instead.
			e.State, e.Skipped = string(s.State), skipReason(s, ctx.Err() != nil)
			out = append(out, e)
			continue
		}
		probe := sessions.Session{State: s.State, DB: s.DB}
		// The store keeps session_info apart; the diagnosis compares its
		// database with the session's. One that cannot be read (open to
		// others) is left out, and the first such error said once.
		if probe.Info, err = g.sessionInfo(s.ID); err != nil && infoErr == nil {
			infoErr = err
		}
		for _, r := range results[i] {
			probe.RecordCheck(CheckRecord(r), r.At)
			e.Results = append(e.Results, checkToJSON(r))
		}
		checked = append(checked, results[i])
		e.State, e.Diagnosis = string(probe.State), probe.Diagnose()
		out = append(out, e)
	}
	if infoErr != nil {
		g.warn(infoErr)
	}
	if asJSON {
		if err := writeJSON(g.env.Stdout, out); err != nil {
			return err
		}
	} else {
		for _, e := range out {
			head := checkOutput{URL: e.URL + " " + clean(e.Login), SID: e.SID,
				Results: e.Results, Diagnosis: e.Diagnosis}
			printChecks(g.env.Stdout, head)
			if e.Skipped != "" {
				fmt.Fprintf(g.env.Stdout, "  %s\n", e.Skipped)
			}
		}
	}
	if ctx.Err() != nil {
		return &exitError{code: ExitRefused, err: fmt.Errorf("check --all: stopped before the end")}
	}
	return checkExit(checked, anyOK)
}

// runChecks runs the checks of every session, conc sessions at a time;
// results[i] belongs to all[i]. Logged-out sessions are not checked.
func runChecks(ctx context.Context, g *globals, all []sessions.Session, ts []odoo.Transport,
	conc int) [][]odoo.CheckResult {
	results := make([][]odoo.CheckResult, len(all))
	sem := make(chan struct{}, conc)
	clients := map[string]*odoo.Client{}
	var wg sync.WaitGroup
	for i, s := range all {
		if s.State == sessions.StateLoggedOut {
			continue
		}
		c, ok := clients[s.URL]
		if !ok {
			var err error
			if c, err = g.client(s.URL); err != nil {
				continue
			}
			clients[s.URL] = c
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return results
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			for _, t := range ts {
				results[i] = append(results[i], c.Check(ctx, s.SID, t))
			}
		}()
	}
	wg.Wait()
	return results
}

// recordAll stores the results on the sessions they belong to, by ID, so
// that what another console changed meanwhile is kept.
func (g *globals) recordAll(byID map[string][]odoo.CheckResult) error {
	st, err := g.store()
	if err != nil {
		return err
	}
	_, err = st.Update(func(cur []sessions.Session) []sessions.Session {
		for i := range cur {
			for _, r := range byID[cur[i].ID] {
				cur[i].RecordCheck(CheckRecord(r), r.At)
			}
		}
		return cur
	})
	return err
}
