package odoo

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

var (
	csrfInputRx = regexp.MustCompile(`(?is)<input[^>]*\bname="csrf_token"[^>]*>`)
	valueAttrRx = regexp.MustCompile(`(?is)\bvalue="([^"]*)"`)
	alertRx     = regexp.MustCompile(`(?is)class="[^"]*\balert-danger\b[^"]*"[^>]*>(.*?)</`)
)

// CompleteTOTP finishes the login of a two-factor user, given the
// half-logged-in sid that Login or LoginWeb returned with TOTPRequired and
// the current code of the user's authenticator.
//
// Odoo only takes the code through its HTML form, and only with the sid as
// a cookie: GET /web/login/totp gives the form and its CSRF token, then
// POST /web/login/totp (form fields csrf_token and totp_token, redirect not
// followed) answers 303 with a new, fully logged-in sid in Set-Cookie.
// CompleteTOTP then reads the user's details with get_session_info. A wrong
// code redisplays the form: the error wraps ErrTOTPInvalid and the half sid
// stays usable for another try. A half session the server no longer knows
// gives ErrSessionExpired.
func (c *Client) CompleteTOTP(ctx context.Context, halfSID, code string) (*LoginResult, error) {
	res, err := c.completeTOTP(ctx, "two-factor login", halfSID, code)
	return res, hideSID(err, halfSID)
}

// completeTOTP is CompleteTOTP on behalf of operation op.
func (c *Client) completeTOTP(ctx context.Context, op, halfSID, code string) (*LoginResult, error) {
	code = strings.Join(strings.Fields(code), "")
	if err := checkSID(halfSID); err != nil {
		return nil, c.fail(op, ErrInvalidInput, "refused to send the request", err)
	}
	if !isDigits(code) {
		return nil, c.fail(op, ErrInvalidInput, "the code must be digits, e.g. 123456", nil)
	}
	sid, csrf, err := c.totpForm(ctx, op, halfSID)
	if err != nil {
		return nil, err
	}
	newSID, err := c.postTOTP(ctx, op, sid, csrf, code)
	if err != nil {
		return nil, err
	}
	info, err := c.sessionInfo(ctx, op, newSID, TransportCookie)
	if errors.Is(err, ErrSessionExpired) {
		return nil, hideSID(c.fail(op, ErrTOTPInvalid, PathTOTP+" accepted the code but the "+
			"session it handed out is not logged in", err), newSID)
	}
	if err != nil {
		return nil, hideSID(err, newSID)
	}
	return &LoginResult{SID: newSID, Method: MethodWeb, Info: info, TwoFactor: true,
		Notes: []string{"two-factor code accepted by " + PathTOTP}}, nil
}

// totpForm fetches the two-factor form and returns the sid to post it with
// (the server may re-set it) and the form's CSRF token.
func (c *Client) totpForm(ctx context.Context, op, halfSID string) (sid, csrf string, err error) {
	k := call{op: op, method: http.MethodGet, path: PathTOTP, sid: halfSID, transport: TransportCookie,
		want: "HTML", expect: "the two-factor form"}
	r, err := c.do(ctx, k)
	if err != nil {
		return "", "", err
	}
	if r.status >= 300 && r.status < 400 {
		return "", "", c.failCall(k, ErrSessionExpired, fmt.Sprintf("GET %s redirected to %q: the "+
			"half-logged-in session is no longer valid, log in again", PathTOTP,
			Sanitize(r.header.Get("Location"), 80)), nil)
	}
	if r.status != http.StatusOK || !r.isHTML() {
		return "", "", c.statusError(k, r)
	}
	csrf = parseCSRF(r.body)
	if csrf == "" {
		return "", "", c.failCall(k, ErrNotOdoo, "GET "+PathTOTP+" answered a page without a "+
			"csrf_token field",
			&DecodeError{Format: "HTML", Raw: r.body, Err: errors.New("no csrf_token input")})
	}
	sid = halfSID
	if s := r.sessionCookie(); checkSID(s) == nil {
		sid = s
	}
	return sid, csrf, nil
}

// postTOTP posts the code and returns the logged-in sid.
func (c *Client) postTOTP(ctx context.Context, op, sid, csrf, code string) (string, error) {
	form := url.Values{"csrf_token": {csrf}, "totp_token": {code}, "redirect": {""}}
	k := call{op: op, method: http.MethodPost, path: PathTOTP, body: []byte(form.Encode()),
		contentType: "application/x-www-form-urlencoded", sid: sid, transport: TransportCookie}
	r, err := c.do(ctx, k)
	if err != nil {
		return "", err
	}
	loc := r.header.Get("Location")
	switch {
	case r.status == http.StatusOK && r.isHTML():
		detail := "the server rejected the code"
		if msg := parseAlert(r.body); msg != "" {
			detail += ": " + msg
		}
		return "", c.failCall(k, ErrTOTPInvalid, detail, nil)
	case r.status == http.StatusBadRequest:
		return "", c.failCall(k, ErrSessionExpired, "POST "+PathTOTP+" answered 400 (CSRF token or "+
			"half-logged-in session no longer valid): "+htmlSummary(r.body), nil)
	case r.status < 300 || r.status >= 400:
		return "", c.statusError(k, r)
	case strings.Contains(loc, PathWebLogin) && !strings.Contains(loc, PathTOTP):
		return "", c.failCall(k, ErrSessionExpired, fmt.Sprintf("POST %s redirected to %q: the "+
			"half-logged-in session is no longer valid, log in again", PathTOTP, Sanitize(loc, 80)), nil)
	}
	if s := r.sessionCookie(); checkSID(s) == nil {
		return s, nil
	}
	return sid, nil // not rotated: get_session_info tells whether it is logged in
}

// parseCSRF returns the value of the first csrf_token input of a page.
func parseCSRF(body []byte) string {
	input := csrfInputRx.Find(body)
	if input == nil {
		return ""
	}
	m := valueAttrRx.FindSubmatch(input)
	if m == nil {
		return ""
	}
	return html.UnescapeString(string(m[1]))
}

// parseAlert returns the text of the page's error banner, sanitized.
func parseAlert(body []byte) string {
	m := alertRx.FindSubmatch(body)
	if m == nil {
		return ""
	}
	return Sanitize(html.UnescapeString(string(m[1])), maxErrorText)
}

func isDigits(s string) bool {
	if s == "" || len(s) > 10 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
