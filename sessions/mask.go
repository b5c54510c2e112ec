package sessions

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxSIDLength is the longest sid CheckSID accepts, in characters. Odoo's
// sids are 40 hexadecimal characters up to Odoo 16 and about 84 from Odoo
// 17 on; the limit leaves room for other shapes and refuses text that is
// plainly not a sid before it is stored or sent.
const MaxSIDLength = 512

// MaskSID shows the first and last four characters of a sid, enough to
// tell sids apart on screen without giving one away.
func MaskSID(sid string) string {
	r := []rune(sid)
	if len(r) <= 12 {
		return "••••"
	}
	return string(r[:4]) + "…" + string(r[len(r)-4:])
}

// NormalizeSID takes a sid as people paste it: alone, or copied with its
// cookie name (`session_id=…`), from a Cookie header (`session_id=…; tz=…`)
// or from a Set-Cookie line. It returns the sid alone, trimmed.
func NormalizeSID(s string) string {
	s = strings.TrimSpace(s)
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		part = strings.TrimPrefix(part, "Cookie:")
		part = strings.TrimPrefix(part, "Set-Cookie:")
		part = strings.TrimSpace(part)
		if v, ok := strings.CutPrefix(part, "session_id="); ok {
			return strings.TrimSpace(v)
		}
	}
	return s
}

// CheckSID refuses text that cannot be a sid: empty, longer than
// MaxSIDLength characters, a URL pasted in the wrong field, or holding a
// space or a character a cookie cannot carry (only printable ASCII other
// than `"`, `,`, `;` and `\` can). Odoo's sid shapes differ by version (40
// hex, 84 base64url), so nothing more is required. The command line and the
// console's track form both check a sid this way after NormalizeSID.
func CheckSID(sid string) error {
	if sid == "" {
		return errors.New("the sid is empty")
	}
	if n := utf8.RuneCountInString(sid); n > MaxSIDLength {
		return fmt.Errorf("the sid is %d characters long: expected at most %d (Odoo's are 40 to about 84)",
			n, MaxSIDLength)
	}
	if strings.Contains(sid, "://") {
		return errors.New("that is a URL, not a sid: the sid is the session_id cookie's value")
	}
	if strings.Contains(sid, "=") {
		// What NormalizeSID leaves of cookies without session_id=.
		return errors.New("no session_id=… in what was pasted: the sid is the session_id " +
			"cookie's value")
	}
	if strings.ContainsFunc(sid, func(r rune) bool {
		return r <= ' ' || r >= 0x7f || strings.ContainsRune(`",;\`, r)
	}) {
		return errors.New("the sid holds a space or a character a cookie cannot carry: " +
			"expected printable ASCII without spaces, quotes, commas, semicolons or backslashes")
	}
	return nil
}
