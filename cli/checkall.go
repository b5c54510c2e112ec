package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// checkAllJSON is one session in the --json output of check --all.
type checkAllJSON struct {
	ID        string             `json:"id"`
	URL       string             `json:"url"`
	DB        string             `json:"db"`
	Login     string             `json:"login"`
	SID       string             `json:"sid"`
	State     string             `json:"state"`
	Results   []checkJSON        `json:"results"`
	Diagnosis []sessions.Finding `json:"diagnosis"`
	// Outcome sums up the results: one of the outcome constants, empty
	// when the session was not checked.
	Outcome string `json:"outcome,omitempty"`
	// Skipped says why the session was not checked.
	Skipped string `json:"skipped,omitempty"`
}

// Outcomes of one session's checks, as check --all --json writes them.
const (
	outcomeAccepted = "accepted"        // every transport checked accepts the sid
	outcomePartly   = "partly-accepted" // some do
	outcomeRefused  = "not-accepted"    // each answered, and none accepts it
	outcomeFailed   = "failed"          // none accepts it, and some check got no answer
)

// outcomeWords is how the closing summary names each outcome, in order.
var outcomeWords = []struct{ outcome, words string }{
	{outcomeAccepted, "accepted"},
	{outcomePartly, "accepted through some transports only"},
	{outcomeRefused, "not accepted"},
	{outcomeFailed, "could not be checked"},
}

// outcome sums up the checks of one session.
func outcome(results []odoo.CheckResult) string {
	accepted, failed := 0, false
	for _, r := range results {
		switch {
		case r.Accepted:
			accepted++
		case r.Err != nil:
			failed = true
		}
	}
	switch {
	case accepted == len(results):
		return outcomeAccepted
	case accepted > 0:
		return outcomePartly
	case failed:
		return outcomeFailed
	default:
		return outcomeRefused
	}
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
		e := checkAllJSON{ID: s.ID, URL: s.URL, DB: s.DB, Login: s.Login, SID: sessions.MaskSID(s.SID),
			Results: []checkJSON{}, Diagnosis: []sessions.Finding{}}
		if len(results[i]) == 0 {
			// Older checks would describe the session as it was, not as
			// it is: say why this one was not checked instead.
			e.State, e.Skipped = string(s.State), skipReason(s, ctx.Err() != nil)
			out = append(out, e)
			continue
		}
		// One session_info that cannot be read (open to others) is left
		// out of its diagnosis, and the first such error said once.
		if err := g.describeChecks(&e, s, results[i]); err != nil && infoErr == nil {
			infoErr = err
		}
		checked = append(checked, results[i])
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
		printCheckAll(g.env.Stdout, out)
	}
	if ctx.Err() != nil {
		return &exitError{code: ExitRefused, err: fmt.Errorf("check --all: stopped before the end")}
	}
	return checkExit(checked, anyOK)
}

// describeChecks fills in e from the results of checking s: each result,
// the state and diagnosis they lead to, and their outcome.
func (g *globals) describeChecks(e *checkAllJSON, s sessions.Session, results []odoo.CheckResult) error {
	probe := sessions.Session{State: s.State, DB: s.DB}
	// The store keeps session_info apart; the diagnosis compares its
	// database with the session's.
	info, err := g.sessionInfo(s.ID)
	probe.Info = info
	for _, r := range results {
		probe.RecordCheck(CheckRecord(r), r.At)
		e.Results = append(e.Results, checkToJSON(r))
	}
	e.State, e.Diagnosis, e.Outcome = string(probe.State), probe.Diagnose(), outcome(results)
	return err
}

// printCheckAll writes one block per session, headed by the server and,
// when known, the database and the user, then a closing summary.
func printCheckAll(w io.Writer, out []checkAllJSON) {
	for _, e := range out {
		head := []string{clean(e.URL)}
		if e.DB != "" {
			head = append(head, "database "+clean(e.DB))
		}
		if e.Login != "" {
			head = append(head, "user "+clean(e.Login))
		}
		fmt.Fprintf(w, "%s  sid %s\n", strings.Join(head, "  "), e.SID)
		printResults(w, e.Results, e.Diagnosis)
		if e.Skipped != "" {
			fmt.Fprintf(w, "  %s\n", e.Skipped)
		}
	}
	fmt.Fprintln(w, checkAllSummary(out))
}

// checkAllSummary counts the sessions by outcome, such as "checked 204
// sessions: 200 accepted, 3 not accepted, 1 could not be checked; 2 not
// checked".
func checkAllSummary(out []checkAllJSON) string {
	if len(out) == 0 {
		return "no tracked sessions to check"
	}
	count := map[string]int{}
	for _, e := range out {
		count[e.Outcome]++
	}
	skipped := count[""]
	checked := len(out) - skipped
	line := fmt.Sprintf("checked %d session", checked)
	if checked != 1 {
		line += "s"
	}
	var parts []string
	for _, o := range outcomeWords {
		if n := count[o.outcome]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, o.words))
		}
	}
	if len(parts) > 0 {
		line += ": " + strings.Join(parts, ", ")
	}
	if skipped > 0 {
		line += fmt.Sprintf("; %d not checked", skipped)
	}
	return line
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
				r := c.Check(ctx, s.SID, t)
				results[i] = append(results[i], r)
				if errors.Is(r.Err, odoo.ErrUnreachable) || errors.Is(r.Err, odoo.ErrTimeout) {
					// Not asked again for the other transports: they
					// stay unchecked.
					break
				}
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
