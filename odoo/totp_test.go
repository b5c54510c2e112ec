package odoo

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const (
	csrf16 = "cb84b3d69b498c26d77c5e12b1bc0622503218cco1827856175"
	csrf18 = "dea5f035978a3ed31924c4daf1f3bd93623ace52o1827857300"
)

// totpPost is a route for POST /web/login/totp that checks the form.
func totpPost(sid, csrf, code string, a answer) route {
	return func(t *testing.T, r *http.Request, body []byte) answer {
		wantOnly(t, r, TransportCookie, sid)
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			t.Errorf("totp Content-Type %q", ct)
		}
		form, err := url.ParseQuery(string(body))
		if err != nil || form.Get("csrf_token") != csrf || form.Get("totp_token") != code {
			t.Errorf("totp form %q: want csrf %q and code %q", body, csrf, code)
		}
		return a
	}
}

func totpRoutes(t *testing.T, form string, csrf string, post answer) map[string][]route {
	formAnswer := htmlAnswer(http.StatusOK, readTestdata(t, form))
	formAnswer.cookie = halfSID
	info := jsonFile(t, http.StatusOK, "odoo16_session_info_totp_user.json")
	routes := map[string][]route{
		"GET /web/login/totp":  {serve(TransportCookie, halfSID, formAnswer)},
		"POST /web/login/totp": {totpPost(halfSID, csrf, "603425", post)},
	}
	if post.status == http.StatusSeeOther {
		routes["POST /web/session/get_session_info"] = []route{serveRPC(TransportCookie, fullSID, info)}
	}
	return routes
}

func redirected(sid, location string) answer {
	a := htmlAnswer(http.StatusSeeOther, []byte("<title>Redirecting...</title>"))
	a.cookie, a.location = sid, location
	return a
}

func TestCompleteTOTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, form, csrf string
	}{
		{"odoo 16 form", "odoo16_totp_form.html", csrf16},
		{"odoo 18 form", "odoo18_totp_form.html", csrf18},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, c := newFakeOdoo(t, totpRoutes(t, tt.form, tt.csrf, redirected(fullSID, "/web")))
			got, err := c.CompleteTOTP(context.Background(), halfSID, " 603 425 ")
			if err != nil {
				t.Fatalf("CompleteTOTP: %v", err)
			}
			if got.SID != fullSID || got.Method != MethodWeb || got.Info.UID != 7 ||
				got.Info.Username != "totp_user" || got.TOTPRequired {
				t.Errorf("CompleteTOTP = %+v", got)
			}
			if left := f.unserved(); len(left) > 0 {
				t.Errorf("requests not made: %v", left)
			}
		})
	}
}

func TestCompleteTOTPFailures(t *testing.T) {
	t.Parallel()
	wrong := htmlAnswer(http.StatusOK, []byte(`<form><p class="alert alert-danger" role="alert">`+
		"Verification failed, please double-check the 6-digit code\x1b[2J</p></form>"))
	tests := []struct {
		name     string
		routes   func(t *testing.T) map[string][]route
		code     string
		want     error
		contains string
	}{
		{"wrong code", func(t *testing.T) map[string][]route {
			return totpRoutes(t, "odoo16_totp_form.html", csrf16, wrong)
		}, "603425", ErrTOTPInvalid,
			"rejected the code: Verification failed, please double-check the 6-digit code"},
		{"half session gone", func(t *testing.T) map[string][]route {
			return map[string][]route{"GET /web/login/totp": {serve(TransportCookie, halfSID,
				redirected("", "/web/login"))}}
		}, "603425", ErrSessionExpired, "no longer valid"},
		{"csrf refused", func(t *testing.T) map[string][]route {
			return totpRoutes(t, "odoo16_totp_form.html", csrf16, htmlAnswer(http.StatusBadRequest,
				[]byte("<title>400 Bad Request</title><p>Session expired (invalid CSRF token)</p>")))
		}, "603425", ErrSessionExpired, "invalid CSRF token"},
		{"form without token", func(t *testing.T) map[string][]route {
			return map[string][]route{"GET /web/login/totp": {serve(TransportCookie, halfSID,
				htmlAnswer(http.StatusOK, []byte("<html><form></form></html>")))}}
		}, "603425", ErrNotOdoo, "without a csrf_token"},
		{"letters in the code", func(*testing.T) map[string][]route { return nil }, "12ab56",
			ErrInvalidInput, "digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, c := newFakeOdoo(t, tt.routes(t))
			_, err := c.CompleteTOTP(context.Background(), halfSID, tt.code)
			if !errors.Is(err, tt.want) {
				t.Fatalf("CompleteTOTP error = %v, want %v", err, tt.want)
			}
			assertCleanError(t, err, c.URL())
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q lacks %q", err, tt.contains)
			}
			if left := f.unserved(); len(left) > 0 {
				t.Errorf("requests not made: %v", left)
			}
		})
	}
}

func TestLoginTOTP(t *testing.T) {
	t.Parallel()
	half := jsonFile(t, http.StatusOK, "odoo16_web_authenticate_totp.json")
	half.cookie = halfSID
	loginRoutes := func() map[string][]route {
		return map[string][]route{
			"POST /session/auth/login": {serve("", "",
				htmlFile(t, http.StatusNotFound, "odoo16_rest_login_404.html"))},
			"POST /web/session/authenticate": {webAuthenticate("qa16", "totp_user", half)},
		}
	}
	req := LoginRequest{DB: "qa16", Login: "totp_user", Password: "totp-pass-1"}

	t.Run("without a code", func(t *testing.T) {
		t.Parallel()
		_, c := newFakeOdoo(t, loginRoutes())
		got, err := c.Login(context.Background(), req)
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		if !got.TOTPRequired || got.SID != halfSID || got.Method != MethodWeb {
			t.Errorf("Login = %+v, want the half session with TOTPRequired", got)
		}
	})
	t.Run("with a code", func(t *testing.T) {
		t.Parallel()
		routes := loginRoutes()
		for k, v := range totpRoutes(t, "odoo16_totp_form.html", csrf16, redirected(fullSID, "/web")) {
			routes[k] = v
		}
		_, c := newFakeOdoo(t, routes)
		req := req
		req.TOTPCode = "603425"
		got, err := c.Login(context.Background(), req)
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		if got.SID != fullSID || got.TOTPRequired || got.Info.UID != 7 || len(got.Notes) != 2 {
			t.Errorf("Login = %+v, want the full session and two notes", got)
		}
	})
	t.Run("with a wrong code", func(t *testing.T) {
		t.Parallel()
		routes := loginRoutes()
		wrong := htmlAnswer(http.StatusOK, readTestdata(t, "odoo16_totp_form.html"))
		for k, v := range totpRoutes(t, "odoo16_totp_form.html", csrf16, wrong) {
			routes[k] = v
		}
		_, c := newFakeOdoo(t, routes)
		req := req
		req.TOTPCode = "603425"
		got, err := c.Login(context.Background(), req)
		if got != nil || !errors.Is(err, ErrTOTPInvalid) {
			t.Errorf("Login = %+v, %v; want no result and ErrTOTPInvalid", got, err)
		}
	})
}
