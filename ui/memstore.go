package ui

import (
	"slices"
	"sync"

	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// memoryStore keeps sessions for the life of the process; New uses it when
// the caller gives no store.
type memoryStore struct {
	mu   sync.Mutex
	list []sessions.Session
}

// Load returns a copy of the sessions.
func (s *memoryStore) Load() ([]sessions.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copySessions(s.list), nil
}

// Update applies fn to a copy and keeps the result.
func (s *memoryStore) Update(fn func([]sessions.Session) []sessions.Session) ([]sessions.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = copySessions(fn(copySessions(s.list)))
	return copySessions(s.list), nil
}

func copySessions(list []sessions.Session) []sessions.Session {
	out := slices.Clone(list)
	for i := range out {
		out[i] = cloneSession(out[i])
	}
	return out
}
