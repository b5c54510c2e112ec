package sessions

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"time"

	"al.essio.dev/pkg/shellescape"
)

// Stamp identifies one saved version of the sessions file. Comparing stamps
// is how a console notices that another one saved the file.
type Stamp struct {
	ModTime int64 // modification time in Unix nanoseconds
	Size    int64
	Inode   uint64
	Dev     uint64
}

// checkDir refuses a sessions folder that group or others can reach. A
// missing folder is fine: it is created on the first save.
func checkDir(dir string) error { return checkFolder(dir, false) }

// checkInfoDir refuses the session info folder as checkDir refuses the
// sessions folder: its files hold each login's session_info, whose
// "session" entry is the whole sid. When files inside are open to others
// too, the command given fixes them along with the folder.
func checkInfoDir(dir string) error {
	err := checkFolder(dir, true)
	var pe *PermissionError
	if errors.As(err, &pe) && !pe.Shared && openFiles(dir) > 0 {
		pe.Fix = "chmod -R go-rwx " + shellescape.Quote(dir)
	}
	return err
}

// checkFolder refuses a folder that group or others can reach; info tells
// the session info folder from the sessions folder.
func checkFolder(dir string, info bool) error {
	what := "sessions folder"
	if info {
		what = "session info folder"
	}
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check %s: %w", what, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s %s is not a folder", what, dir)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		pe := openError(dir, fi.Mode(), ownerName(fi), "chmod 700 "+shellescape.Quote(dir))
		pe.Dir, pe.Info = true, info
		return pe
	}
	return nil
}

// checkFile refuses a sessions file that group or others can reach, as ssh
// refuses such a private key.
func checkFile(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("sessions file %s is not a regular file", path)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return openError(path, fi.Mode(), ownerName(fi), "chmod 600 "+shellescape.Quote(path))
	}
	return nil
}

// openError refuses path, which group or others can reach. owner is the
// name of its owner when that is not the user. The user is told to run
// fix, except for a sticky folder (such as /tmp, where others keep their
// files) or a path another user owns: a chmod there would fail or take the
// folder from its other users, so the error says it is shared instead.
func openError(path string, mode fs.FileMode, owner, fix string) *PermissionError {
	pe := &PermissionError{Path: path, Mode: mode, Owner: owner}
	pe.Shared = owner != "" || mode&fs.ModeSticky != 0
	if !pe.Shared {
		pe.Fix = fix
	}
	return pe
}

// ownerName returns the name of the owner of fi's file when that is not
// the user running the program, else "".
func ownerName(fi fs.FileInfo) string {
	uid, foreign := ownerUID(fi)
	if !foreign {
		return ""
	}
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		return u.Username
	}
	return "uid " + strconv.Itoa(uid)
}

// readInfoFile reads the file name of the info folder dir, refused as
// readRaw refuses the sessions file. When other files of dir are open to
// others too, the command given fixes them all at once.
func readInfoFile(dir, name string) ([]byte, error) {
	data, _, err := readRaw(filepath.Join(dir, name))
	var pe *PermissionError
	if errors.As(err, &pe) {
		pe.Info = true
		if !pe.Shared && openFiles(dir) > 1 {
			pe.Fix = "chmod -R go-rwx " + shellescape.Quote(dir)
		}
	}
	return data, err
}

// openFiles counts the entries of dir that group or others can reach. It
// runs only once a refusal is certain, to word the fix: a folder of
// thousands of info files is not read on every load.
func openFiles(dir string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && fi.Mode().Perm()&0o077 != 0 {
			n++
		}
	}
	return n
}

// readRaw reads the file at path after checking its mode. It returns nil
// data and a zero stamp when the file does not exist.
func readRaw(path string) ([]byte, Stamp, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Stamp{}, nil
	}
	if err != nil {
		return nil, Stamp{}, fmt.Errorf("read sessions file: %w", err)
	}
	defer f.Close()
	// Stat the open file, not the path: a save renames a new file into
	// place, and the stamp must describe the bytes read here.
	fi, err := f.Stat()
	if err != nil {
		return nil, Stamp{}, fmt.Errorf("read sessions file: %w", err)
	}
	if err := checkFile(path, fi); err != nil {
		return nil, Stamp{}, err
	}
	data := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, Stamp{}, fmt.Errorf("read sessions file %s: %w", path, err)
	}
	return data, stampOf(fi), nil
}

// crashPoint, when set, is called at each step of writeAtomic where a crash
// must leave a whole file behind; tests use it to kill a writer right there.
var crashPoint func(step string)

func reachedPoint(step string) {
	if crashPoint != nil {
		crashPoint(step)
	}
}

// writeAtomic replaces the file at path with chunks: it writes a temporary
// file in the same folder, syncs it, renames it over path and syncs the
// folder, so a crash leaves either the old file or the new one.
func writeAtomic(path string, chunks [][]byte) (Stamp, error) {
	fi, err := replaceFile(path, chunks, reachedPoint)
	if err != nil {
		return Stamp{}, fmt.Errorf("save sessions: %w", err)
	}
	reachedPoint("renamed")
	return stampOf(fi), syncDir(filepath.Dir(path))
}

// replaceFile writes chunks to a temporary file beside path, syncs it and
// renames it over path. It calls point after the first chunk and after the
// sync, when point is not nil. It returns the new file's info.
func replaceFile(path string, chunks [][]byte, point func(string)) (fi fs.FileInfo, err error) {
	dir, base := filepath.Split(path)
	f, err := os.CreateTemp(dir, tempPrefix(base)+"*")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	for i, c := range chunks {
		if _, err = f.Write(c); err != nil {
			return nil, err
		}
		if i == 0 && point != nil {
			point("partly-written")
		}
	}
	if err = f.Sync(); err != nil {
		return nil, err
	}
	if point != nil {
		point("synced")
	}
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err = f.Close(); err != nil {
		return nil, err
	}
	return fi, os.Rename(f.Name(), path)
}

func tempPrefix(base string) string { return "." + base + ".tmp-" }

// removeStaleTemps deletes temporary files left by a save that crashed.
// Called with the lock held, so no save is in progress.
func removeStaleTemps(path string) {
	dir, base := filepath.Split(path)
	names, _ := filepath.Glob(filepath.Join(dir, tempPrefix(base)+"*"))
	for _, n := range names {
		os.Remove(n)
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("save sessions: sync folder: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("save sessions: sync folder: %w", err)
	}
	return nil
}

// moveAside renames an undecodable file to path.corrupt-<UTC time>, never
// over an earlier one, and returns the new name.
func moveAside(path string, now time.Time) (string, error) {
	base := path + ".corrupt-" + now.UTC().Format("20060102T150405Z")
	dst := base
	for n := 2; ; n++ {
		if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
			break
		}
		dst = fmt.Sprintf("%s-%d", base, n)
	}
	if err := os.Rename(path, dst); err != nil {
		return "", fmt.Errorf("move corrupt sessions file aside: %w", err)
	}
	return dst, syncDir(filepath.Dir(path))
}
