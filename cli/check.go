package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// checkJSON is one transport's result in the --json output of check.
type checkJSON struct {
	Transport string    `json:"transport"`
	Accepted  bool      `json:"accepted"`
	Status    int       `json:"status"`
	LatencyMS float64   `json:"latency_ms"`
	CheckedAt time.Time `json:"checked_at"`
	Error     string    `json:"error,omitempty"`
	// Saved is true when the answer set the sid's cookie again: the server
	// saved the session, which restarts its idle timer.
	Saved bool `json:"saved,omitempty"`
}

type checkOutput struct {
	URL       string             `json:"url"`
	SID       string             `json:"sid"`
	Results   []checkJSON        `json:"results"`
	Diagnosis []sessions.Finding `json:"diagnosis"`
}

func runCheck(ctx context.Context, g *globals, args []string) error {
	fs := newFlagSet(g, "check", "--url URL --sid SID [--transport header|cookie|param|all] [--any] [--json]\n"+
		"       odoo-sessions check --all [--concurrency 8] [--any] [--json]")
	target := addTargetFlags(fs, "the session id to test", "all", true)
	asJSON := fs.Bool("json", false, "print one JSON document")
	all := fs.Bool("all", false, "check every tracked session instead of one sid")
	anyOK := fs.Bool("any", false, "exit 0 when some transport accepts the sid (it is logged in), "+
		"instead of only when every one does")
	conc := fs.Int("concurrency", g.cfg.Concurrency, "with --all: how many requests at once")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *all {
		ts, err := target.transports()
		if err != nil {
			return err
		}
		if target.named() {
			return usagef("check: --all checks the tracked sessions; leave out --url and --sid")
		}
		if *conc < 1 || *conc > 256 {
			return usagef("check: --concurrency %d: expected 1 to 256", *conc)
		}
		return checkAll(ctx, g, ts, *conc, *asJSON, *anyOK)
	}
	c, s, ts, err := target.resolve(g)
	if err != nil {
		return err
	}

	results := make([]odoo.CheckResult, 0, len(ts))
	for _, t := range ts {
		results = append(results, c.Check(ctx, s, t))
	}
	if err := g.recordChecks(c.URL(), s, results); err != nil {
		// The checks themselves went through: show them, and say why
		// they could not be kept.
		g.warn(err)
	}

	out := checkOutput{URL: c.URL(), SID: sessions.MaskSID(s)}
	probe := sessions.Session{}
	for _, r := range results {
		out.Results = append(out.Results, checkToJSON(r))
		probe.RecordCheck(CheckRecord(r), r.At)
	}
	out.Diagnosis = probe.Diagnose()
	if *asJSON {
		if err := writeJSON(g.env.Stdout, out); err != nil {
			return err
		}
	} else {
		printChecks(g.env.Stdout, out)
	}
	return checkExit([][]odoo.CheckResult{results}, *anyOK)
}

// checkExit gives the exit code of the checks of some sessions, one group
// per session: 0 when every transport accepted each session, or with
// anyOK when some transport did (the session is logged in); 3 when a
// check that counts got no Odoo answer; 1 otherwise.
func checkExit(groups [][]odoo.CheckResult, anyOK bool) error {
	code := ExitOK
	for _, results := range groups {
		if anyOK && slices.ContainsFunc(results, func(r odoo.CheckResult) bool { return r.Accepted }) {
			continue
		}
		for _, r := range results {
			switch {
			case r.Err != nil && unreachable(r.Err):
				return &exitError{code: ExitUnreachable}
			case !r.Accepted:
				code = ExitRefused
			}
		}
	}
	if code != ExitOK {
		return &exitError{code: code}
	}
	return nil
}

func checkToJSON(r odoo.CheckResult) checkJSON {
	out := checkJSON{
		Transport: string(r.Transport), Accepted: r.Accepted, Status: r.Status,
		LatencyMS: float64(r.Latency.Microseconds()) / 1000, CheckedAt: r.At.UTC(), Saved: r.Saved,
	}
	if r.Err != nil {
		out.Error = clean(r.Err.Error())
	}
	return out
}

func printChecks(w io.Writer, out checkOutput) {
	fmt.Fprintf(w, "%s  sid %s\n", out.URL, out.SID)
	printResults(w, out.Results, out.Diagnosis)
}

// printResults writes a line per transport's result, then the diagnosis.
func printResults(w io.Writer, results []checkJSON, diagnosis []sessions.Finding) {
	for _, r := range results {
		verdict := "accepted"
		if !r.Accepted {
			verdict = "not accepted"
		}
		if r.Error != "" {
			verdict = "no answer"
		}
		line := fmt.Sprintf("  %-7s %-13s %3d  %6.1f ms", r.Transport, verdict, r.Status, r.LatencyMS)
		if r.Error != "" {
			line += "  " + r.Error
		}
		if r.Saved {
			line += "  (the server saved the session: its idle clock starts again)"
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	for _, f := range diagnosis {
		fmt.Fprintf(w, "=> %s\n", f.Summary)
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

func runLogout(ctx context.Context, g *globals, args []string) error {
	fs := newFlagSet(g, "logout", "--url URL --sid SID [--transport auto|header|cookie|param] [--json]")
	target := addTargetFlags(fs, "the session id to log out", "auto", false)
	target.allowAuto = true
	fs.Lookup("transport").Usage = "auto (the header, then the cookie when the server " +
		"does not read the header), header, cookie or param"
	asJSON := fs.Bool("json", false, "print one JSON document")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c, s, ts, err := target.resolve(g)
	if err != nil {
		return err
	}

	res, err := c.Logout(ctx, s, ts[0])
	if errors.Is(err, odoo.ErrTransportIgnored) && len(ts) > 1 {
		// Nothing was ended: the server said it reads the sid another way.
		res, err = c.Logout(ctx, s, ts[1])
		ts = ts[1:]
	}
	if err != nil {
		return err
	}
	if err := g.markLoggedOut(c.URL(), s); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(g.env.Stdout, map[string]any{
			"url": c.URL(), "sid": sessions.MaskSID(s), "logged_out": true,
			"transport": ts[0], "endpoint": res.Endpoint, "status": res.Status,
		})
	}
	fmt.Fprintf(g.env.Stdout, "logged out %s at %s (%s, via %s)\n",
		sessions.MaskSID(s), c.URL(), res.Endpoint, ts[0])
	return nil
}
