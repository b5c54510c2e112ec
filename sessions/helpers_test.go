package sessions

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// t0 is the fixed clock of the tests.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fixedClock returns a clock that always reads at.
func fixedClock(at time.Time) func() time.Time { return func() time.Time { return at } }

// odoo15Info is the session_info body of a REST login on Odoo 15, as
// recorded in demoserver/testdata/odoo15-transcripts (1,160 bytes).
//
//go:embed testdata/session_info_odoo15.json
var odoo15Info []byte

// localZone is the zone of the console's clock in the realistic sessions:
// times saved from time.Now carry an offset and nanoseconds.
var localZone = time.FixedZone("CET", 3600)

// realisticInfo returns the recorded Odoo 15 session_info, as the server
// sent it, made unique to session i.
func realisticInfo(i int) json.RawMessage {
	r := strings.NewReplacer(
		`"uid": 2,`, fmt.Sprintf(`"uid": %d,`, i+2),
		`"uid": 2}`, fmt.Sprintf(`"uid": %d}`, i+2),
		`"name": "Administrator"`, fmt.Sprintf(`"name": "User %d"`, i),
		`"username": "admin"`, fmt.Sprintf(`"username": "user%d@example.com"`, i),
		"2c10af6f7aaba1c355219dd8c3910450d2fe6d6a", fmt.Sprintf("%040x", i*7919+1),
	)
	return json.RawMessage(r.Replace(string(odoo15Info)))
}

// realisticSession builds a session as the console saves it after a login
// and three checks per transport: times from a clock with nanoseconds in a
// zone with an offset, latencies as measured.
func realisticSession(i int) Session {
	at := t0.Add(time.Duration(i) * 1234567891).In(localZone)
	s := Session{
		ID:            fmt.Sprintf("%016x", i+1),
		URL:           "https://odoo.example.com",
		DB:            "prod",
		Login:         fmt.Sprintf("user%d@example.com", i),
		UserName:      fmt.Sprintf("User %d", i),
		UID:           i + 2,
		SID:           fmt.Sprintf("%040x", i*7919+1),
		ExpiresAt:     t0.Add(90 * 24 * time.Hour).Add(time.Duration(i) * time.Second),
		ObtainedAt:    at,
		SavedAt:       at,
		Method:        "rest",
		ServerVersion: "15.0-20220805",
		RESTModule:    "installed",
		State:         StateActive,
		Info:          realisticInfo(i),
		UpdatedAt:     at,
	}
	for k := range 3 {
		for j, tr := range Transports {
			c := Check{Transport: tr, Accepted: true, Status: 200,
				Latency: time.Duration(38_417_263 + 1_003_211*(i%50+j+k)),
				At:      at.Add(time.Duration(k)*time.Hour + time.Duration(j)*31_415_926)}
			s.RecordCheck(c, c.At)
		}
	}
	return s
}

func realisticSessions(n int) []Session {
	list := make([]Session, n)
	for i := range list {
		list[i] = realisticSession(i)
	}
	return list
}

// saveList replaces the whole content of the store with list.
func saveList(tb testing.TB, st *Store, list []Session) {
	tb.Helper()
	if _, err := st.Update(func([]Session) []Session { return list }); err != nil {
		tb.Fatalf("save: %v", err)
	}
}

// asLoaded returns a copy of list as Load returns it: Info empty, only the
// latest checks (see lastChecks), and times in UTC.
func asLoaded(list []Session) []Session {
	out := make([]Session, len(list))
	for i, s := range list {
		s.Info = nil
		s.ExpiresAt, s.ObtainedAt = s.ExpiresAt.UTC(), s.ObtainedAt.UTC()
		s.SavedAt, s.UpdatedAt = s.SavedAt.UTC(), s.UpdatedAt.UTC()
		s.Checks = utcChecks(compactChecks(s.Checks))
		out[i] = s
	}
	return out
}

// utcChecks returns a copy of checks with every time in UTC, nil when there
// are none.
func utcChecks(checks map[string][]Check) map[string][]Check {
	if len(checks) == 0 {
		return nil
	}
	out := make(map[string][]Check, len(checks))
	for t, h := range checks {
		if len(h) == 0 {
			continue
		}
		h = append([]Check(nil), h...)
		for i := range h {
			h[i].At = h[i].At.UTC()
		}
		out[t] = h
	}
	return out
}
