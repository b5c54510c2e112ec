package sessions

import (
	"errors"
	"fmt"
	"io/fs"
)

// Errors reported by the store's convenience methods.
var (
	// ErrNotFound means no session has the given ID.
	ErrNotFound = errors.New("session not found")
	// ErrForgotten means the session was forgotten, possibly by another
	// console, and is not brought back.
	ErrForgotten = errors.New("session was forgotten")
	// ErrExists means Add was given an ID that the store already holds.
	ErrExists = errors.New("session id already in use")
)

// PermissionError refuses a sessions file or folder, or the session info
// folder or one of its files, that other users can reach: they hold live
// session ids. Fix is the command that repairs it.
type PermissionError struct {
	Path string
	Mode fs.FileMode
	Dir  bool
	// Info is true for the session info folder and its files.
	Info bool
	// Shared is true for a path the user should not make private: a
	// sticky folder such as /tmp, or one another user owns. Fix is then
	// empty: the sessions file belongs in a folder of the user's own.
	Shared bool
	// Owner names the owner of Path when that is not the user.
	Owner string
	Fix   string
}

// sharedAdvice is what to do about a shared folder.
const sharedAdvice = "keep the sessions file in a folder of your own, such as the default " +
	"($XDG_STATE_HOME/odoo-sessions, else ~/.local/state/odoo-sessions), " +
	"or give --store a path in a private folder"

// Error names the path, its mode and the command to run, or for a shared
// path, its owner and where to keep the sessions file instead.
func (e *PermissionError) Error() string {
	mode := fmt.Sprintf("mode %04o", unixMode(e.Mode))
	if e.Owner != "" {
		mode += ", owner " + e.Owner
	}
	if e.Shared {
		return fmt.Sprintf("%s %s is shared with other users (%s): %s", e.what(), e.Path, mode, sharedAdvice)
	}
	return fmt.Sprintf("%s %s is accessible by other users (%s): run %s", e.what(), e.Path, mode, e.Fix)
}

// unixMode returns m's permission bits with the sticky, setuid and setgid
// bits where chmod puts them, so that /tmp reads 1777.
func unixMode(m fs.FileMode) uint32 {
	u := uint32(m.Perm())
	if m&fs.ModeSticky != 0 {
		u |= 0o1000
	}
	if m&fs.ModeSetgid != 0 {
		u |= 0o2000
	}
	if m&fs.ModeSetuid != 0 {
		u |= 0o4000
	}
	return u
}

// what names the kind of path refused.
func (e *PermissionError) what() string {
	switch {
	case e.Info && e.Dir:
		return "session info folder"
	case e.Info:
		return "session info file"
	case e.Dir:
		return "sessions folder"
	default:
		return "sessions file"
	}
}

// Is makes errors.Is(err, fs.ErrPermission) true.
func (e *PermissionError) Is(target error) bool { return target == fs.ErrPermission }

// VersionError refuses a file written by a newer odoo-sessions.
type VersionError struct {
	Path      string
	Found     int
	Supported int
}

// Error names both versions.
func (e *VersionError) Error() string {
	return fmt.Sprintf("sessions file %s has format version %d, this build reads up to "+
		"version %d: update odoo-sessions", e.Path, e.Found, e.Supported)
}

// CorruptError reports a sessions file that could not be decoded. The file
// was moved aside to MovedTo, untouched, and the store starts anew.
type CorruptError struct {
	Path    string
	MovedTo string
	Err     error
}

// Error says where the unreadable file went.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("sessions file %s could not be decoded (%v): moved it to %s",
		e.Path, e.Err, e.MovedTo)
}

// Unwrap returns the decoding error.
func (e *CorruptError) Unwrap() error { return e.Err }
