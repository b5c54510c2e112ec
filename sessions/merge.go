package sessions

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// TombstoneTTL is how long a forgotten session's tombstone is kept by
// default: long enough for every console that still shows the session to
// have reloaded the file.
const TombstoneTTL = 30 * 24 * time.Hour

// NewID returns a random local session ID: 16 hex digits.
func NewID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// tombstone is what remains of a forgotten session: its ID and when it was
// forgotten. The sid and every other detail are dropped.
func tombstone(id string, at time.Time) Session {
	return Session{ID: id, Forgotten: true, UpdatedAt: at}
}

// newer reports whether a should replace b when both describe one record:
// a tombstone beats any edit, otherwise the later UpdatedAt wins.
func newer(a, b Session) bool {
	if a.Forgotten != b.Forgotten {
		return a.Forgotten
	}
	return a.UpdatedAt.After(b.UpdatedAt)
}

// dedupe keeps one record per ID, chosen by newer, in first-seen order.
// A list without duplicates, the usual case, is returned as it is.
func dedupe(list []Session) []Session {
	seen := make(map[string]struct{}, len(list))
	for i := range list {
		seen[list[i].ID] = struct{}{}
	}
	if len(seen) == len(list) {
		return list
	}
	at := make(map[string]int, len(list))
	out := list[:0:0]
	for _, r := range list {
		i, seen := at[r.ID]
		switch {
		case !seen:
			at[r.ID] = len(out)
			out = append(out, r)
		case newer(r, out[i]):
			out[i] = r
		}
	}
	return out
}

// WithForgotten appends to list a record holding only its ID and Forgotten
// for each of ids, as LoadReport.Forgotten and UpdateForgotten give them:
// the shape a list takes when it tells what was forgotten.
func WithForgotten(list []Session, ids []string) []Session {
	for _, id := range ids {
		list = append(list, Session{ID: id, Forgotten: true})
	}
	return list
}

// forgottenIDs returns the IDs of the tombstones of list.
func forgottenIDs(list []Session) []string {
	var ids []string
	for i := range list {
		if list[i].Forgotten {
			ids = append(ids, list[i].ID)
		}
	}
	return ids
}

// live returns the sessions that are not tombstones, in a new slice.
func live(list []Session) []Session {
	n := 0
	for i := range list {
		if !list[i].Forgotten {
			n++
		}
	}
	out := make([]Session, 0, n)
	for i := range list {
		if !list[i].Forgotten {
			out = append(out, list[i])
		}
	}
	return out
}

// reconcile builds the records to write from those on disk and the live
// list an update function returned:
//   - a record on disk that the function left out, or returned marked
//     Forgotten, becomes a tombstone dated now;
//   - a returned record replaces the one on disk unless the disk's is newer
//     (see newer), so a tombstone on disk is never brought back;
//   - tombstones older than ttl are dropped.
func reconcile(disk, out []Session, now time.Time, ttl time.Duration) ([]Session, error) {
	onDisk := make(map[string]int, len(disk))
	for i, r := range disk {
		onDisk[r.ID] = i
	}
	returned := make(map[string]bool, len(out))
	kept := make(map[string]bool, len(out))
	result := make([]Session, 0, len(disk)+len(out))
	for _, r := range out {
		if r.ID == "" {
			return nil, fmt.Errorf("session without id")
		}
		if returned[r.ID] {
			return nil, fmt.Errorf("session %s listed twice", r.ID)
		}
		returned[r.ID] = true
		if i, ok := onDisk[r.ID]; ok && newer(disk[i], r) {
			r = disk[i]
		}
		if !r.Forgotten {
			kept[r.ID] = true
			result = append(result, r)
		}
	}
	for _, r := range disk {
		switch {
		case r.Forgotten && now.Sub(r.UpdatedAt) < ttl:
			result = append(result, tombstone(r.ID, r.UpdatedAt))
		case !r.Forgotten && !kept[r.ID]:
			result = append(result, tombstone(r.ID, now))
		}
	}
	for _, r := range out {
		if _, ok := onDisk[r.ID]; !ok && !kept[r.ID] {
			result = append(result, tombstone(r.ID, now))
		}
	}
	return result, nil
}

// migrate brings sessions read from an older format up to Version.
func migrate(list []Session, from int) []Session {
	if from < 1 {
		// Version 0 had no IDs, update times or states on some records.
		for i := range list {
			r := &list[i]
			if r.ID == "" {
				r.ID = NewID()
			}
			if r.UpdatedAt.IsZero() {
				r.UpdatedAt = r.ObtainedAt
			}
			if r.State == "" {
				r.State = StateActive
			}
		}
	}
	return list
}
