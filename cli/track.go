package cli

import (
	"context"
	"fmt"

	"github.com/odoo-sessions/odoo-sessions/sessions"
)

func runTrack(ctx context.Context, g *globals, args []string) error {
	fs := newFlagSet(g, "track", "--url URL --sid SID [--identify] [--transport cookie]")
	target := addTargetFlags(fs, "the session id, copied from a browser cookie or a curl session",
		"cookie", false)
	identify := fs.Bool("identify", false, "fetch who the sid belongs to "+
		"(get_session_info: this resets the server's idle timer)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c, s, ts, err := target.resolve(g)
	if err != nil {
		return err
	}

	now := g.env.Now()
	rec := sessions.Session{
		URL: c.URL(), SID: s, ObtainedAt: now, Method: "tracked",
		State: sessions.StateActive, UpdatedAt: now,
	}
	if *identify {
		info, err := c.SessionInfo(ctx, s, ts[0])
		if err != nil {
			return fmt.Errorf("identify the sid at %s: %w", c.URL(), err)
		}
		rec.DB, rec.Login, rec.UserName, rec.UID = info.DB, info.Username, info.Name, info.UID
		rec.ServerVersion, rec.Info, rec.SavedAt = info.ServerVersion, info.Raw, now
	}
	if err := g.addSession(rec); err != nil {
		return err
	}
	who := "owner unknown until identified (--identify, or d in the console)"
	if *identify {
		who = fmt.Sprintf("%s (uid %d) on database %s", clean(rec.UserName), rec.UID, clean(rec.DB))
	}
	fmt.Fprintf(g.env.Stdout, "tracking %s at %s: %s\n", sessions.MaskSID(s), c.URL(), who)
	return nil
}
