package sessions

import (
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

// realisticInfo builds a session_info of about 1 KB, as Odoo 15 sends it.
func realisticInfo(i int) json.RawMessage {
	companies := make([]string, 0, 6)
	for c := 1; c <= 6; c++ {
		companies = append(companies, fmt.Sprintf(`"%d":{"id":%d,"name":"Company %d SA","sequence":%d}`, c, c, c, c*10))
	}
	return json.RawMessage(fmt.Sprintf(`{"uid":%d,"is_system":false,"is_admin":true,`+
		`"user_context":{"lang":"fr_BE","tz":"Europe/Brussels","uid":%d},"db":"prod",`+
		`"server_version":"15.0","server_version_info":[15,0,0,"final",0,""],`+
		`"name":"User %d","username":"user%d@example.com","partner_display_name":"Example, User %d",`+
		`"company_id":1,"partner_id":%d,"web.base.url":"https://odoo.example.com",`+
		`"active_ids_limit":20000,"max_file_upload_size":134217728,`+
		`"user_companies":{"current_company":1,"allowed_companies":{%s}},`+
		`"currencies":{"1":{"symbol":"€","position":"after","digits":[69,2]}},`+
		`"show_effect":true,"display_switch_company_menu":true,"cache_hashes":`+
		`{"translations":"%s","load_menus":"%s"}}`,
		i, i, i, i, i, i+100, strings.Join(companies, ","),
		strings.Repeat("ab12", 10), strings.Repeat("cd34", 16)))
}

// realisticSession builds a session with three checks per transport.
func realisticSession(i int) Session {
	s := Session{
		ID:            fmt.Sprintf("%016x", i+1),
		URL:           "https://odoo.example.com",
		DB:            "prod",
		Login:         fmt.Sprintf("user%d@example.com", i),
		UserName:      fmt.Sprintf("User %d", i),
		UID:           i,
		SID:           fmt.Sprintf("%040x", i*7919+1),
		ExpiresAt:     t0.Add(90 * 24 * time.Hour).Add(time.Duration(i) * time.Second),
		ObtainedAt:    t0.Add(time.Duration(i) * time.Second),
		SavedAt:       t0.Add(time.Duration(i) * time.Second),
		Method:        "rest",
		ServerVersion: "15.0",
		State:         StateActive,
		Info:          realisticInfo(i),
		UpdatedAt:     t0.Add(time.Duration(i) * time.Second),
	}
	for k := range 3 {
		for _, tr := range Transports {
			s.RecordCheck(Check{Transport: tr, Accepted: true, Status: 200,
				Latency: 42 * time.Millisecond, At: t0.Add(time.Duration(k) * time.Hour)}, s.UpdatedAt)
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
