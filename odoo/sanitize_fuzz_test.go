package odoo

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSanitize checks that nothing a server sends can reach the terminal
// as a control character, an escape introducer or a bidirectional override.
func FuzzSanitize(f *testing.F) {
	for _, seed := range []string{
		"Access Denied", "\x1b[31mred\x1b[0m", "a\x1b]0;owned\x07b", "a\u009b2Jb", "a\x9b2Jb",
		"p\x1bP1;2q\x1b\\q", "abc\u202edef", "a\xffb", "one\ntwo\r\n\tthree\x00\x07\x7f",
	} {
		f.Add(seed, 0)
		f.Add(seed, 4)
	}
	f.Fuzz(func(t *testing.T, in string, max int) {
		for _, keep := range []bool{false, true} {
			got := clean(in, keep)
			if keep {
				checkSafe(t, in, got, "\n\t")
			} else {
				checkSafe(t, in, got, "")
			}
		}
		got := Sanitize(in, max%300)
		checkSafe(t, in, got, "")
		if max%300 > 0 && utf8.RuneCountInString(got) > max%300 {
			t.Fatalf("Sanitize(%q, %d) = %q: longer than the limit", in, max%300, got)
		}
	})
}

func checkSafe(t *testing.T, in, got, allowed string) {
	t.Helper()
	if !utf8.ValidString(got) {
		t.Fatalf("clean(%q) = %q: invalid UTF-8", in, got)
	}
	for _, r := range got {
		if strings.ContainsRune(allowed, r) {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidi(r) {
			t.Fatalf("clean(%q) = %q: keeps %U", in, got, r)
		}
	}
}
