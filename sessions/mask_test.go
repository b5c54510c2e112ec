package sessions

import (
	"strings"
	"testing"
)

func TestNormalizeSID(t *testing.T) {
	t.Parallel()
	const sid = "e284d92ec07f75ac83bcec9208163b66d7aae2f0"
	tests := []struct{ name, in, want string }{
		{"alone", sid, sid},
		{"spaces", "  " + sid + "\n", sid},
		{"cookie pair", "session_id=" + sid, sid},
		{"cookie header", "Cookie: tz=Europe/Brussels; session_id=" + sid + "; frontend_lang=en_US", sid},
		{"set-cookie", "Set-Cookie: session_id=" + sid + "; Expires=Wed, 03-Mar-2027 17:49:51 GMT; HttpOnly; Path=/", sid},
		{"odoo 18 shape", "session_id=AbC-_123", "AbC-_123"},
		{"other cookie only", "tz=Europe/Brussels", "tz=Europe/Brussels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := NormalizeSID(tt.in); got != tt.want {
				t.Fatalf("NormalizeSID(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskSID(t *testing.T) {
	t.Parallel()
	if got := MaskSID("e284d92ec07f75ac83bcec9208163b66d7aae2f0"); got != "e284…e2f0" {
		t.Fatalf("MaskSID = %q, want e284…e2f0", got)
	}
	if got := MaskSID("short"); got != "••••" {
		t.Fatalf("MaskSID of a short sid = %q, want it hidden whole", got)
	}
}

func TestCheckSID(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, sid, wantErr string }{
		{"odoo 16", "e284d92ec07f75ac83bcec9208163b66d7aae2f0", ""},
		{"odoo 18", strings.Repeat("AbC-_1", 14), ""},
		{"at the limit", strings.Repeat("a", MaxSIDLength), ""},
		{"one over", strings.Repeat("a", MaxSIDLength+1), "the sid is 513 characters long: expected at most 512"},
		{"far over", strings.Repeat("a", 200000), "the sid is 200000 characters long: expected at most 512"},
		{"counted in characters, not bytes", strings.Repeat("é", MaxSIDLength+1),
			"the sid is 513 characters long"},
		{"not ASCII", "abcé", "expected printable ASCII without spaces"},
		{"semicolon", "abc;def", "expected printable ASCII without spaces"},
		{"a URL", "http://127.0.0.1:8069", "that is a URL, not a sid"},
		{"other cookies", NormalizeSID("Cookie: tz=UTC; frontend_lang=en_US"), "no session_id=… in what was pasted"},
		{"empty", "", "the sid is empty"},
		{"space", "abc def", "expected printable ASCII without spaces"},
		{"no-break space", "abc\u00a0def", "expected printable ASCII without spaces"},
		{"control", "abc\x1b[2Jdef", "expected printable ASCII without spaces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckSID(tt.sid)
			ok := err == nil && tt.wantErr == "" ||
				err != nil && tt.wantErr != "" && strings.Contains(err.Error(), tt.wantErr)
			if !ok {
				t.Fatalf("CheckSID(%.20q…) = %v, want %q", tt.sid, err, tt.wantErr)
			}
		})
	}
}
