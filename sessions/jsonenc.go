package sessions

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// The sessions file is large (about 2.5 KB a session) and read and written
// whole, so sessions are encoded and decoded by hand rather than through
// reflection. The output is byte for byte what encoding/json writes with
// HTML escaping off, and anything the fast decoder does not expect is left
// to encoding/json (see decodeLines).

// appendSession appends the JSON object of s to b, on one line.
func appendSession(b []byte, s *Session) ([]byte, error) {
	var err error
	b = appendStrField(b, '{', "id", s.ID, false)
	b = appendStrField(b, ',', "url", s.URL, false)
	b = appendStrField(b, ',', "db", s.DB, true)
	b = appendStrField(b, ',', "login", s.Login, true)
	b = appendStrField(b, ',', "user_name", s.UserName, true)
	if s.UID != 0 {
		b = strconv.AppendInt(append(b, `,"uid":`...), int64(s.UID), 10)
	}
	b = appendStrField(b, ',', "sid", s.SID, false)
	if !s.ExpiresAt.IsZero() {
		b, err = appendTimeField(b, "expires_at", s.ExpiresAt, err)
	}
	b, err = appendTimeField(b, "obtained_at", s.ObtainedAt, err)
	if !s.SavedAt.IsZero() {
		b, err = appendTimeField(b, "saved_at", s.SavedAt, err)
	}
	b = appendStrField(b, ',', "method", s.Method, false)
	b = appendStrField(b, ',', "server_version", s.ServerVersion, true)
	b = appendStrField(b, ',', "state", string(s.State), false)
	if len(s.Checks) > 0 {
		b, err = appendChecks(append(b, `,"checks":`...), s.Checks, err)
	}
	if len(s.Info) > 0 {
		b, err = appendRaw(append(b, `,"info":`...), s.Info, err)
	}
	b, err = appendTimeField(b, "updated_at", s.UpdatedAt, err)
	if s.Forgotten {
		b = append(b, `,"forgotten":true`...)
	}
	return append(b, '}'), err
}

func appendChecks(b []byte, m map[string][]Check, err error) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendString(b, k), ':')
		if m[k] == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for j := range m[k] {
			if j > 0 {
				b = append(b, ',')
			}
			b, err = appendCheck(b, &m[k][j], err)
		}
		b = append(b, ']')
	}
	return append(b, '}'), err
}

func appendCheck(b []byte, c *Check, err error) ([]byte, error) {
	b = appendStrField(b, '{', "transport", c.Transport, false)
	b = strconv.AppendBool(append(b, `,"accepted":`...), c.Accepted)
	if c.Status != 0 {
		b = strconv.AppendInt(append(b, `,"status":`...), int64(c.Status), 10)
	}
	if c.Latency != 0 {
		b = strconv.AppendInt(append(b, `,"latency_ns":`...), int64(c.Latency), 10)
	}
	b, err = appendTimeField(b, "at", c.At, err)
	b = appendStrField(b, ',', "err", c.Err, true)
	return append(b, '}'), err
}

// appendStrField appends sep, the key and the quoted value; with omitEmpty
// an empty value is left out altogether.
func appendStrField(b []byte, sep byte, key, v string, omitEmpty bool) []byte {
	if omitEmpty && v == "" {
		return b
	}
	b = append(b, sep, '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return appendString(b, v)
}

// appendTimeField appends the key and t as encoding/json does, keeping the
// first error met.
func appendTimeField(b []byte, key string, t time.Time, err error) ([]byte, error) {
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':', '"')
	b, terr := t.AppendText(b)
	return append(b, '"'), errors.Join(err, terr)
}

// appendRaw appends a raw JSON value, compacted so it stays on one line. It
// fails on invalid JSON, which would make the whole file undecodable.
func appendRaw(b []byte, raw json.RawMessage, err error) ([]byte, error) {
	end, spaced := skipValue(raw, 0, 0)
	if end < 0 || skipSpace(raw, end) != len(raw) {
		return b, errors.Join(err, errors.New("session info is not valid JSON"))
	}
	if !spaced {
		return append(b, raw...), err
	}
	buf := bytes.NewBuffer(b)
	cerr := json.Compact(buf, raw)
	return buf.Bytes(), errors.Join(err, cerr)
}

const hexDigits = "0123456789abcdef"

// appendString appends s quoted as encoding/json does without HTML
// escaping: invalid UTF-8 becomes U+FFFD, U+2028 and U+2029 are escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			b = appendEscape(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(append(b, s[start:i]...), `\ufffd`...)
		} else if r == '\u2028' || r == '\u2029' {
			b = append(append(b, s[start:i]...), `\u202`...)
			b = append(b, hexDigits[r&0xF])
		} else {
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendEscape(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
