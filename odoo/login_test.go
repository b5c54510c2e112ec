package odoo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// restLogin is a route for POST /session/auth/login that checks the body.
func restLogin(wantDB string, tr Transport, sid string, a answer) route {
	return func(t *testing.T, r *http.Request, body []byte) answer {
		wantOnly(t, r, tr, sid)
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("login Content-Type %q", ct)
		}
		var got map[string]string
		if err := json.Unmarshal(body, &got); err != nil {
			t.Errorf("login body %q: %v", body, err)
		}
		want := map[string]string{"login": "qa_user", "password": testPwd}
		if wantDB != "" {
			want["db"] = wantDB
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("login body (-want +got):\n%s", diff)
		}
		return a
	}
}

// webAuthenticate is a route for POST /web/session/authenticate.
func webAuthenticate(wantDB, login string, a answer) route {
	return func(t *testing.T, r *http.Request, body []byte) answer {
		wantOnly(t, r, "", "")
		params := wantJSONRPC(t, r, body)
		if params["db"] != wantDB || params["login"] != login || params["password"] == "" {
			t.Errorf("authenticate params %v", params)
		}
		return a
	}
}

func TestLoginREST(t *testing.T) {
	t.Parallel()
	expires := time.Date(2027, 3, 3, 17, 49, 51, 0, time.UTC)
	tests := []struct {
		name string
		file string
		db   string
		want LoginResult
	}{
		{"internal user", "odoo15_rest_login_ok.json", "qa", LoginResult{
			SID: sid15, ExpiresAt: expires, Method: MethodREST,
			Info: SessionInfo{UID: 6, Name: "QA User", Username: "qa_user", DB: "qa",
				ServerVersion: "15.0-20220805", CompanyID: 1, CompanyName: "My Company", PartnerID: 7},
		}},
		{"admin without db", "odoo15_rest_login_admin.json", "", LoginResult{
			SID: "2c10af6f7aaba1c355219dd8c3910450d2fe6d6a", ExpiresAt: expires, Method: MethodREST,
			Info: SessionInfo{UID: 2, Name: "Administrator", Username: "admin", DB: "qa",
				ServerVersion: "15.0-20220805", CompanyID: 1, CompanyName: "My Company", PartnerID: 3,
				IsAdmin: true, IsSystem: true},
			Notes: []string{noteAdminBaseURL},
		}},
		{"portal user has no user_companies", "odoo15_rest_login_portal.json", "qa", LoginResult{
			SID: "dc9bc03de55e2d7759c986c33e9743bfdfd5782a", ExpiresAt: expires, Method: MethodREST,
			Info: SessionInfo{UID: 7, Name: "Portal User", Username: "portal_user", DB: "qa",
				ServerVersion: "15.0-20220805", CompanyID: 1, PartnerID: 8},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := readTestdata(t, tt.file)
			a := jsonAnswer(http.StatusOK, body)
			a.cookie = tt.want.SID
			_, c := newFakeOdoo(t, map[string][]route{
				"POST /session/auth/login": {restLogin(tt.db, "", "", a)},
			})
			got, err := c.Login(context.Background(), qaLogin(tt.db))
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			if diff := cmp.Diff(&tt.want, got, cmpopts.IgnoreFields(SessionInfo{}, "Raw")); diff != "" {
				t.Errorf("Login (-want +got):\n%s", diff)
			}
			if string(got.Info.Raw) != string(body) {
				t.Errorf("Raw is not the server's body")
			}
		})
	}
}

func TestLoginTZ(t *testing.T) {
	t.Parallel()
	body := strings.Replace(string(readTestdata(t, "odoo15_rest_login_ok.json")),
		`"tz": false`, `"tz": "Europe/Brussels"`, 1)
	_, c := newFakeOdoo(t, map[string][]route{
		"POST /session/auth/login": {restLogin("qa", "", "", jsonAnswer(http.StatusOK, []byte(body)))},
	})
	got, err := c.Login(context.Background(), qaLogin("qa"))
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if got.Info.TZ != "Europe/Brussels" {
		t.Errorf("TZ = %q, want Europe/Brussels", got.Info.TZ)
	}
}

func TestLoginBindsDatabase(t *testing.T) {
	t.Parallel()
	const bound = "968d9f72d7503be3efaf080e7b1870aa46d31f6c"
	bind := func(t *testing.T, r *http.Request, _ []byte) answer {
		wantOnly(t, r, "", "")
		if got := r.URL.Query().Get("db"); got != "qa2" {
			t.Errorf("GET /web/login db=%q, want qa2", got)
		}
		a := htmlFile(t, http.StatusFound, "odoo15_multidb_web_login_302.html")
		a.cookie, a.location = bound, "/web/login?db=qa2"
		return a
	}
	f, c := newFakeOdoo(t, map[string][]route{
		"POST /session/auth/login": {
			restLogin("qa2", "", "", jsonFile(t, http.StatusNotFound, "odoo15_multidb_login_404.json")),
			restLogin("qa2", TransportHeader, bound,
				jsonFile(t, http.StatusOK, "odoo15_multidb_login_ok.json")),
		},
		"GET /web/login": {bind},
	})
	got, err := c.Login(context.Background(), qaLogin("qa2"))
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if got.SID != "cb0981bc3e04773fa2765cb7157492af6b372fee" || got.BoundDB != "qa2" || got.Info.DB != "qa2" {
		t.Errorf("Login = SID %s, BoundDB %q, DB %q", Fingerprint(got.SID), got.BoundDB, got.Info.DB)
	}
	if len(got.Notes) == 0 || !strings.Contains(got.Notes[0], "several databases") {
		t.Errorf("Notes = %q, want one on binding the database", got.Notes)
	}
	if left := f.unserved(); len(left) > 0 {
		t.Errorf("requests not made: %v", left)
	}
}

func TestLoginRouteMissingAfterBind(t *testing.T) {
	t.Parallel()
	notFound := jsonFile(t, http.StatusNotFound, "odoo15_multidb_login_404.json")
	bound := htmlAnswer(http.StatusFound, nil)
	bound.cookie = "050028b602d3e747b1285d4c8d6f50cc69bdc38e"
	_, c := newFakeOdoo(t, map[string][]route{
		"POST /session/auth/login": {
			restLogin("qa", "", "", notFound),
			restLogin("qa", TransportHeader, bound.cookie, notFound),
		},
		"GET /web/login": {serve("", "", bound)},
	})
	_, err := c.Login(context.Background(), qaLogin("qa"))
	if !errors.Is(err, ErrRouteMissing) {
		t.Fatalf("Login error = %v, want ErrRouteMissing", err)
	}
	want := "server answered 404 on /session/auth/login: " +
		`is base_rest_auth_user_service installed on database "qa"?`
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
}

func TestLoginNeedDatabase(t *testing.T) {
	t.Parallel()
	_, c := newFakeOdoo(t, map[string][]route{
		"POST /session/auth/login": {restLogin("", "", "",
			jsonFile(t, http.StatusNotFound, "odoo15_multidb_login_404.json"))},
		"POST /xmlrpc/2/db": {serve("", "", xmlFile(t, "odoo15_xmlrpc_db_list.xml"))},
	})
	_, err := c.Login(context.Background(), LoginRequest{Login: "qa_user", Password: testPwd})
	if !errors.Is(err, ErrNeedDatabase) || !strings.Contains(err.Error(), "qa, qa2") {
		t.Fatalf("Login error = %v, want ErrNeedDatabase listing qa, qa2", err)
	}
}

func TestLoginBindUnknownDatabase(t *testing.T) {
	t.Parallel()
	selector := htmlAnswer(http.StatusSeeOther, nil)
	selector.location = "/web/database/selector"
	_, c := newFakeOdoo(t, map[string][]route{
		"POST /session/auth/login": {restLogin("nosuchdb", "", "",
			jsonFile(t, http.StatusNotFound, "odoo15_multidb_login_404.json"))},
		"GET /web/login": {serve("", "", selector)},
	})
	_, err := c.Login(context.Background(), qaLogin("nosuchdb"))
	if !errors.Is(err, ErrUnknownDatabase) {
		t.Fatalf("Login error = %v, want ErrUnknownDatabase", err)
	}
}

func TestLoginWebFallback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, db, sid string
	}{
		{"odoo 16", "odoo16_web_authenticate_ok.json", "qa16", sid16},
		{"odoo 17 without company_id", "odoo17_web_authenticate_ok.json", "qa17",
			"8deb9992212d576c713aa6bce474f7e36d8c8569"},
		{"odoo 18 with an 84-character sid", "odoo18_web_authenticate_ok.json", "qa18", sid18},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ok := jsonAnswer(http.StatusOK, readTestdata(t, tt.file))
			ok.cookie = tt.sid
			_, c := newFakeOdoo(t, map[string][]route{
				"POST /session/auth/login": {restLogin(tt.db, "", "",
					htmlFile(t, http.StatusNotFound, "odoo16_rest_login_404.html"))},
				"POST /web/session/authenticate": {webAuthenticate(tt.db, "qa_user", ok)},
			})
			got, err := c.Login(context.Background(), qaLogin(tt.db))
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			if got.SID != tt.sid || got.Method != MethodWeb || !got.ExpiresAt.IsZero() {
				t.Errorf("Login = SID %s method %s expires %v", Fingerprint(got.SID), got.Method,
					got.ExpiresAt)
			}
			if got.Info.UID != 6 || got.Info.DB != tt.db || got.Info.CompanyID != 1 ||
				got.Info.CompanyName != "My Company" {
				t.Errorf("Info = %+v", got.Info)
			}
			if len(got.Notes) == 0 || !strings.Contains(got.Notes[0], "/web/session/authenticate") {
				t.Errorf("Notes = %q, want the fallback told", got.Notes)
			}
		})
	}
}

func TestLoginWebPicksOnlyDatabase(t *testing.T) {
	t.Parallel()
	ok := jsonFile(t, http.StatusOK, "odoo16_web_authenticate_ok.json")
	ok.cookie = sid16
	list := []byte("<?xml version='1.0'?>\n<methodResponse><params><param><value><array><data>" +
		"<value><string>qa16</string></value></data></array></value></param></params></methodResponse>")
	_, c := newFakeOdoo(t, map[string][]route{
		"POST /xmlrpc/2/db":              {serve("", "", xmlAnswer(list))},
		"POST /web/session/authenticate": {webAuthenticate("qa16", "qa_user", ok)},
	})
	got, err := c.LoginWeb(context.Background(), LoginRequest{Login: "qa_user", Password: testPwd})
	if err != nil {
		t.Fatalf("LoginWeb: %v", err)
	}
	if len(got.Notes) != 1 || !strings.Contains(got.Notes[0], `"qa16"`) {
		t.Errorf("Notes = %q, want the chosen database told", got.Notes)
	}
}
