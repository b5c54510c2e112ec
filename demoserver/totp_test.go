package demoserver

import (
	"encoding/base32"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"
)

func TestTOTPCodeRFC6238(t *testing.T) {
	t.Parallel()
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	// RFC 6238 appendix B (SHA1), last six of the eight digits.
	tests := []struct {
		unix int64
		want string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
	}
	for _, tt := range tests {
		got, err := TOTPCode(secret, time.Unix(tt.unix, 0))
		if err != nil || got != tt.want {
			t.Errorf("TOTPCode at %d = %q, %v; want %q", tt.unix, got, err, tt.want)
		}
	}
	if _, err := TOTPCode("not base32!", time.Unix(0, 0)); err == nil {
		t.Error("TOTPCode accepted an invalid secret")
	}
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func TestTwoFactorLogin(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := newServer(t, Demo(16, clock.Now))

	a := jsonCall(t, srv, "/web/session/authenticate",
		map[string]any{"db": DemoDatabase, "login": "totp", "password": "totp"})
	result, _ := a.decode(t)["result"].(map[string]any)
	if uid, ok := result["uid"]; !ok || uid != nil || a.sid() == "" {
		t.Fatalf("authenticate: %s, cookie %q; want uid null and a cookie", a.body, a.sid())
	}
	half := "session_id=" + a.sid()
	if code := errorCode(t, jsonCall(t, srv, "/web/session/get_session_info", nil, "Cookie", half)); code != 100 {
		t.Errorf("half session accepted: code %d", code)
	}

	form := send(t, srv, http.MethodGet, "/web/login/totp", "", "Cookie", half)
	m := csrfInput.FindStringSubmatch(form.body)
	if form.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("form: %d %s", form.StatusCode, form.body)
	}
	post := func(code string) answer {
		body := url.Values{"csrf_token": {m[1]}, "totp_token": {code}, "redirect": {""}}.Encode()
		return send(t, srv, http.MethodPost, "/web/login/totp", body,
			"Cookie", half, "Content-Type", "application/x-www-form-urlencoded")
	}

	if wrong := post("000000"); wrong.StatusCode != http.StatusOK || wrong.sid() == "" {
		t.Errorf("wrong code: status %d, want the form again (200)", wrong.StatusCode)
	}
	code, err := TOTPCode(DemoTOTPSecret, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	ok := post(code)
	if ok.StatusCode != http.StatusSeeOther || ok.sid() == "" || ok.sid() == a.sid() {
		t.Fatalf("right code: status %d, cookie %q; want 303 and a new sid", ok.StatusCode, ok.sid())
	}
	info := jsonCall(t, srv, "/web/session/get_session_info", nil, "Cookie", "session_id="+ok.sid())
	if res, _ := info.decode(t)["result"].(map[string]any); res["username"] != "totp" {
		t.Errorf("after two-factor login: %s", info.body)
	}
}
