package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// trackJSON is the --json output of track.
type trackJSON struct {
	ID        string             `json:"id"`
	URL       string             `json:"url"`
	SID       string             `json:"sid"`
	DB        string             `json:"db,omitempty"`
	Login     string             `json:"login,omitempty"`
	Name      string             `json:"name,omitempty"`
	UID       int                `json:"uid,omitempty"`
	State     string             `json:"state"`
	Results   []checkJSON        `json:"results"`
	Diagnosis []sessions.Finding `json:"diagnosis"`
}

func runTrack(ctx context.Context, g *globals, args []string) error {
	fs := newFlagSet(g, "track", "(--url URL | --profile NAME) --sid SID [--transport cookie|header|param] [--identify] [--no-check] [--json]")
	target := addTargetFlags(fs, "the session id, copied from a browser cookie or a curl session",
		"cookie", false)
	identify := fs.Bool("identify", false, "fetch who the sid belongs to through --transport "+
		"(get_session_info: this resets the server's idle timer)")
	noCheck := fs.Bool("no-check", false, "track without checking the sid first")
	asJSON := fs.Bool("json", false, "print one JSON document")
	profile := addProfileFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := g.applyProfile(fs, *profile); err != nil {
		return err
	}
	c, s, ts, err := target.resolve(g)
	if err != nil {
		return err
	}
	if err := g.refuseTracked(c.URL(), s); err != nil {
		return err
	}

	now := g.env.Now()
	rec := sessions.Session{
		ID: sessions.NewID(), URL: c.URL(), SID: s, ObtainedAt: now, Method: "tracked",
		State: sessions.StateActive, UpdatedAt: now,
	}
	var results []odoo.CheckResult
	if !*noCheck {
		if results, err = trackCheck(ctx, c, &rec); err != nil {
			return err
		}
	}
	// A sid no transport accepts has no session_info to give.
	refused := len(results) > 0 && !slices.ContainsFunc(results, accepted)
	identified := *identify && !refused
	var identifyErr error
	if identified {
		// A failed lookup does not stop the tracking: the sid is there to
		// be watched, and d in the console can try again.
		identifyErr = identifySession(ctx, c, &rec, ts[0], g.env.Now())
		identified = identifyErr == nil
	}
	if err := g.addSession(rec); err != nil {
		return err
	}
	if *asJSON {
		out := trackJSON{ID: rec.ID, URL: rec.URL, SID: sessions.MaskSID(s), DB: rec.DB,
			Login: rec.Login, Name: rec.UserName, UID: rec.UID, State: string(rec.State),
			Results: []checkJSON{}, Diagnosis: rec.Diagnose()}
		for _, r := range results {
			out.Results = append(out.Results, checkToJSON(r))
		}
		if err := writeJSON(g.env.Stdout, out); err != nil {
			return err
		}
	} else {
		printTracked(g, rec, identified, results)
	}
	if refused {
		return trackRefused(rec.SID, *identify)
	}
	if identifyErr != nil {
		return fmt.Errorf("track: tracked, but not identified: %w", transportHint(identifyErr, ts[0]))
	}
	return nil
}

// transportHint adds to err, a refusal of a sid sent through t, that the
// server may not read that transport: stock Odoo 16 and 18 answer a sid in
// the header or the parameter as they answer an anonymous request.
func transportHint(err error, t odoo.Transport) error {
	if !errors.Is(err, odoo.ErrSessionExpired) || t == odoo.TransportCookie {
		return err
	}
	return fmt.Errorf("%w; the server may not read the sid from the %s (stock Odoo 16 and 18 "+
		"read only the cookie): try --transport cookie", err, t.Word())
}

func accepted(r odoo.CheckResult) bool { return r.Accepted }

// trackRefused is the exit of track when the server accepts the sid
// through no transport: it is tracked all the same, to be watched, but
// the server refused it.
func trackRefused(sid string, identify bool) error {
	msg := fmt.Sprintf("track: the server accepts %s through no transport (header, cookie, param); "+
		"tracking it anyway", sessions.MaskSID(sid))
	if identify {
		msg += ", not identified"
	}
	return &exitError{code: ExitRefused, err: errors.New(msg)}
}

// trackCheck checks the sid through every transport before it is tracked,
// so that its state is known; a server that does not answer as Odoo stops
// the tracking.
func trackCheck(ctx context.Context, c *odoo.Client, rec *sessions.Session) ([]odoo.CheckResult, error) {
	results := make([]odoo.CheckResult, 0, len(odoo.Transports))
	for _, t := range odoo.Transports {
		r := c.Check(ctx, rec.SID, t)
		if r.Err != nil && unreachable(r.Err) {
			return nil, fmt.Errorf("check the sid before tracking it (--no-check to skip): %w", r.Err)
		}
		results = append(results, r)
		rec.RecordCheck(CheckRecord(r), r.At)
	}
	return results, nil
}

// identifySession fills in whose sid it is from get_session_info, which
// also saves the session on the server and so restarts its idle clock.
func identifySession(ctx context.Context, c *odoo.Client, rec *sessions.Session, t odoo.Transport,
	now time.Time) error {
	info, err := c.SessionInfo(ctx, rec.SID, t)
	if err != nil {
		return fmt.Errorf("identify the sid: %w", err)
	}
	rec.DB, rec.Login, rec.UserName, rec.UID = info.DB, info.Username, info.Name, info.UID
	rec.ServerVersion, rec.Info, rec.SavedAt = info.ServerVersion, info.Raw, now
	return nil
}

// refuseTracked fails when the sid is already tracked for this server.
func (g *globals) refuseTracked(url, sid string) error {
	all, err := g.loadSessions()
	if err != nil {
		return err
	}
	for _, s := range all {
		if s.URL == url && s.SID == sid {
			return usagef("track: %s is already tracked for %s (%s)", sessions.MaskSID(sid), url,
				s.StateAt(g.env.Now(), g.cfg.IdleLimit.Duration))
		}
	}
	return nil
}

func printTracked(g *globals, rec sessions.Session, identified bool, results []odoo.CheckResult) {
	who := "owner unknown until identified (--identify, or d in the console)"
	if identified {
		who = fmt.Sprintf("%s (uid %d) on database %s", clean(rec.UserName), rec.UID, clean(rec.DB))
	}
	fmt.Fprintf(g.env.Stdout, "tracking %s at %s: %s\n", sessions.MaskSID(rec.SID), rec.URL, who)
	if len(results) > 0 {
		out := checkOutput{URL: rec.URL, SID: sessions.MaskSID(rec.SID), Diagnosis: rec.Diagnose()}
		for _, r := range results {
			out.Results = append(out.Results, checkToJSON(r))
		}
		printChecks(g.env.Stdout, out)
	}
}
