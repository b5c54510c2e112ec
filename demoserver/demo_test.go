package demoserver

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestDemoUsersLogIn(t *testing.T) {
	t.Parallel()
	for _, v := range []int{15, 16, 17, 18} {
		t.Run(fmt.Sprint(v), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, Demo(v, newFakeClock().Now))
			users := DemoUsers(v)
			if want := map[bool]int{true: 3, false: 2}[v >= 16]; len(users) != want {
				t.Fatalf("%d demo users, want %d", len(users), want)
			}
			for _, u := range users {
				a := jsonCall(t, srv, "/web/session/authenticate",
					map[string]any{"login": u.Login, "password": u.Password, "db": DemoDatabase})
				res, _ := a.decode(t)["result"].(map[string]any)
				twoFactor := strings.Contains(u.Note, "two-factor")
				if res == nil || (res["uid"] == nil) != twoFactor {
					t.Errorf("%s: %s", u.Login, a.body)
				}
			}
			list := send(t, srv, http.MethodPost, "/xmlrpc/2/db",
				"<?xml version='1.0'?><methodCall><methodName>list</methodName><params></params></methodCall>")
			if !strings.Contains(list.body, "<string>demo</string>") {
				t.Errorf("db list: %s", list.body)
			}
		})
	}
}

func TestDemoRESTOnlyOn15(t *testing.T) {
	t.Parallel()
	for _, v := range []int{15, 16} {
		srv := newServer(t, Demo(v, newFakeClock().Now))

		a := restLogin(t, srv, "admin", "admin")

		want := map[int]int{15: http.StatusOK, 16: http.StatusNotFound}[v]
		if a.StatusCode != want {
			t.Errorf("Odoo %d REST login: status %d, want %d", v, a.StatusCode, want)
		}
	}
}
