package sessions

import (
	"math"
	"slices"
	"time"
)

// record is a session as the sessions file stores it from version 3 on:
// the fields of Session under the same names, times as Unix nanoseconds
// (see unixNano) so that a load parses no time strings, and of the check
// history only what the list needs (see lastChecks). The rest of the
// history lives in the session's history file (see History).
type record struct {
	ID            string   `json:"id"`
	URL           string   `json:"url,omitempty"`
	DB            string   `json:"db,omitempty"`
	Login         string   `json:"login,omitempty"`
	UserName      string   `json:"user_name,omitempty"`
	UID           int      `json:"uid,omitzero"`
	SID           string   `json:"sid,omitempty"`
	ExpiresAt     int64    `json:"expires_at,omitzero"`
	ObtainedAt    int64    `json:"obtained_at,omitzero"`
	SavedAt       int64    `json:"saved_at,omitzero"`
	Method        string   `json:"method,omitempty"`
	ServerVersion string   `json:"server_version,omitempty"`
	RESTModule    string   `json:"rest_module,omitempty"`
	State         State    `json:"state,omitempty"`
	Checks        checkSet `json:"checks,omitzero"`
	UpdatedAt     int64    `json:"updated_at,omitzero"`
	Forgotten     bool     `json:"forgotten,omitzero"`
}

// unixNano returns t as stored: 0 for the zero time, else nanoseconds since
// the Unix epoch, held to the range an int64 covers (years 1678 to 2262), so
// that a server's far-off expires_at saves as the latest time the file can
// say rather than as a wrapped-around one.
func unixNano(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.Before(minNano):
		return math.MinInt64
	case t.After(maxNano):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// fromUnixNano is the inverse of unixNano, in UTC.
func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

var (
	minNano = time.Unix(0, math.MinInt64)
	maxNano = time.Unix(0, math.MaxInt64)
)

// checkSet holds what the sessions file keeps of the checks of the three
// known transports, in fields, which decode faster than a map of slices:
// for each, the latest check and, when that was not accepted, the latest
// accepted one before it (see lastChecks). Other holds the checks of any
// other transport.
type checkSet struct {
	Header   packedCheck `json:"header,omitzero"`
	HeaderOK packedCheck `json:"header_ok,omitzero"`
	Cookie   packedCheck `json:"cookie,omitzero"`
	CookieOK packedCheck `json:"cookie_ok,omitzero"`
	Param    packedCheck `json:"param,omitzero"`
	ParamOK  packedCheck `json:"param_ok,omitzero"`
	// Errs holds the error text of those checks that have one, under the
	// name of their field ("cookie", "header_ok", ...).
	Errs  map[string]string      `json:"errs,omitempty"`
	Other map[string][]diskCheck `json:"other,omitempty"`
}

// packedCheck is a check of a known transport as the sessions file keeps it
// from version 4 on, an array of four numbers:
//
//	[time (Unix nanoseconds), HTTP status, latency (nanoseconds), 1 if accepted else 0]
//
// Ten thousand sessions hold up to sixty thousand checks, and an array
// decodes in about half the time of an object with named members. A zero
// packedCheck is no check: every check has a time.
type packedCheck [4]int64

func pack(c Check) packedCheck {
	p := packedCheck{unixNano(c.At), int64(c.Status), int64(c.Latency), 0}
	if c.Accepted {
		p[3] = 1
	}
	return p
}

func (p packedCheck) check(transport, err string) Check {
	return Check{Transport: transport, At: fromUnixNano(p[0]), Status: int(p[1]),
		Latency: time.Duration(p[2]), Accepted: p[3] == 1, Err: err}
}

// slot is where a checkSet keeps a known transport's checks.
type slot struct {
	transport, okName string
	ok, last          *packedCheck
}

func (cs *checkSet) slots() [3]slot {
	return [...]slot{
		{TransportHeader, "header_ok", &cs.HeaderOK, &cs.Header},
		{TransportCookie, "cookie_ok", &cs.CookieOK, &cs.Cookie},
		{TransportParam, "param_ok", &cs.ParamOK, &cs.Param},
	}
}

// put stores c in p, and its error text under name.
func (cs *checkSet) put(p *packedCheck, name string, c Check) {
	*p = pack(c)
	if c.Err == "" {
		return
	}
	if cs.Errs == nil {
		cs.Errs = make(map[string]string)
	}
	cs.Errs[name] = c.Err
}

// diskCheck is a Check without its transport, which the key it is stored
// under gives, and with its time as Unix nanoseconds, as the history files
// keep it. Every check has a time: a zero diskCheck is no check.
type diskCheck struct {
	Accepted bool          `json:"accepted,omitzero"`
	Status   int           `json:"status,omitzero"`
	Latency  time.Duration `json:"latency_ns,omitzero"`
	At       int64         `json:"at,omitzero"`
	Err      string        `json:"err,omitempty"`
}

func toDisk(c Check) diskCheck {
	return diskCheck{Accepted: c.Accepted, Status: c.Status, Latency: c.Latency,
		At: unixNano(c.At), Err: c.Err}
}

func (c diskCheck) check(transport string) Check {
	return Check{Transport: transport, Accepted: c.Accepted, Status: c.Status,
		Latency: c.Latency, At: fromUnixNano(c.At), Err: c.Err}
}

// toRecord returns s as stored, with only its last checks (see lastChecks).
func toRecord(s *Session) record {
	return record{
		ID: s.ID, URL: s.URL, DB: s.DB, Login: s.Login, UserName: s.UserName, UID: s.UID,
		SID: s.SID, ExpiresAt: unixNano(s.ExpiresAt), ObtainedAt: unixNano(s.ObtainedAt),
		SavedAt: unixNano(s.SavedAt), Method: s.Method, ServerVersion: s.ServerVersion,
		RESTModule: s.RESTModule, State: s.State, Checks: lastCheckSet(s.Checks),
		UpdatedAt: unixNano(s.UpdatedAt),
		Forgotten: s.Forgotten,
	}
}

// session returns the record as a Session.
func (r *record) session() Session {
	return Session{
		ID: r.ID, URL: r.URL, DB: r.DB, Login: r.Login, UserName: r.UserName, UID: r.UID,
		SID: r.SID, ExpiresAt: fromUnixNano(r.ExpiresAt), ObtainedAt: fromUnixNano(r.ObtainedAt),
		SavedAt: fromUnixNano(r.SavedAt), Method: r.Method, ServerVersion: r.ServerVersion,
		RESTModule: r.RESTModule, State: r.State, Checks: r.Checks.checks(),
		UpdatedAt: fromUnixNano(r.UpdatedAt),
		Forgotten: r.Forgotten,
	}
}

// lastCheckSet returns what the sessions file keeps of checks.
func lastCheckSet(checks map[string][]Check) checkSet {
	var cs checkSet
	slots := cs.slots()
	for t, h := range checks {
		h = lastChecks(h)
		i := slices.IndexFunc(slots[:], func(s slot) bool { return s.transport == t })
		if i < 0 {
			cs.addOther(t, h)
			continue
		}
		s := slots[i]
		switch len(h) {
		case 2:
			cs.put(s.ok, s.okName, h[0])
			fallthrough
		case 1:
			cs.put(s.last, s.transport, h[len(h)-1])
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
	slots := cs.slots()
	n, size := len(cs.Other), 0
	for _, s := range slots {
		if s.last[0] != 0 {
			n++
			size++
		}
		if s.ok[0] != 0 {
			size++
		}
	}
	if n == 0 {
		return nil
	}
	m := make(map[string][]Check, n)
	all := make([]Check, 0, size)
	for _, s := range slots {
		if s.last[0] == 0 {
			continue
		}
		from := len(all)
		if s.ok[0] != 0 {
			all = append(all, s.ok.check(s.transport, cs.Errs[s.okName]))
		}
		all = append(all, s.last.check(s.transport, cs.Errs[s.transport]))
		m[s.transport] = all[from:len(all):len(all)]
	}
	for t, dh := range cs.Other {
		m[t] = fromDiskHistory(t, dh)
	}
	return m
}

// recordV3 is a record as format version 3 stored it: its checks as
// objects (diskCheck) rather than arrays.
type recordV3 struct {
	record
	Checks struct {
		Header   diskCheck              `json:"header,omitzero"`
		HeaderOK diskCheck              `json:"header_ok,omitzero"`
		Cookie   diskCheck              `json:"cookie,omitzero"`
		CookieOK diskCheck              `json:"cookie_ok,omitzero"`
		Param    diskCheck              `json:"param,omitzero"`
		ParamOK  diskCheck              `json:"param_ok,omitzero"`
		Other    map[string][]diskCheck `json:"other,omitempty"`
	} `json:"checks,omitzero"`
}

func (r *recordV3) session() Session {
	c := &r.Checks
	checks := make(map[string][]Check)
	for _, f := range [...]struct {
		t        string
		ok, last diskCheck
	}{
		{TransportHeader, c.HeaderOK, c.Header},
		{TransportCookie, c.CookieOK, c.Cookie},
		{TransportParam, c.ParamOK, c.Param},
	} {
		if f.ok.At != 0 {
			checks[f.t] = append(checks[f.t], f.ok.check(f.t))
		}
		if f.last.At != 0 {
			checks[f.t] = append(checks[f.t], f.last.check(f.t))
		}
	}
	for t, dh := range c.Other {
		checks[t] = fromDiskHistory(t, dh)
	}
	s := r.record.session()
	if len(checks) > 0 {
		s.Checks = checks
	}
	return s
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
