package sessions

import (
	"fmt"
	"time"
)

// Add saves new sessions. A session without an ID gets one from NewID; an
// UpdatedAt of zero is set to now. It fails with ErrExists, saving nothing,
// when an ID is already in the file, even as a tombstone.
func (s *Store) Add(add ...Session) ([]Session, error) {
	now := s.now()
	for i := range add {
		if add[i].ID == "" {
			add[i].ID = NewID()
		}
		if add[i].UpdatedAt.IsZero() {
			add[i].UpdatedAt = now
		}
	}
	var dup string
	list, err := s.updateAll(func(all, cur []Session) ([]Session, bool) {
		for _, r := range add {
			if indexOf(all, r.ID) >= 0 {
				dup = r.ID
				return nil, false
			}
		}
		return append(cur, add...), true
	})
	if dup != "" {
		return nil, fmt.Errorf("add session %s: %w", dup, ErrExists)
	}
	return list, err
}

// Put saves sess, adding it or replacing the session with the same ID, and
// dates it now unless its UpdatedAt is later. It fails with ErrForgotten
// when the session was forgotten meanwhile, by this console or another.
func (s *Store) Put(sess Session) ([]Session, error) {
	if sess.ID == "" {
		sess.ID = NewID()
	}
	if now := s.now(); now.After(sess.UpdatedAt) {
		sess.UpdatedAt = now
	}
	return s.edit(sess.ID, true, func(r *Session) { *r = sess })
}

// Modify applies fn to the latest saved copy of the session with the given
// ID and saves it dated now, so that edits made by another console since
// this one last loaded are kept. It fails with ErrNotFound or ErrForgotten.
func (s *Store) Modify(id string, fn func(*Session)) ([]Session, error) {
	return s.edit(id, false, func(r *Session) {
		fn(r)
		r.ID = id
		r.UpdatedAt = s.now()
	})
}

// Forget removes the session with the given ID, keeping a tombstone so that
// no console brings it back. Forgetting a forgotten session does nothing; an
// unknown ID gives ErrNotFound.
func (s *Store) Forget(id string) ([]Session, error) {
	var found bool
	list, err := s.updateAll(func(all, cur []Session) ([]Session, bool) {
		found = indexOf(all, id) >= 0
		if i := indexOf(cur, id); i >= 0 {
			return append(cur[:i:i], cur[i+1:]...), true
		}
		return cur, false
	})
	if err == nil && !found {
		return list, fmt.Errorf("forget session %s: %w", id, ErrNotFound)
	}
	return list, err
}

// Prune forgets every session whose state at now (see StateAt, with the
// store's idle limit) is logged out, rejected or expired, and returns how
// many it forgot.
func (s *Store) Prune(now time.Time) (int, []Session, error) {
	n := 0
	list, err := s.Update(func(cur []Session) []Session {
		keep := cur[:0]
		for _, r := range cur {
			if r.StateAt(now, s.idleLimit) == StateActive {
				keep = append(keep, r)
			}
		}
		n = len(cur) - len(keep)
		return keep
	})
	if err != nil {
		return 0, nil, err
	}
	return n, list, nil
}

// edit applies fn to the session with the given ID on disk, or to a new
// one when create is true and the ID was never used.
func (s *Store) edit(id string, create bool, fn func(*Session)) ([]Session, error) {
	var missing, forgotten bool
	list, err := s.updateAll(func(all, cur []Session) ([]Session, bool) {
		if i := indexOf(cur, id); i >= 0 {
			fn(&cur[i])
			return cur, true
		}
		forgotten = indexOf(all, id) >= 0
		if forgotten || !create {
			missing = true
			return cur, false
		}
		var r Session
		fn(&r)
		return append(cur, r), true
	})
	switch {
	case err != nil:
		return nil, err
	case forgotten:
		return list, fmt.Errorf("save session %s: %w", id, ErrForgotten)
	case missing:
		return list, fmt.Errorf("save session %s: %w", id, ErrNotFound)
	}
	return list, nil
}

// updateAll is update for functions that get both every record on disk
// and the live ones, and return the new live list and whether to save it.
func (s *Store) updateAll(fn func(all, cur []Session) ([]Session, bool)) ([]Session, error) {
	list, _, err := s.update(func(all []Session) ([]Session, bool) {
		return fn(all, forCaller(all, true))
	})
	return list, err
}

func indexOf(list []Session, id string) int {
	for i := range list {
		if list[i].ID == id {
			return i
		}
	}
	return -1
}
