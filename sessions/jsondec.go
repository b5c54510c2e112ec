package sessions

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strconv"
)

// maxDepth bounds nesting as encoding/json does.
const maxDepth = 10000

// skipSpace returns the index of the first non-space byte from i.
func skipSpace(d []byte, i int) int {
	for i < len(d) && (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t') {
		i++
	}
	return i
}

// skipValue validates the JSON value starting at d[i] (after any space) and
// returns the index just past it, or -1 when it is not valid JSON. spaced
// reports whether it held space outside strings.
func skipValue(d []byte, i, depth int) (end int, spaced bool) {
	j := skipSpace(d, i)
	spaced = j != i
	if j >= len(d) || depth > maxDepth {
		return -1, spaced
	}
	var sp bool
	switch c := d[j]; {
	case c == '{' || c == '[':
		end, sp = skipComposite(d, j, depth)
	case c == '"':
		end, _ = skipString(d, j)
	case c == '-' || c >= '0' && c <= '9':
		end = skipNumber(d, j)
	default:
		end = skipLiteral(d, j)
	}
	return end, spaced || sp
}

// skipComposite validates an object or array starting at d[i].
func skipComposite(d []byte, i, depth int) (int, bool) {
	closer, object := byte(']'), d[i] == '{'
	if object {
		closer = '}'
	}
	i++
	spaced := false
	for first := true; ; first = false {
		j := skipSpace(d, i)
		spaced = spaced || j != i
		if j < len(d) && d[j] == closer && first {
			return j + 1, spaced
		}
		if object {
			if j >= len(d) || d[j] != '"' {
				return -1, spaced
			}
			if j, _ = skipString(d, j); j < 0 {
				return -1, spaced
			}
			k := skipSpace(d, j)
			spaced = spaced || k != j
			if k >= len(d) || d[k] != ':' {
				return -1, spaced
			}
			j = k + 1
		}
		end, sp := skipValue(d, j, depth+1)
		spaced = spaced || sp
		if end < 0 {
			return -1, spaced
		}
		k := skipSpace(d, end)
		spaced = spaced || k != end
		switch {
		case k < len(d) && d[k] == ',':
			i = k + 1
		case k < len(d) && d[k] == closer:
			return k + 1, spaced
		default:
			return -1, spaced
		}
	}
}

// plainByte marks the ASCII bytes a string may hold as they are: anything
// but a quote, a backslash, a control character or a byte of a multi-byte
// character.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// skipString validates a string starting at the quote d[i] and returns
// the index past it, or -1. plain reports that the string holds only ASCII
// and no escapes, so its bytes are its value.
func skipString(d []byte, i int) (end int, plain bool) {
	plain = true
	for i++; i < len(d); i++ {
		for i+8 <= len(d) && !specialIn8(binary.LittleEndian.Uint64(d[i:])) {
			i += 8
		}
		for i < len(d) && plainByte[d[i]] {
			i++
		}
		if i >= len(d) {
			return -1, false
		}
		switch c := d[i]; {
		case c == '"':
			return i + 1, plain
		case c == '\\':
			if i = skipEscape(d, i+1); i < 0 {
				return -1, false
			}
			plain = false
		case c >= 0x80:
			plain = false
		default:
			return -1, false
		}
	}
	return -1, false
}

const ones, highs = 0x0101010101010101, 0x8080808080808080

// hasZero flags the zero bytes of v (and may flag a byte after one).
func hasZero(v uint64) uint64 { return (v - ones) &^ v & highs }

// specialIn8 reports whether any of the eight bytes in x is not plain (see
// plainByte), eight bytes at a time. It may report a plain word as special,
// which costs only speed.
func specialIn8(x uint64) bool {
	below := (x - 0x20*ones) // borrows out of bytes under 0x20
	return (below|x)&highs|hasZero(x^('"'*ones))|hasZero(x^('\\'*ones)) != 0
}

// skipEscape validates the escape after a backslash at d[i-1] and returns
// the index of its last byte.
func skipEscape(d []byte, i int) int {
	if i >= len(d) {
		return -1
	}
	switch d[i] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return i
	case 'u':
		if i+4 < len(d) && isHex4(d[i+1:i+5]) {
			return i + 4
		}
	}
	return -1
}

func isHex4(h []byte) bool {
	for _, c := range h {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// skipNumber validates a number as JSON defines it: no leading zeros or
// plus sign, digits on both sides of a point.
func skipNumber(d []byte, i int) int {
	if d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		i = skipDigits(d, i)
	default:
		return -1
	}
	if i < len(d) && d[i] == '.' {
		if i = skipDigits(d, i+1); i < 0 {
			return -1
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		return skipDigits(d, i)
	}
	return i
}

// skipDigits skips one or more digits, or returns -1 when there is none.
func skipDigits(d []byte, i int) int {
	start := i
	for i < len(d) && d[i] >= '0' && d[i] <= '9' {
		i++
	}
	if i == start {
		return -1
	}
	return i
}

func skipLiteral(d []byte, i int) int {
	for _, lit := range [...]string{"true", "false", "null"} {
		if bytes.HasPrefix(d[i:], []byte(lit)) {
			return i + len(lit)
		}
	}
	return -1
}

// lexer reads the one-line objects appendSession writes. Every method
// reports false on anything unexpected, and the caller then hands the whole
// file to encoding/json, which either reads it or says what is wrong.
type lexer struct {
	d    []byte
	i    int
	strs map[string]string
}

func (l *lexer) next(c byte) bool {
	l.i = skipSpace(l.d, l.i)
	if l.i < len(l.d) && l.d[l.i] == c {
		l.i++
		return true
	}
	return false
}

// peek reports whether the next byte after space is c, without taking it.
func (l *lexer) peek(c byte) bool {
	l.i = skipSpace(l.d, l.i)
	return l.i < len(l.d) && l.d[l.i] == c
}

// token returns the bytes of the next value.
func (l *lexer) token() ([]byte, bool) {
	l.i = skipSpace(l.d, l.i)
	start := l.i
	end, _ := skipValue(l.d, l.i, 0)
	if end < 0 {
		return nil, false
	}
	l.i = end
	return l.d[start:end], true
}

// rawString returns the next value, which must be a string, with its
// quotes, and whether it is plain (see skipString).
func (l *lexer) rawString() ([]byte, bool, bool) {
	l.i = skipSpace(l.d, l.i)
	if l.i >= len(l.d) || l.d[l.i] != '"' {
		return nil, false, false
	}
	end, plain := skipString(l.d, l.i)
	if end < 0 {
		return nil, false, false
	}
	tok := l.d[l.i:end]
	l.i = end
	return tok, plain, true
}

// key returns the next object key and takes the colon after it; keys that
// are not plain are left to encoding/json.
func (l *lexer) key() ([]byte, bool) {
	tok, plain, ok := l.rawString()
	if !ok || !plain {
		return nil, false
	}
	return tok[1 : len(tok)-1], l.next(':')
}

// str reads a string value. With shared, equal values share one copy:
// for fields that repeat across sessions (transports, states, URLs).
func (l *lexer) str(shared bool) (string, bool) {
	tok, plain, ok := l.rawString()
	switch {
	case !ok:
		return "", false
	case plain && shared:
		return l.intern(tok[1 : len(tok)-1]), true
	case plain:
		return string(tok[1 : len(tok)-1]), true
	}
	var s string
	return s, json.Unmarshal(tok, &s) == nil
}

// intern returns b as a string, keeping one copy of each of the first
// values it sees.
func (l *lexer) intern(b []byte) string {
	if s, ok := l.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(l.strs) < 256 {
		if l.strs == nil {
			l.strs = make(map[string]string)
		}
		l.strs[s] = s
	}
	return s
}

func (l *lexer) int64() (int64, bool) {
	tok, ok := l.token()
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(tok), 10, 64)
	return n, err == nil
}

func (l *lexer) bool() (bool, bool) {
	tok, ok := l.token()
	switch {
	case ok && string(tok) == "true":
		return true, true
	case ok && string(tok) == "false":
		return false, true
	}
	return false, false
}

// object calls field for each key of the object that comes next.
func (l *lexer) object(field func(key []byte) bool) bool {
	if !l.next('{') {
		return false
	}
	if l.next('}') {
		return true
	}
	for {
		k, ok := l.key()
		if !ok || !field(k) {
			return false
		}
		if l.next('}') {
			return true
		}
		if !l.next(',') {
			return false
		}
	}
}
