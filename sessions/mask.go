package sessions

import "strings"

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
