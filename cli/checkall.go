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
}

// checkAll checks every tracked session that is not logged out, at most
// conc requests at a time, and records the results.
func checkAll(ctx context.Context, g *globals, ts []odoo.Transport, conc int, asJSON bool) error {
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
		fmt.Fprintf(g.env.Stderr, "odoo-sessions: warning: %s\n", clean(err.Error()))
	}

	out := make([]checkAllJSON, 0, len(all))
	var flat []odoo.CheckResult
	for i, s := range all {
		for _, r := range results[i] {
			s.RecordCheck(CheckRecord(r), r.At)
			flat = append(flat, r)
		}
		e := checkAllJSON{ID: s.ID, URL: s.URL, Login: s.Login, SID: sessions.MaskSID(s.SID),
			State: string(s.State), Results: []checkJSON{}, Diagnosis: s.Diagnose()}
		for _, r := range results[i] {
			e.Results = append(e.Results, checkToJSON(r))
		}
		out = append(out, e)
	}
	if asJSON {
		if err := writeJSON(g.env.Stdout, out); err != nil {
			return err
		}
	} else {
		for _, e := range out {
			printChecks(g.env.Stdout, checkOutput{URL: e.URL + " " + clean(e.Login), SID: e.SID,
				Results: e.Results, Diagnosis: e.Diagnosis})
		}
	}
	if ctx.Err() != nil {
		return &exitError{code: ExitRefused, err: fmt.Errorf("check --all: stopped before the end")}
	}
	return checkExit(flat)
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
