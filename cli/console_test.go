package cli

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/odoo-sessions/odoo-sessions/sessions"
	"github.com/odoo-sessions/odoo-sessions/ui"
)

// TestStoreAdapterSaysTheFileIsGone: the console learns that the file went,
// rather than reading an empty list, so that it can write back what it holds.
func TestStoreAdapterSaysTheFileIsGone(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state")
	path := filepath.Join(dir, "sessions.json")
	a := &storeAdapter{s: sessions.Open(path)}
	if _, err := a.Load(); !errors.Is(err, ui.ErrStoreMissing) {
		t.Fatalf("Load before the first write: %v, want ErrStoreMissing", err)
	}
	if _, err := a.Update(func(cur []sessions.Session) []sessions.Session {
		return append(cur, sessions.Session{ID: "a", URL: "http://qa:8069", SID: "s"})
	}); err != nil {
		t.Fatal(err)
	}
	if list, err := a.Load(); err != nil || len(list) != 1 {
		t.Fatalf("Load after a write: %d sessions, %v", len(list), err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Load(); !errors.Is(err, ui.ErrStoreMissing) {
		t.Errorf("Load once the file is gone: %v, want ErrStoreMissing", err)
	}
}
