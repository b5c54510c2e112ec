package sessions

// MaskSID shows the first and last four characters of a sid, enough to
// tell sids apart on screen without giving one away.
func MaskSID(sid string) string {
	r := []rune(sid)
	if len(r) <= 12 {
		return "••••"
	}
	return string(r[:4]) + "…" + string(r[len(r)-4:])
}
