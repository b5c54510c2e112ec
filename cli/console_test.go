package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// TestStoreAdapterReportsForgotten: the console gets a record for each
// session forgotten in the file, so that it can tell a session forgotten by
// another console from one lost with the file, which it writes back.
func TestStoreAdapterReportsForgotten(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state", "sessions.json")
	a := &storeAdapter{s: sessions.Open(path)}
	two := []sessions.Session{
		{ID: "a", URL: "http://qa:8069", SID: "sid-a"},
		{ID: "b", URL: "http://qa:8069", SID: "sid-b"},
	}
	if _, err := a.Update(func([]sessions.Session) []sessions.Session { return two }); err != nil {
		t.Fatal(err)
	}
	saved, err := a.Update(func(cur []sessions.Session) []sessions.Session { return cur[1:] })
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := a.Load()
	if err != nil {
		t.Fatal(err)
	}
	for name, list := range map[string][]sessions.Session{"Update": saved, "Load": loaded} {
		if len(list) != 2 || list[0].ID != "b" || list[0].Forgotten ||
			list[1].ID != "a" || !list[1].Forgotten {
			t.Errorf("%s after forgetting a: %+v, want b and a forgotten", name, list)
		}
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if list, err := a.Load(); err != nil || len(list) != 0 {
		t.Errorf("Load once the file is gone: %d records, %v; want none", len(list), err)
	}
}
