package sessions

import (
	"time"
)

// decodeSession reads one line written by appendSession into s. It reports
// false when the line holds anything it does not expect (an unknown key, a
// null, an escaped key), leaving the verdict to encoding/json. One lexer
// may read many lines, one after the other.
func (l *lexer) decodeSession(line []byte, s *Session) bool {
	l.d, l.i = line, 0
	ok := l.object(func(k []byte) bool {
		switch string(k) {
		case "id":
			return l.strInto(&s.ID, false)
		case "url":
			return l.strInto(&s.URL, true)
		case "db":
			return l.strInto(&s.DB, true)
		case "login":
			return l.strInto(&s.Login, false)
		case "user_name":
			return l.strInto(&s.UserName, false)
		case "uid":
			n, ok := l.int64()
			s.UID = int(n)
			return ok && int64(s.UID) == n
		case "sid":
			return l.strInto(&s.SID, false)
		case "method":
			return l.strInto(&s.Method, true)
		case "server_version":
			return l.strInto(&s.ServerVersion, true)
		case "state":
			v, ok := l.str(true)
			s.State = State(v)
			return ok
		case "checks":
			return l.checks(s)
		case "info":
			tok, ok := l.token()
			s.Info = append(s.Info[:0:0], tok...)
			return ok
		case "forgotten":
			v, ok := l.bool()
			s.Forgotten = v
			return ok
		}
		return l.timeField(string(k), s)
	})
	return ok && skipSpace(line, l.i) == len(line)
}

// timeField reads the time-valued keys of a session.
func (l *lexer) timeField(key string, s *Session) bool {
	switch key {
	case "expires_at":
		return l.timeInto(&s.ExpiresAt)
	case "obtained_at":
		return l.timeInto(&s.ObtainedAt)
	case "saved_at":
		return l.timeInto(&s.SavedAt)
	case "updated_at":
		return l.timeInto(&s.UpdatedAt)
	}
	return false
}

func (l *lexer) strInto(dst *string, shared bool) bool {
	v, ok := l.str(shared)
	*dst = v
	return ok
}

func (l *lexer) timeInto(dst *time.Time) bool {
	tok, ok := l.token()
	return ok && tok[0] == '"' && dst.UnmarshalJSON(tok) == nil
}

// checks reads the transport-to-history object of a session.
func (l *lexer) checks(s *Session) bool {
	s.Checks = make(map[string][]Check, len(Transports))
	return l.object(func(k []byte) bool {
		transport := l.intern(k)
		if l.peek('n') {
			tok, ok := l.token()
			s.Checks[transport] = nil
			return ok && string(tok) == "null"
		}
		if !l.next('[') {
			return false
		}
		h := make([]Check, 0, MaxChecks)
		for first := true; !l.next(']'); first = false {
			if !first && !l.next(',') {
				return false
			}
			var c Check
			if !l.check(&c) {
				return false
			}
			h = append(h, c)
		}
		s.Checks[transport] = h
		return true
	})
}

// check reads one Check object.
func (l *lexer) check(c *Check) bool {
	return l.object(func(k []byte) bool {
		switch string(k) {
		case "transport":
			return l.strInto(&c.Transport, true)
		case "accepted":
			v, ok := l.bool()
			c.Accepted = v
			return ok
		case "status":
			n, ok := l.int64()
			c.Status = int(n)
			return ok && int64(c.Status) == n
		case "latency_ns":
			n, ok := l.int64()
			c.Latency = time.Duration(n)
			return ok
		case "at":
			return l.timeInto(&c.At)
		case "err":
			return l.strInto(&c.Err, true)
		}
		return false
	})
}
