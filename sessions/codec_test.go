package sessions

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// oddSessions are sessions whose encoding has corner cases.
func oddSessions() []Session {
	s := realisticSession(7)
	s.ID = "odd"
	s.UserName = "Ünïcode \"quoted\" \\ back\tslash\n<html>&\u2028\u2029\x01\x7f"
	s.Checks["empty"] = []Check{}
	s.Checks[TransportHeader][0].Err = "reset by peer"
	s.Checks[TransportHeader][0].Latency = -5
	s.ExpiresAt = time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("x", 3600))
	s.Info = nil
	one := realisticSession(1)
	one.ID = "one"
	return []Session{{ID: "minimal", UID: -3}, one, s}
}

// withoutInfo returns a copy of list with every Info empty, as loaded.
func withoutInfo(list []Session) []Session {
	out := append([]Session(nil), list...)
	clearInfo(out)
	return out
}

func TestEncodeOneSessionPerLine(t *testing.T) {
	t.Parallel()
	list := withoutInfo(oddSessions())
	chunks, err := encodeLines(list)
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Join(chunks, nil)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != len(list)+2 || lines[0] != `{"version":4,"sessions":[` || lines[len(lines)-1] != "]}" {
		t.Fatalf("layout: %d lines, first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}
	var std struct {
		Version  int
		Sessions []map[string]any
	}
	if err := json.Unmarshal(data, &std); err != nil || len(std.Sessions) != len(list) {
		t.Fatalf("the file is not valid JSON: %d sessions, %v", len(std.Sessions), err)
	}
	d, ok := decodeLines(data)
	if !ok || d.version != Version {
		t.Fatalf("decodeLines: version %d, %v", d.version, ok)
	}
	if diff := cmp.Diff(asLoaded(list), d.sessions); diff != "" {
		t.Errorf("read other sessions (-saved +read):\n%s", diff)
	}
	again, _ := encodeLines(d.sessions)
	if !bytes.Equal(bytes.Join(again, nil), data) {
		t.Error("the same sessions encode to other bytes")
	}
}

func TestInvalidUTF8Replaced(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	saveList(t, st, []Session{{ID: "a", Login: "bad utf8 \xff\xfe end"}})
	if got := mustLoad(t, st)[0].Login; got != "bad utf8 \ufffd\ufffd end" {
		t.Errorf("login after load %q, want the bad bytes replaced", got)
	}
}

func TestInvalidInfoNotSaved(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	bad := Session{ID: "a", Info: json.RawMessage(`{"cut":`)}
	if _, err := st.Add(bad); err == nil {
		t.Fatal("Add saved a session whose info is not JSON")
	}
	if _, rep, err := st.Load(); err != nil || !rep.Missing {
		t.Errorf("file after failed save: %+v, %v", rep, err)
	}
	if info, err := st.Info("a"); info != nil || err != nil {
		t.Errorf("info after failed save: %s, %v", info, err)
	}
}

func TestLargeListRoundTrip(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	saved := append(realisticSessions(3*parallelMin+1), oddSessions()...)
	saveList(t, st, saved)
	want := asLoaded(saved)
	data, _, err := readRaw(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := decodeLines(data); !ok {
		t.Error("the file this package wrote is not read by the fast path")
	}
	// reflect.DeepEqual first: cmp is slow on hundreds of sessions. It
	// tells apart times in equal zones of other names, which cmp does not:
	// loaded times are in UTC.
	if got := mustLoad(t, st); !reflect.DeepEqual(want, got) {
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("loaded sessions differ (-saved +loaded):\n%s", diff)
		}
	}
	for _, i := range []int{0, 3 * parallelMin, len(saved) - 1} {
		h, err := st.History(saved[i].ID)
		if diff := cmp.Diff(utcChecks(saved[i].Checks), h); err != nil || diff != "" {
			t.Errorf("history of %s (-saved +read), %v:\n%s", saved[i].ID, err, diff)
		}
	}
}

func TestOtherLayoutsFallBack(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, content string }{
		{"record on two lines", "{\"version\":4,\"sessions\":[\n{\"id\":\"a\",\n\"sid\":\"s\"}\n]}\n"},
		{"two records on a line",
			"{\"version\":2,\"sessions\":[\n{\"id\":\"a\",\"sid\":\"s\"},{\"id\":\"b\"}\n]}\n"},
		{"no final newline", `{"version":2,"sessions":[{"id":"a","sid":"s"}]}`},
		{"keys in other case", "{\"version\":2,\"sessions\":[\n{\"ID\":\"a\",\"Sid\":\"s\"}\n]}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := newStore(t)
			writeFile(t, st.Path(), tc.content, 0o600)
			list := mustLoad(t, st)
			if len(list) == 0 || list[0].ID != "a" || list[0].SID != "s" {
				t.Errorf("Load = %+v", list)
			}
		})
	}
}

func TestBrokenLineIsCorrupt(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	writeFile(t, st.Path(), "{\"version\":2,\"sessions\":[\n{\"id\":\"a\"},\n{\"id\":\"b\",}\n]}\n", 0o600)
	if _, _, err := st.Load(); err == nil {
		t.Fatal("Load accepted a record with a trailing comma")
	}
	if _, err := os.Stat(st.Path()); !os.IsNotExist(err) {
		t.Errorf("the corrupt file was not moved aside (stat: %v)", err)
	}
}

func TestVersion3Migrated(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	// Written by the previous build: checks as objects, one with an error,
	// one of a transport the console does not know.
	v3, err := os.ReadFile("testdata/sessions_v3.json")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, st.Path(), string(v3), 0o600)
	list, rep, err := st.Load()
	if err != nil || rep.MigratedFrom != 3 || len(list) != 3 {
		t.Fatalf("Load = %d sessions, %+v, %v", len(list), rep, err)
	}
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	want := map[string][]Check{
		TransportHeader: {
			{Transport: TransportHeader, Accepted: true, Status: 200, Latency: 12 * time.Millisecond, At: at.Add(time.Minute)},
			{Transport: TransportHeader, Status: 200, Latency: 9 * time.Millisecond, At: at.Add(2 * time.Minute)},
		},
		TransportCookie: {{Transport: TransportCookie, Latency: 3 * time.Second, At: at.Add(2 * time.Minute),
			Err: "cannot reach odoo.example.com"}},
		TransportParam: {{Transport: TransportParam, Accepted: true, Status: 200, Latency: 7 * time.Millisecond,
			At: at.Add(3 * time.Minute)}},
		"bearer": {{Transport: "bearer", Status: 401, Latency: 5 * time.Millisecond, At: at.Add(3 * time.Minute)}},
	}
	a := list[0]
	if diff := cmp.Diff(want, a.Checks); diff != "" {
		t.Errorf("checks of a (-want +got):\n%s", diff)
	}
	if !a.ExpiresAt.Equal(at.Add(90*24*time.Hour)) || a.UserName != "Mitchell Admin" || a.UID != 2 ||
		list[1].Checks != nil || list[2].State != StateLoggedOut {
		t.Errorf("sessions = %+v", list)
	}

	if _, err := st.Update(func(l []Session) []Session { return l }); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(st.Path())
	if !bytes.HasPrefix(data, []byte(`{"version":4,`)) || len(packedRE.FindAll(data, -1)) != 4 ||
		!bytes.Contains(data, []byte(`"errs":{"cookie":"cannot reach odoo.example.com"}`)) {
		t.Errorf("file after save:\n%s", data)
	}
	if diff := cmp.Diff(list, mustLoad(t, st)); diff != "" {
		t.Errorf("sessions after save (-before +after):\n%s", diff)
	}
}

func TestFarTimesHeldToTheFileRange(t *testing.T) {
	t.Parallel()
	far := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	early := time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   time.Time
		want time.Time
	}{
		{time.Time{}, time.Time{}},
		{far, maxNano.UTC()},
		{early, minNano.UTC()},
		{t0, t0},
	} {
		if got := fromUnixNano(unixNano(tc.in)); !got.Equal(tc.want) {
			t.Errorf("%v saved and read back as %v, want %v", tc.in, got, tc.want)
		}
	}
	st := newStore(t)
	s := Session{ID: "far", URL: "https://a", SID: "s", ExpiresAt: far, ObtainedAt: t0, UpdatedAt: t0}
	saveList(t, st, []Session{s})
	if got := mustLoad(t, st); len(got) != 1 || got[0].ExpiresAt.Year() != 2262 {
		t.Errorf("an expiry in 9999 loads as %+v, want the last time the file can hold", got)
	}
}
