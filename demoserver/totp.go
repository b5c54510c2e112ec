package demoserver

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TOTPStep is the time step of the two-factor codes (RFC 6238).
const TOTPStep = 30 * time.Second

// TOTPCode returns the six-digit RFC 6238 code (HMAC-SHA1, 30 s steps) of a
// base32 secret at time t, as an authenticator app shows it.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return "", err
	}
	return hotp(key, uint64(t.Unix()/int64(TOTPStep/time.Second))), nil
}

// decodeSecret reads a base32 secret, ignoring case, spaces and padding.
func decodeSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.ReplaceAll(secret, " ", ""))
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(s, "="))
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("decode TOTP secret: invalid base32")
	}
	return key, nil
}

// hotp is RFC 4226 with six digits.
func hotp(key []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1000000)
}

// validTOTP accepts the code of the current step or of the steps next to
// it, for clocks a little apart.
func validTOTP(secret, code string, now time.Time) bool {
	for _, d := range []time.Duration{0, -TOTPStep, TOTPStep} {
		want, err := TOTPCode(secret, now.Add(d))
		if err == nil && hmac.Equal([]byte(want), []byte(code)) {
			return true
		}
	}
	return false
}

// csrfToken returns an Odoo-style CSRF token for a session: an HMAC of the
// sid and the expiry, "o", the expiry in Unix seconds.
func (s *Server) csrfToken(sid string, now time.Time) string {
	exp := now.Add(365 * 24 * time.Hour).Unix()
	return s.csrfMAC(sid, exp) + "o" + strconv.FormatInt(exp, 10)
}

// csrfMAC signs a sid and an expiry.
func (s *Server) csrfMAC(sid string, exp int64) string {
	m := hmac.New(sha1.New, s.secret)
	fmt.Fprintf(m, "%d%s", exp, sid)
	return hex.EncodeToString(m.Sum(nil))
}

// validCSRF checks a token made by csrfToken for the same session.
func (s *Server) validCSRF(sid, token string, now time.Time) bool {
	i := strings.LastIndexByte(token, 'o')
	if i < 0 {
		return false
	}
	exp, err := strconv.ParseInt(token[i+1:], 10, 64)
	if err != nil || now.Unix() > exp {
		return false
	}
	return hmac.Equal([]byte(token[:i]), []byte(s.csrfMAC(sid, exp)))
}

// webLoginTOTP is /web/login/totp: GET shows the code form of a
// half-logged-in session, POST checks csrf_token and totp_token and, when
// right, rotates to a fully logged-in session (303 to the web client).
func (s *Server) webLoginTOTP(c *call) {
	d := s.dbs[c.sess.db]
	var u *User
	if d != nil && c.sess.preUID != 0 {
		u = d.userByID(c.sess.preUID)
	}
	if u == nil {
		c.redirect(http.StatusSeeOther, "/web/login")
		return
	}
	if c.r.Method != http.MethodPost {
		s.totpForm(c, "")
		return
	}
	form, err := url.ParseQuery(string(c.body))
	if err != nil || !s.validCSRF(c.sess.sid, form.Get("csrf_token"), c.now) {
		c.htmlError(http.StatusBadRequest, "Session expired (invalid CSRF token)")
		return
	}
	if !validTOTP(u.TOTPSecret, strings.TrimSpace(form.Get("totp_token")), c.now) {
		s.totpForm(c, "Verification failed, please double-check the 6-digit code")
		return
	}
	s.login(c, c.sess.db, u)
	if s.commit(c, true, true) {
		c.setSessionCookie()
	}
	c.setNosniff()
	c.redirect(http.StatusSeeOther, c.p.homePath)
}

// totpForm sends the two-factor form with a CSRF token; the session is
// saved and its cookie re-sent.
func (s *Server) totpForm(c *call, problem string) {
	c.dirty = true
	if s.commit(c, true, true) {
		c.setSessionCookie()
	}
	c.setNosniff()
	token := html.EscapeString(s.csrfToken(c.sess.sid, c.now))
	var b strings.Builder
	b.WriteString("        <div class=\"oe_login_form\">\n" +
		"            <h5 class=\"card-title\">Two-factor Authentication</h5>\n")
	if problem != "" {
		fmt.Fprintf(&b, "            <p class=\"alert alert-danger\">%s</p>\n", html.EscapeString(problem))
	}
	fmt.Fprintf(&b, "            <form method=\"POST\" action=\"\">\n"+
		"                <input type=\"hidden\" name=\"csrf_token\" value=\"%s\"/>\n"+
		"                <input type=\"hidden\" name=\"redirect\"/>\n"+
		"                <input id=\"totp_token\" name=\"totp_token\" autocomplete=\"off\"/>\n"+
		"                <button type=\"submit\">Log in</button>\n            </form>\n"+
		"        </div>", token)
	c.write(http.StatusOK, htmlType, page("Odoo", b.String()))
}

// setNosniff adds the header Odoo 17 and 18 send on successful answers.
func (c *call) setNosniff() {
	if c.p.nosniff {
		c.w.Header().Set("X-Content-Type-Options", "nosniff")
	}
}
