package demoserver

import (
	"net"
	"slices"
	"time"
)

// identifierLen is the part of an Odoo 18 sid that names its session in
// res.device records.
const identifierLen = 42

// identityCheckFor is how long a confirmed password allows protected
// actions such as revoking a device.
const identityCheckFor = 10 * time.Minute

// device is one res.device.log row (Odoo 18).
type device struct {
	id         int
	db         string
	uid        int
	identifier string
	ip         string
	first      time.Time
	last       time.Time
	revoked    bool
}

// identityCheck is one res.users.identitycheck wizard: a password prompt
// standing between the user and the devices to revoke.
type identityCheck struct {
	id       int
	uid      int
	password string
	revoke   []int
}

// traceDevice writes the res.device.log row of a logged-in session on its
// first request after the login, whatever the route, as Odoo 18 does; the
// session is then saved.
func (s *Server) traceDevice(c *call) {
	if s.p.major < 18 || c.sess.deviceID != 0 || len(c.sess.sid) < identifierLen {
		return
	}
	ip, _, err := net.SplitHostPort(c.r.RemoteAddr)
	if err != nil {
		ip = c.r.RemoteAddr
	}
	d := &device{id: len(s.devices) + 1, db: c.sess.db, uid: c.sess.uid,
		identifier: c.sess.sid[:identifierLen], ip: ip, first: c.now, last: c.now}
	s.devices = append(s.devices, d)
	c.sess.deviceID = d.id
	c.dirty = true
}

// deviceRow is the res.device.log form of a device.
func deviceRow(d *device, u *User) record {
	return record{
		{"id", d.id}, {"session_identifier", d.identifier}, {"platform", false},
		{"browser", false}, {"ip_address", d.ip}, {"country", false}, {"city", false},
		{"device_type", "computer"}, {"user_id", m2o(u.ID, u.displayName())},
		{"first_activity", d.first.Format(time.DateTime)},
		{"last_activity", d.last.Format(time.DateTime)}, {"revoked", d.revoked},
	}
}

// visibleDevices lists the rows the user may read: its own, all for an admin.
func (e *env) visibleDevices() []*device {
	var out []*device
	for _, d := range e.s.devices {
		if d.db == e.d.name && (e.u.Admin || d.uid == e.u.ID) {
			out = append(out, d)
		}
	}
	return out
}

var deviceFields = []fieldDef{
	{"session_identifier", "Session Identifier", "char"}, {"platform", "Platform", "char"},
	{"browser", "Browser", "char"}, {"ip_address", "IP Address", "char"},
	{"country", "Country", "char"}, {"city", "City", "char"},
	{"device_type", "Device Type", "selection"}, {"user_id", "User", "many2one"},
	{"first_activity", "First Activity", "datetime"}, {"last_activity", "Last Activity", "datetime"},
	{"revoked", "Revoked", "boolean"},
}

// deviceLogTable is res.device.log: every row, oldest first.
var deviceLogTable = &table{
	model: "res.device.log", label: "Device Log", fields: deviceFields,
	rows: func(e *env) []record {
		var out []record
		for _, d := range e.visibleDevices() {
			out = append(out, deviceRow(d, e.d.userByID(d.uid)))
		}
		return out
	},
}

// devicesTable is res.device: the rows not revoked, newest first.
var devicesTable = &table{
	model: "res.device", label: "Devices",
	fields: append(slices.Clone(deviceFields),
		fieldDef{"is_current", "Current Device", "boolean"},
		fieldDef{"linked_ip_addresses", "Linked IP address", "text"},
		fieldDef{"id", "ID", "integer"}, fieldDef{"display_name", "Display Name", "char"},
		fieldDef{"create_uid", "Created by", "many2one"},
		fieldDef{"create_date", "Created on", "datetime"},
		fieldDef{"write_uid", "Last Updated by", "many2one"},
		fieldDef{"write_date", "Last Updated on", "datetime"}),
	rows: func(e *env) []record {
		current := ""
		if e.c != nil && len(e.c.sess.sid) >= identifierLen {
			current = e.c.sess.sid[:identifierLen]
		}
		var out []record
		for _, d := range slices.Backward(e.visibleDevices()) {
			if !d.revoked {
				r := deviceRow(d, e.d.userByID(d.uid))
				out = append(out, append(r, field{"is_current", d.identifier == current},
					field{"linked_ip_addresses", d.ip}))
			}
		}
		return out
	},
}
