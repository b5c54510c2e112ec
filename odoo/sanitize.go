package odoo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Sanitize makes server text safe to put in an error message or on a
// terminal: terminal escape sequences (CSI, OSC, DCS and the like),
// control characters and bidirectional overrides are removed, newlines and
// tabs become spaces, runs of spaces collapse to one, invalid UTF-8 becomes
// U+FFFD, and the result is cut to at most max runes, ending in "…" when
// cut. max <= 0 means no limit.
func Sanitize(s string, max int) string {
	s = strings.Join(strings.Fields(clean(s, false)), " ")
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)
	return strings.TrimSpace(string(runes[:max-1])) + "…"
}

// cleanMultiline is Sanitize for long texts such as tracebacks: it keeps
// newlines and tabs and does not cut.
func cleanMultiline(s string) string {
	return clean(s, true)
}

// clean drops terminal escape sequences (ansi.Strip parses them as a
// terminal would), then control characters and bidirectional overrides.
// With keepLines, newlines and tabs stay; otherwise they become spaces.
func clean(s string, keepLines bool) string {
	s = ansi.Strip(c1Introducers.Replace(strings.ToValidUTF8(s, "\uFFFD")))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			if keepLines {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case r == '\r' && !keepLines:
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidi(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// c1Introducers spells the one-character C1 sequence introducers in their
// 7-bit form, so that ansi.Strip removes the whole sequence, parameters
// included, and not the introducer alone.
var c1Introducers = strings.NewReplacer(
	"\u009b", "\x1b[", "\u009d", "\x1b]", "\u0090", "\x1bP",
	"\u0098", "\x1bX", "\u009e", "\x1b^", "\u009f", "\x1b_",
)

// isBidi reports the invisible characters that reorder text on screen.
func isBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x200e || r == 0x200f || r == 0x061c
}

// Fingerprint returns a short, stable, non-reversible tag for a session id
// (the first 6 hex digits of its SHA-256), for logs and error messages that
// must tell sessions apart without revealing them.
func Fingerprint(sid string) string {
	if sid == "" {
		return "none"
	}
	sum := sha256.Sum256([]byte(sid))
	return hex.EncodeToString(sum[:3])
}

var (
	titleRx = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	tagRx   = regexp.MustCompile(`(?s)<[^>]*>`)
)

// htmlSummary returns the title of an HTML page and the text of its first
// paragraph, sanitized, for an error message.
func htmlSummary(body []byte) string {
	text := string(body)
	var parts []string
	if m := titleRx.FindStringSubmatch(text); m != nil {
		parts = append(parts, m[1])
	}
	if i := strings.Index(strings.ToLower(text), "<p>"); i >= 0 {
		p := text[i+3:]
		if j := strings.Index(strings.ToLower(p), "</p>"); j >= 0 {
			p = p[:j]
		}
		parts = append(parts, tagRx.ReplaceAllString(p, ""))
	}
	if len(parts) == 0 {
		parts = append(parts, tagRx.ReplaceAllString(text, " "))
	}
	return Sanitize(html.UnescapeString(strings.Join(parts, ": ")), maxErrorText)
}

// redactedSID is what stands in an error for a session id: its fingerprint,
// marked so that nobody takes it for the id itself.
func redactedSID(sid string) string {
	return "redacted-" + Fingerprint(sid)
}

// hideSIDs replaces each session id in text, as it is and as query or path
// escaping writes it, with redactedSID. Empty ids are skipped.
func hideSIDs(text string, sids ...string) string {
	var pairs []string
	for _, sid := range sids {
		if sid == "" {
			continue
		}
		mark := redactedSID(sid)
		pairs = append(pairs, sid, mark, url.QueryEscape(sid), mark, url.PathEscape(sid), mark)
	}
	if len(pairs) == 0 {
		return text
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// describeJSON says in a few words what a JSON text holds, for an error
// that must tell what came back: "a JSON object with keys ok, uid".
func describeJSON(b []byte) string {
	var v any
	if len(bytes.TrimSpace(b)) == 0 {
		return "an empty body"
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return "malformed JSON"
	}
	switch t := v.(type) {
	case map[string]any:
		return describeKeys(t)
	case []any:
		return fmt.Sprintf("a JSON array of %d items", len(t))
	case string:
		return "a JSON string"
	case float64:
		return "a JSON number"
	case bool:
		return "JSON " + strconv.FormatBool(t)
	default:
		return "JSON null"
	}
}

// maxKeysShown bounds how many keys describeKeys lists.
const maxKeysShown = 8

func describeKeys(m map[string]any) string {
	if len(m) == 0 {
		return "an empty JSON object"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, Sanitize(k, 40))
	}
	sort.Strings(keys)
	more := ""
	if len(keys) > maxKeysShown {
		more = fmt.Sprintf(" and %d more", len(keys)-maxKeysShown)
		keys = keys[:maxKeysShown]
	}
	return "a JSON object with keys " + strings.Join(keys, ", ") + more
}

// hasKey reports whether a JSON text is an object with the key.
func hasKey(b []byte, key string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return false
	}
	_, ok := m[key]
	return ok
}

// htmlTitle returns the sanitized title of an HTML page, or "".
func htmlTitle(body []byte) string {
	m := titleRx.FindSubmatch(body)
	if m == nil {
		return ""
	}
	return Sanitize(html.UnescapeString(string(m[1])), 80)
}

// werkzeugPageRx matches the error page of Werkzeug, Odoo's HTTP layer:
// a title "500 Internal Server Error" directly followed by
// <h1>Internal Server Error</h1>.
var werkzeugPageRx = regexp.MustCompile(
	`(?is)<title>\s*(\d{3}) ([^<]*?)\s*</title>\s*<h1>\s*([^<]*?)\s*</h1>`)

// isOdooErrorPage reports an HTML error page that Odoo itself sends on the
// routes this package calls: Werkzeug's page for 400 (a body it cannot
// read), 405 (wrong method) or 500 (an exception), with that status.
func isOdooErrorPage(status int, body []byte) bool {
	switch status {
	case http.StatusBadRequest, http.StatusMethodNotAllowed, http.StatusInternalServerError:
	default:
		return false
	}
	m := werkzeugPageRx.FindSubmatch(body)
	return m != nil && string(m[1]) == strconv.Itoa(status) &&
		strings.EqualFold(string(m[2]), string(m[3]))
}

// isGateway reports the statuses a reverse proxy sends when the Odoo
// behind it does not answer.
func isGateway(status int) bool {
	return status == http.StatusBadGateway || status == http.StatusServiceUnavailable ||
		status == http.StatusGatewayTimeout
}
