package sessions

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// oddSessions are sessions whose encoding has corner cases.
func oddSessions() []Session {
	s := realisticSession(7)
	s.UserName = "Ünïcode \"quoted\" \\ back\tslash\n<html>&\u2028\u2029\x01\x7f"
	s.Login = "bad utf8 \xff\xfe end"
	s.Checks["weird"] = nil
	s.Checks["empty"] = []Check{}
	s.Checks[TransportHeader][0].Err = "reset by peer"
	s.Checks[TransportHeader][0].Latency = -5
	s.ExpiresAt = time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("x", 3600))
	s.Info = json.RawMessage(" {\"a\" : [1, 2.5e-3, true, null, \"x\\u00e9\\n\"],\n \"b\":{}} ")
	s.Forgotten = true
	return []Session{{}, {ID: "minimal", UID: -3}, realisticSession(1), s}
}

func TestAppendSessionMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range oddSessions() {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(&s); err != nil {
			t.Fatal(err)
		}
		got, err := appendSession(nil, &s)
		if err != nil {
			t.Fatalf("appendSession(%q): %v", s.ID, err)
		}
		if w := bytes.TrimSuffix(want.Bytes(), []byte("\n")); !bytes.Equal(got, w) {
			t.Errorf("session %q:\n got %s\nwant %s", s.ID, got, w)
		}
		if bytes.IndexByte(got, '\n') >= 0 {
			t.Errorf("session %q spans several lines", s.ID)
		}
	}
}

func TestDecodeSessionMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range oddSessions() {
		line, err := appendSession(nil, &s)
		if err != nil {
			t.Fatal(err)
		}
		var want, got Session
		if err := json.Unmarshal(line, &want); err != nil {
			t.Fatal(err)
		}
		if !new(lexer).decodeSession(line, &got) {
			t.Fatalf("decodeSession refused %s", line)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("session %q (-encoding/json +fast):\n%s", s.ID, diff)
		}
	}
}

func TestDecodeSessionDefersOddInput(t *testing.T) {
	t.Parallel()
	for _, line := range []string{
		`{"id":"a","ID":"b"}`,        // other case: encoding/json matches it
		`{"id":null}`,                // null
		`{"uid":1.5}`,                // not an int
		`{"uid":01}`,                 // not JSON
		`{"i\u0064":"a"}`,            // escaped key
		`{"info":{"a":[1,}}`,         // bad raw value
		`{"at":"x"} trailing`,        // junk after the object
		`{"checks":{"h":[{"x":1}]}}`, // unknown check key
	} {
		var s Session
		if new(lexer).decodeSession([]byte(line), &s) {
			t.Errorf("decodeSession accepted %s", line)
		}
	}
}

func TestSkipValueAgreesWithValid(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`0`, `-0`, `-`, `01`, `1.`, `1.5`, `1e`, `1e+5`, `1E-5`, `.5`, `+1`,
		`"a"`, `"\u00e9"`, `"\u00g9"`, `"\x"`, `"tab	in"`, `"\/"`, `"unterminated`,
		`true`, `tru`, `nul`, `null`, `[]`, `[1,]`, `[,1]`, `{}`, `{"a":1,}`, `{"a" 1}`,
		`{1:2}`, `[[[]]]`, `[1 2]`, ` [ 1 , {"a" : [ ] } ] `, `{"a":"b"}x`,
	} {
		end, _ := skipValue([]byte(in), 0, 0)
		ok := end >= 0 && skipSpace([]byte(in), end) == len(in)
		if want := json.Valid([]byte(in)); ok != want {
			t.Errorf("skipValue(%s) valid=%v, json.Valid=%v", in, ok, want)
		}
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
}

func TestLargeListRoundTrip(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	odd := oddSessions()
	odd[3].ID, odd[3].Forgotten = "odd", false
	want := append(realisticSessions(3*parallelMin+1), odd[1], odd[3])
	saveList(t, st, want)
	data, _, err := readRaw(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := decodeLines(data); !ok {
		t.Error("the file this package wrote is not read by the fast path")
	}
	var std struct{ Sessions []Session }
	if err := json.Unmarshal(data, &std); err != nil {
		t.Fatalf("the file is not valid JSON: %v", err)
	}
	// reflect.DeepEqual first: cmp is slow on hundreds of sessions.
	if got := mustLoad(t, st); !reflect.DeepEqual(std.Sessions, got) {
		t.Errorf("fast load differs from encoding/json (-std +fast):\n%s", cmp.Diff(std.Sessions, got))
	}
}
