package demoserver

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"
)

// call is the state of one request while it is answered.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	body []byte
	now  time.Time
	p    profile

	sentSID  string // the sid the request carried through an accepted transport
	explicit bool   // the sid came by query parameter or header
	sess     *session
	isNew    bool // sess was created for this request
	dirty    bool // sess was modified and must be saved
	db       string
}

// newCall reads the sid the way the profile does and finds its session; an
// unknown or malformed sid gets a new anonymous session, as in Odoo.
func (s *Server) newCall(w http.ResponseWriter, r *http.Request, body []byte) *call {
	c := &call{w: w, r: r, body: body, now: s.clock().UTC(), p: s.p}
	c.sentSID, c.explicit = s.p.requestSID(r)
	if c.sentSID != "" {
		c.sess = s.lookupSession(c.sentSID, c.now)
	}
	if c.sess == nil {
		c.sess = &session{sid: s.p.newSID()}
		c.isNew = true
	}
	s.setupDB(c)
	if c.sess.uid != 0 {
		s.traceDevice(c)
	}
	return c
}

// requestSID returns the sid of a request and whether it is explicit
// (parameter or header), in the order Odoo reads them.
func (p profile) requestSID(r *http.Request) (string, bool) {
	if p.readParam {
		if sid := r.URL.Query().Get("session_id"); sid != "" {
			return sid, true
		}
	}
	if p.readHeader {
		if sid := r.Header.Get("X-Openerp-Session-Id"); sid != "" {
			return sid, true
		}
	}
	if ck, err := r.Cookie("session_id"); err == nil && ck.Value != "" {
		return ck.Value, false
	}
	return "", false
}

// setupDB picks the request's database before routing, as Odoo does: the
// session's database, or the only one passing the db filter. A session bound
// to a database the filter rejects is logged out.
func (s *Server) setupDB(c *call) {
	if c.sess.db != "" && !s.visible(c.sess.db) {
		s.logout(c, false)
	}
	if c.sess.db == "" {
		c.sess.db = s.monoDB()
	}
	c.db = c.sess.db
}

// logout ends the call's session and rotates it to a new anonymous session,
// kept for the database when keepDB is set.
func (s *Server) logout(c *call, keepDB bool) {
	delete(s.sessions, c.sess.sid)
	next := &session{sid: s.p.newSID()}
	if keepDB {
		next.db = c.sess.db
	}
	c.sess = next
	c.dirty = true
	s.storeSession(next, c.now)
}

// login replaces the call's session by a new one for the user.
func (s *Server) login(c *call, db string, u *User) {
	delete(s.sessions, c.sess.sid)
	c.sess = &session{sid: s.p.newSID(), db: db, uid: u.ID}
	c.isNew, c.dirty = false, true
	s.storeSession(c.sess, c.now)
}

// commit saves the session when needed and reports whether the response
// carries it as a cookie. Odoo 15 re-sends the cookie on every response of a
// request that did not bring its sid by parameter or header; Odoo 16 and
// later only after a successful request that saved the session.
func (s *Server) commit(c *call, success, saves bool) bool {
	if c.p.major == 15 {
		if c.isNew && c.sess.db != "" {
			s.storeSession(c.sess, c.now)
		}
		return !c.explicit
	}
	if !success || !saves || !(c.isNew || c.dirty) {
		return false
	}
	s.storeSession(c.sess, c.now)
	return !c.explicit
}

// setSessionCookie adds the session_id cookie in the profile's format.
func (c *call) setSessionCookie() {
	c.w.Header().Add("Set-Cookie", c.cookie("session_id", c.sess.sid, c.p.cookieMaxAge, true))
}

// clearCIDs adds the cookie that Odoo 17 and 18 clear on logout.
func (c *call) clearCIDs() {
	if c.p.clearCIDs {
		c.w.Header().Add("Set-Cookie", c.cookie("cids", "", 0, false))
	}
}

// cookie formats a Set-Cookie value as Werkzeug does.
func (c *call) cookie(name, value string, maxAge time.Duration, httpOnly bool) string {
	exp := c.now.Add(c.p.cookieExpires)
	date := exp.Format(http.TimeFormat)
	if c.p.werkzeug1 {
		date = exp.Format("Mon, 02-Jan-2006 15:04:05 GMT")
	}
	v := fmt.Sprintf("%s=%s; Expires=%s; Max-Age=%d", name, value, date, int(maxAge.Seconds()))
	if httpOnly {
		v += "; HttpOnly"
	}
	return v + "; Path=/"
}

// write sends a response without touching the session cookie, as Werkzeug
// does for its HTTP exceptions.
func (c *call) write(status int, contentType string, body []byte) {
	c.w.Header().Set("Content-Type", contentType)
	c.w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	c.w.WriteHeader(status)
	_, _ = c.w.Write(body)
}

// writeJSONBody encodes v and sends it with the profile's JSON type.
func (c *call) writeJSONBody(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		c.write(http.StatusInternalServerError, "text/plain", []byte("cannot encode answer"))
		return
	}
	c.write(status, c.p.jsonType, b)
}

// mediaType returns the request's Content-Type without parameters.
func (c *call) mediaType() string {
	mt, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	return strings.ToLower(mt)
}

// baseURL is the URL the client used to reach the server.
func (c *call) baseURL() string {
	return "http://" + c.r.Host
}
