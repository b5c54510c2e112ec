package sessions

import (
	"slices"
	"time"
)

// record is a session as the sessions file stores it from version 3 on:
// the fields of Session under the same names, times as Unix nanoseconds so
// that a load parses no time strings, and of the check history only what
// the list needs (see lastChecks). The rest of the history lives in the
// session's history file (see History).
type record struct {
	ID            string    `json:"id"`
	URL           string    `json:"url,omitempty"`
	DB            string    `json:"db,omitempty"`
	Login         string    `json:"login,omitempty"`
	UserName      string    `json:"user_name,omitempty"`
	UID           int       `json:"uid,omitzero"`
	SID           string    `json:"sid,omitempty"`
	ExpiresAt     time.Time `json:"expires_at,omitzero,format:unixnano"`
	ObtainedAt    time.Time `json:"obtained_at,omitzero,format:unixnano"`
	SavedAt       time.Time `json:"saved_at,omitzero,format:unixnano"`
	Method        string    `json:"method,omitempty"`
	ServerVersion string    `json:"server_version,omitempty"`
	RESTModule    string    `json:"rest_module,omitempty"`
	State         State     `json:"state,omitempty"`
	Checks        checkSet  `json:"checks,omitzero"`
	UpdatedAt     time.Time `json:"updated_at,omitzero,format:unixnano"`
	Forgotten     bool      `json:"forgotten,omitzero"`
}

// checkSet holds the checks of the three known transports in fields, which
// decode faster than a map of slices: for each, the latest check and, when
// that was not accepted, the latest accepted one before it (see
// lastChecks). Other holds the checks of any other transport; the history
// files use it for every transport.
type checkSet struct {
	Header   diskCheck              `json:"header,omitzero"`
	HeaderOK diskCheck              `json:"header_ok,omitzero"`
	Cookie   diskCheck              `json:"cookie,omitzero"`
	CookieOK diskCheck              `json:"cookie_ok,omitzero"`
	Param    diskCheck              `json:"param,omitzero"`
	ParamOK  diskCheck              `json:"param_ok,omitzero"`
	Other    map[string][]diskCheck `json:"other,omitempty"`
}

// diskCheck is a Check without its transport, which the key it is stored
// under gives, and with its time as Unix nanoseconds. Every check has a
// time: a zero diskCheck is no check.
type diskCheck struct {
	Accepted bool          `json:"accepted,omitzero"`
	Status   int           `json:"status,omitzero"`
	Latency  time.Duration `json:"latency_ns,omitzero,format:nano"`
	At       time.Time     `json:"at,omitzero,format:unixnano"`
	Err      string        `json:"err,omitempty"`
}

func toDisk(c Check) diskCheck {
	return diskCheck{Accepted: c.Accepted, Status: c.Status, Latency: c.Latency, At: c.At, Err: c.Err}
}

func (c diskCheck) check(transport string) Check {
	return Check{Transport: transport, Accepted: c.Accepted, Status: c.Status,
		Latency: c.Latency, At: c.At, Err: c.Err}
}

// toRecord returns s as stored, with only its last checks (see lastChecks).
func toRecord(s *Session) record {
	return record{
		ID: s.ID, URL: s.URL, DB: s.DB, Login: s.Login, UserName: s.UserName, UID: s.UID,
		SID: s.SID, ExpiresAt: s.ExpiresAt, ObtainedAt: s.ObtainedAt, SavedAt: s.SavedAt,
		Method: s.Method, ServerVersion: s.ServerVersion, RESTModule: s.RESTModule,
		State: s.State, Checks: lastCheckSet(s.Checks), UpdatedAt: s.UpdatedAt,
		Forgotten: s.Forgotten,
	}
}

// session returns the record as a Session.
func (r *record) session() Session {
	return Session{
		ID: r.ID, URL: r.URL, DB: r.DB, Login: r.Login, UserName: r.UserName, UID: r.UID,
		SID: r.SID, ExpiresAt: r.ExpiresAt, ObtainedAt: r.ObtainedAt, SavedAt: r.SavedAt,
		Method: r.Method, ServerVersion: r.ServerVersion, RESTModule: r.RESTModule,
		State: r.State, Checks: r.Checks.checks(), UpdatedAt: r.UpdatedAt,
		Forgotten: r.Forgotten,
	}
}

// lastCheckSet returns what the sessions file keeps of checks.
func lastCheckSet(checks map[string][]Check) checkSet {
	var cs checkSet
	for t, h := range checks {
		h = lastChecks(h)
		var ok, last *diskCheck
		switch t {
		case TransportHeader:
			ok, last = &cs.HeaderOK, &cs.Header
		case TransportCookie:
			ok, last = &cs.CookieOK, &cs.Cookie
		case TransportParam:
			ok, last = &cs.ParamOK, &cs.Param
		default:
			cs.addOther(t, h)
			continue
		}
		switch len(h) {
		case 2:
			*ok = toDisk(h[0])
			fallthrough
		case 1:
			*last = toDisk(h[len(h)-1])
		}
	}
	return cs
}

func (cs *checkSet) addOther(t string, h []Check) {
	if len(h) == 0 {
		return
	}
	if cs.Other == nil {
		cs.Other = make(map[string][]diskCheck)
	}
	cs.Other[t] = toDiskHistory(h)
}

func toDiskHistory(h []Check) []diskCheck {
	dh := make([]diskCheck, len(h))
	for i, c := range h {
		dh[i] = toDisk(c)
	}
	return dh
}

func fromDiskHistory(t string, dh []diskCheck) []Check {
	h := make([]Check, len(dh))
	for i, c := range dh {
		h[i] = c.check(t)
	}
	return h
}

// checks returns the stored checks as Session.Checks holds them, nil when
// there are none. The checks of the known transports share one array.
func (cs *checkSet) checks() map[string][]Check {
	fixed := [...]struct {
		t        string
		ok, last *diskCheck
	}{
		{TransportHeader, &cs.HeaderOK, &cs.Header},
		{TransportCookie, &cs.CookieOK, &cs.Cookie},
		{TransportParam, &cs.ParamOK, &cs.Param},
	}
	n, size := len(cs.Other), 0
	for _, f := range fixed {
		if !f.last.At.IsZero() {
			n++
			size++
		}
		if !f.ok.At.IsZero() {
			size++
		}
	}
	if n == 0 {
		return nil
	}
	m := make(map[string][]Check, n)
	all := make([]Check, 0, size)
	for _, f := range fixed {
		if f.last.At.IsZero() {
			continue
		}
		from := len(all)
		if !f.ok.At.IsZero() {
			all = append(all, f.ok.check(f.t))
		}
		all = append(all, f.last.check(f.t))
		m[f.t] = all[from:len(all):len(all)]
	}
	for t, dh := range cs.Other {
		m[t] = fromDiskHistory(t, dh)
	}
	return m
}

// lastChecks returns what the sessions file keeps of a transport's history,
// newest last: the latest check, preceded by the latest accepted one when
// the latest was not accepted. That is what LastCheck, Diagnose and StateAt
// (through the time of the last accepted check) read.
func lastChecks(h []Check) []Check {
	if len(h) == 0 {
		return nil
	}
	last := h[len(h)-1]
	if !last.Accepted {
		for i := len(h) - 2; i >= 0; i-- {
			if h[i].Accepted {
				return []Check{h[i], last}
			}
		}
	}
	return []Check{last}
}

// compactChecks returns a new map holding lastChecks of every transport.
func compactChecks(checks map[string][]Check) map[string][]Check {
	if checks == nil {
		return nil
	}
	out := make(map[string][]Check, len(checks))
	for t, h := range checks {
		if h = lastChecks(h); h != nil {
			out[t] = h
		}
	}
	return out
}

// checkID identifies a check across saves, whatever the zone or monotonic
// reading of its time.
type checkID struct {
	at       int64
	accepted bool
	status   int
	latency  time.Duration
	err      string
}

func idOf(c Check) checkID {
	return checkID{at: c.At.UnixNano(), accepted: c.Accepted, status: c.Status,
		latency: c.Latency, err: c.Err}
}

// mergeHistories returns the union of the histories of one transport, in
// time order (the first seen first among equal times), keeping the last
// MaxChecks.
func mergeHistories(hs ...[]Check) []Check {
	seen := make(map[checkID]bool)
	var out []Check
	for _, h := range hs {
		for _, c := range h {
			if id := idOf(c); !seen[id] {
				seen[id] = true
				out = append(out, c)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Check) int { return a.At.Compare(b.At) })
	if len(out) > MaxChecks {
		out = out[len(out)-MaxChecks:]
	}
	return out
}
