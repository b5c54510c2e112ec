package sessions

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Store keeps sessions in one JSON file that several consoles may share.
// Saves are atomic and serialised by an exclusive lock on a sibling
// ".lock" file; each save merges with what is on disk (see Update), so no
// console loses another's sessions. A Store is safe for concurrent use.
type Store struct {
	path      string
	lockPath  string
	infoDir   string
	now       func() time.Time
	idleLimit time.Duration
	ttl       time.Duration

	mu    sync.Mutex
	stamp Stamp
	// inline is true while the file on disk keeps session_info inline
	// (format version 1): Info then reads it from there.
	inline bool
	// legacy is true while the file on disk keeps the whole check history
	// inline (format versions up to 2): History then reads it from there.
	legacy bool
	// swept is true once a save cleaned the info folder.
	swept bool
}

// Option configures a Store.
type Option func(*Store)

// WithClock sets the clock used to date edits, tombstones and corrupt files.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithIdleLimit sets the server idle limit Prune uses (default IdleLimit).
func WithIdleLimit(d time.Duration) Option { return func(s *Store) { s.idleLimit = d } }

// WithTombstoneTTL sets how long forgotten sessions' tombstones are kept
// (default TombstoneTTL).
func WithTombstoneTTL(d time.Duration) Option { return func(s *Store) { s.ttl = d } }

// DefaultPath returns $XDG_STATE_HOME/odoo-sessions/sessions.json, or
// ~/.local/state/odoo-sessions/sessions.json when XDG_STATE_HOME is unset or
// not absolute (as the XDG base directory specification requires).
func DefaultPath() (string, error) {
	base := os.Getenv("XDG_STATE_HOME")
	if !filepath.IsAbs(base) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find sessions file: %w", err)
		}
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "odoo-sessions", "sessions.json"), nil
}

// Open returns a store for the file at path. Nothing is read or created
// until the first Load or Update.
func Open(path string, opts ...Option) *Store {
	s := &Store{
		path:      path,
		lockPath:  strings.TrimSuffix(path, ".json") + ".lock",
		infoDir:   infoDirOf(path),
		now:       time.Now,
		idleLimit: IdleLimit,
		ttl:       TombstoneTTL,
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Path returns the file the store reads and writes.
func (s *Store) Path() string { return s.path }

// LoadReport tells what Load found besides the sessions.
type LoadReport struct {
	// Missing is true when there is no file yet.
	Missing bool
	// MigratedFrom is the older format version the file was read from, or
	// Version when no migration was needed. The file itself is rewritten in
	// the current format on the next save.
	MigratedFrom int
	// MovedTo is where an undecodable file was moved; empty otherwise.
	MovedTo string
	// Tombstones counts forgotten sessions still remembered in the file.
	Tombstones int
	// Forgotten are their IDs: a console holding one of them drops it,
	// while one of its sessions that is neither in the file nor here was
	// lost with the file (removed, replaced), not forgotten.
	Forgotten []string
}

// Load reads the file and returns the sessions that are not forgotten, in
// file order, with Info empty (see Info) and only the latest checks (see
// Session.Checks and History). A missing file gives no sessions
// and no error. A file that cannot be decoded is moved aside: Load then
// returns a *CorruptError naming the new place (also in the report) and no
// sessions. A sessions file or folder, or a session info folder, that
// other users can reach gives a *PermissionError carrying the chmod to run;
// a newer format a *VersionError.
func (s *Store) Load() ([]Session, LoadReport, error) {
	rep := LoadReport{MigratedFrom: Version}
	if err := checkDir(filepath.Dir(s.path)); err != nil {
		return nil, rep, err
	}
	if err := checkInfoDir(s.infoDir); err != nil {
		return nil, rep, err
	}
	all, from, st, err := s.read(false)
	var ce *CorruptError
	if errors.As(err, &ce) {
		rep.MovedTo = ce.MovedTo
	}
	if err != nil {
		return nil, rep, err
	}
	s.setStamp(st)
	rep.Missing = st == Stamp{}
	rep.MigratedFrom = from
	rep.Forgotten = forgottenIDs(all)
	rep.Tombstones = len(rep.Forgotten)
	// all is this call's own: drop the tombstones in place.
	list := handOut(slices.DeleteFunc(all, func(s Session) bool { return s.Forgotten }), from < recordsFrom)
	return list, rep, nil
}

// read reads and decodes the file. It returns every record, tombstones
// included, and the version read. An undecodable file is moved aside, under
// the lock: read takes it when the caller does not hold it already, and
// reads again in case another console replaced the file meanwhile.
func (s *Store) read(locked bool) ([]Session, int, Stamp, error) {
	data, st, err := readRaw(s.path)
	if err != nil || data == nil {
		return nil, Version, st, err
	}
	d, err := decode(data, s.path)
	var ve *VersionError
	switch {
	case errors.As(err, &ve):
		return nil, 0, Stamp{}, err
	case err != nil && !locked:
		unlock, lerr := lockExclusive(s.lockPath)
		if lerr != nil {
			return nil, 0, Stamp{}, fmt.Errorf("load sessions: %w", lerr)
		}
		defer unlock()
		return s.read(true)
	case err != nil:
		moved, merr := moveAside(s.path, s.now())
		if merr != nil {
			return nil, 0, Stamp{}, merr
		}
		return nil, 0, Stamp{}, &CorruptError{Path: s.path, MovedTo: moved, Err: err}
	}
	s.setInline(hasInline(d.sessions))
	s.setLegacy(d.version < 3)
	return dedupe(migrate(d.sessions, d.version)), d.version, st, nil
}

// Update applies fn to the sessions on disk and saves the result, holding
// an exclusive lock on the sibling lock file throughout, so that updates
// from several consoles apply one after the other to the latest file.
//
// fn gets the live sessions (no tombstones) and returns the new list. A
// session fn leaves out, or returns with Forgotten set, becomes a
// tombstone. A session fn returns replaces the one on disk unless the one on
// disk has a later UpdatedAt or is a tombstone: forgotten sessions stay
// forgotten. Edits should set UpdatedAt (RecordCheck does).
//
// A session fn returns with Info set has its Info saved to its own file
// (see Info); one returned with Info empty keeps the info saved before.
// fn gets, and Update returns, sessions with Info empty.
//
// fn gets, and Update returns, sessions whose Checks hold only the latest
// checks (see Session.Checks); fn's copies share no check memory with
// anything else. Checks fn adds (with RecordCheck) are merged into the
// session's stored history with those other consoles added, whichever copy
// of the rest of the record wins; see History.
//
// Update returns the live sessions as saved. When it fails the sessions
// file was not written, though info files may have been (see Info). An
// undecodable file is moved aside and reported as a *CorruptError without
// calling fn; the next Update starts a new file.
func (s *Store) Update(fn func([]Session) []Session) ([]Session, error) {
	list, _, err := s.UpdateForgotten(fn)
	return list, err
}

// UpdateForgotten is Update that also returns the IDs of the sessions
// forgotten in the file as saved, as Load reports them (see
// LoadReport.Forgotten).
func (s *Store) UpdateForgotten(fn func([]Session) []Session) ([]Session, []string, error) {
	return s.update(func(all []Session) ([]Session, bool) {
		return fn(forCaller(all, true)), true
	})
}

// update is Update for functions that see every record, tombstones
// included, and may decline to save by returning false. It returns the
// live sessions and the IDs of the forgotten ones.
func (s *Store) update(fn func(all []Session) ([]Session, bool)) ([]Session, []string, error) {
	dir := filepath.Dir(s.path)
	if err := checkDir(dir); err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("create sessions folder: %w", err)
	}
	unlock, err := lockExclusive(s.lockPath)
	if err != nil {
		return nil, nil, fmt.Errorf("save sessions: %w", err)
	}
	defer unlock()
	removeStaleTemps(s.path)

	disk, _, st, err := s.read(true)
	if err != nil {
		return nil, nil, err
	}
	out, save := fn(disk)
	if !save {
		s.setStamp(st)
		return forCaller(disk, s.isLegacy()), forgottenIDs(disk), nil
	}
	if err := checkInfoDir(s.infoDir); err != nil {
		return nil, nil, err
	}
	// syncHistories sets Checks: the slice fn returned is the caller's.
	out = slices.Clone(out)
	if _, err := syncHistories(s.infoDir, disk, out, s.isLegacy()); err != nil {
		return nil, nil, err
	}
	all, err := reconcile(disk, out, s.now(), s.ttl)
	if err != nil {
		return nil, nil, fmt.Errorf("save sessions: %w", err)
	}
	if err := s.save(disk, all); err != nil {
		return nil, nil, err
	}
	return live(all), forgottenIDs(all), nil
}

// save writes the records of all, which replace those of disk. It first
// writes the info files of the records that carry Info and removes those of
// the sessions all forgets, then writes the sessions file: a failure leaves
// the sessions file as it was, and no info file of a forgotten session (it
// may hold the sid) outlives the save that forgets it. Called with the lock
// held.
func (s *Store) save(disk, all []Session) error {
	infos, err := takeInfos(all, disk)
	if err != nil {
		return fmt.Errorf("save sessions: %w", err)
	}
	chunks, err := encodeLines(all)
	if err != nil {
		return fmt.Errorf("save sessions: %w", err)
	}
	if err := writeInfos(s.infoDir, infos); err != nil {
		return err
	}
	if err := removeInfos(s.infoDir, goneIDs(disk, all)); err != nil {
		return err
	}
	if err := s.sweepOnce(all); err != nil {
		return err
	}
	st, err := writeAtomic(s.path, chunks)
	if err != nil {
		return err
	}
	s.setStamp(st)
	s.setInline(false)
	s.setLegacy(false)
	return nil
}

// sweepOnce cleans the info folder on the first save of this store, which
// removes the files a crashed save may have left.
func (s *Store) sweepOnce(all []Session) error {
	s.mu.Lock()
	done := s.swept
	s.mu.Unlock()
	if done {
		return nil
	}
	if err := sweepInfos(s.infoDir, all); err != nil {
		return err
	}
	s.mu.Lock()
	s.swept = true
	s.mu.Unlock()
	return nil
}

// Changed reports whether the file was saved by someone else since this
// store last loaded or saved it. It costs one stat, cheap enough to poll
// every second.
func (s *Store) Changed() (bool, error) {
	var cur Stamp
	fi, err := os.Stat(s.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return false, fmt.Errorf("check sessions file: %w", err)
	default:
		cur = stampOf(fi)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return cur != s.stamp, nil
}

func (s *Store) setStamp(st Stamp) {
	s.mu.Lock()
	s.stamp = st
	s.mu.Unlock()
}
