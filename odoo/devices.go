package odoo

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// PathCallKW is the web client's route for model methods.
const PathCallKW = "/web/dataset/call_kw"

// Device is one session of a user as the server records it in res.device
// (Odoo 18; the web client's Settings > Users > Devices). Odoo writes the
// row at a session's first authenticated request and keeps it after a
// logout or a /web/session/destroy: only a revocation removes it from the
// list. A row is the server's memory of a session, not proof that the
// session still works.
type Device struct {
	ID int64
	// SessionPrefix is res.device's session_identifier: the first 42
	// characters of the session id.
	SessionPrefix string
	// DeviceType is "computer" or "mobile"; the other texts are empty when
	// Odoo could not tell (a client whose User-Agent it does not parse).
	DeviceType, Platform, Browser, IPAddress, Country, City string
	FirstActivity, LastActivity                             time.Time
	// Current marks the session that asked.
	Current bool
}

// deviceFields are the res.device fields Devices reads.
var deviceFields = []string{"session_identifier", "platform", "browser", "ip_address", "country",
	"city", "device_type", "first_activity", "last_activity", "is_current"}

// Devices lists the sessions the server records for user uid (res.device),
// newest first, asked with sid sent by transport t. Stock Odoo reads only
// the cookie on this route. Like SessionInfo, the call saves the session on
// the server, which resets its idle timer. A server without res.device
// (Odoo 17 and older) gives an error wrapping ErrNoDeviceList.
func (c *Client) Devices(ctx context.Context, sid string, t Transport, uid int) ([]Device, error) {
	devices, err := c.devices(ctx, sid, t, uid)
	return devices, hideSID(err, sid)
}

func (c *Client) devices(ctx context.Context, sid string, t Transport, uid int) ([]Device, error) {
	const op = "devices"
	if err := c.checkSession(op, sid, t); err != nil {
		return nil, err
	}
	if uid <= 0 {
		return nil, c.fail(op, ErrInvalidInput, "the session's user id is unknown: fetch its details first", nil)
	}
	k := call{op: op, path: PathCallKW, sid: sid, transport: t}
	result, r, err := c.jsonRPC(ctx, k, map[string]any{
		"model": "res.device", "method": "search_read", "args": []any{},
		"kwargs": map[string]any{
			"domain": []any{[]any{"user_id", "=", uid}},
			"fields": deviceFields,
		},
	})
	var rpcErr *RPCError
	if errors.As(err, &rpcErr) && strings.Contains(rpcErr.Message, "res.device") {
		return nil, c.failCall(k, ErrNoDeviceList,
			"this server keeps no list of its users' sessions (res.device came with Odoo 18)", rpcErr)
	}
	if err != nil {
		return nil, err
	}
	var rows []map[string]any
	if err := json.Unmarshal(result, &rows); err != nil {
		k.expect = "a list of res.device records"
		return nil, c.unexpectedJSON(k, r, describeJSON(result))
	}
	out := make([]Device, 0, len(rows))
	for _, row := range rows {
		out = append(out, deviceOf(row))
	}
	return out, nil
}

// deviceOf reads a res.device record. Odoo sends false for an empty text
// and times as "YYYY-MM-DD HH:MM:SS" in UTC; every text is sanitised.
func deviceOf(row map[string]any) Device {
	text := func(name string) string {
		s, _ := row[name].(string)
		return Sanitize(s, 80)
	}
	at := func(name string) time.Time {
		t, err := time.Parse(time.DateTime, text(name))
		if err != nil {
			return time.Time{}
		}
		return t
	}
	id, _ := row["id"].(float64)
	current, _ := row["is_current"].(bool)
	return Device{
		ID: int64(id), SessionPrefix: text("session_identifier"), DeviceType: text("device_type"),
		Platform: text("platform"), Browser: text("browser"), IPAddress: text("ip_address"),
		Country: text("country"), City: text("city"),
		FirstActivity: at("first_activity"), LastActivity: at("last_activity"), Current: current,
	}
}

// Describe returns where the device is and what it runs, as far as the
// server knows: "computer · 127.0.0.1", "mobile · Android · Chrome · Paris, France".
func (d Device) Describe() string {
	var parts []string
	for _, p := range []string{d.DeviceType, d.Platform, d.Browser, d.IPAddress} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if place := strings.Trim(d.City+", "+d.Country, ", "); place != "" {
		parts = append(parts, place)
	}
	if len(parts) == 0 {
		return "unknown device"
	}
	return strings.Join(parts, " · ")
}

// Is reports whether the row records the session sid.
func (d Device) Is(sid string) bool {
	return d.SessionPrefix != "" && strings.HasPrefix(sid, d.SessionPrefix)
}
