package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// deviceJSON is one row of the --json output of devices.
type deviceJSON struct {
	// Session is the start of the sid the row records, masked.
	Session string `json:"session"`
	// ThisSession marks the row of the sid that asked.
	ThisSession bool `json:"this_session"`
	// TrackedID and TrackedState describe the tracked session the row
	// records, if any.
	TrackedID     string    `json:"tracked_id,omitempty"`
	TrackedState  string    `json:"tracked_state,omitempty"`
	DeviceType    string    `json:"device_type"`
	Platform      string    `json:"platform,omitempty"`
	Browser       string    `json:"browser,omitempty"`
	IPAddress     string    `json:"ip_address,omitempty"`
	Country       string    `json:"country,omitempty"`
	City          string    `json:"city,omitempty"`
	FirstActivity time.Time `json:"first_activity,omitzero"`
	LastActivity  time.Time `json:"last_activity,omitzero"`

	describe string // for the text output
}

type devicesOutput struct {
	URL     string       `json:"url"`
	UID     int          `json:"uid"`
	User    string       `json:"user"`
	Devices []deviceJSON `json:"devices"`
}

// devicesNote says what a row does not prove.
const devicesNote = "Odoo keeps a row after a logout until the device is revoked: " +
	"a row is not proof that a sid works; check it."

func runDevices(ctx context.Context, g *globals, args []string) error {
	fs := newFlagSet(g, "devices", "--url URL --sid SID [--transport cookie|header|param] [--json]")
	target := addTargetFlags(fs, "a session id of the user whose devices to list", "cookie", false)
	asJSON := fs.Bool("json", false, "print one JSON document")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c, sid, ts, err := target.resolve(g)
	if err != nil {
		return err
	}
	// session_info names the user; like the list, it saves the session.
	info, err := c.SessionInfo(ctx, sid, ts[0])
	if err != nil {
		return transportHint(err, ts[0])
	}
	devices, err := c.Devices(ctx, sid, ts[0], info.UID)
	if err != nil {
		return err
	}
	tracked, err := g.loadSessions()
	if err != nil {
		return err
	}
	out := devicesOutput{URL: c.URL(), UID: info.UID, User: clean(info.Name), Devices: []deviceJSON{}}
	for _, d := range devices {
		out.Devices = append(out.Devices, deviceRowJSON(d, sid, c.URL(), tracked))
	}
	if *asJSON {
		return writeJSON(g.env.Stdout, out)
	}
	printDevices(g.env.Stdout, out)
	return nil
}

// deviceRowJSON describes d, matched with the tracked session it records.
func deviceRowJSON(d odoo.Device, sid, url string, tracked []sessions.Session) deviceJSON {
	row := deviceJSON{
		Session: sessions.MaskSID(d.SessionPrefix), ThisSession: d.Is(sid),
		DeviceType: d.DeviceType, Platform: d.Platform, Browser: d.Browser, IPAddress: d.IPAddress,
		Country: d.Country, City: d.City, FirstActivity: d.FirstActivity, LastActivity: d.LastActivity,
		describe: d.Describe(),
	}
	if row.ThisSession {
		row.Session = sessions.MaskSID(sid)
	}
	for _, s := range tracked {
		if s.URL == url && d.Is(s.SID) {
			row.Session = sessions.MaskSID(s.SID)
			row.TrackedID, row.TrackedState = s.ID, string(s.State)
			break
		}
	}
	return row
}

func printDevices(w io.Writer, out devicesOutput) {
	fmt.Fprintf(w, "%s  devices of %s (uid %d), as res.device lists them\n", out.URL, out.User, out.UID)
	if len(out.Devices) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, d := range out.Devices {
		who := "untracked " + d.Session
		switch {
		case d.ThisSession:
			who = "this session " + d.Session
		case d.TrackedID != "":
			who = "tracked " + d.Session + " " + sessions.StateWord(sessions.State(d.TrackedState))
		}
		fmt.Fprintf(w, "  %-34s %s, last active %s\n", who, d.describe, minuteUTC(d.LastActivity))
	}
	fmt.Fprintln(w, "note: "+devicesNote)
}

// minuteUTC writes t to the minute in UTC, "unknown" for the zero time.
func minuteUTC(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
