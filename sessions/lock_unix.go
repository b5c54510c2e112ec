//go:build unix

package sessions

import (
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// lockExclusive opens (creating it 0600 if needed) the lock file at path and
// takes an exclusive flock on it, waiting for other holders. The returned
// function releases the lock.
func lockExclusive(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// stampOf describes the file behind fi well enough to notice a replacement:
// every save renames a new file into place, so the inode changes too.
func stampOf(fi os.FileInfo) Stamp {
	st := Stamp{ModTime: fi.ModTime().UnixNano(), Size: fi.Size()}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.Inode, st.Dev = uint64(sys.Ino), uint64(sys.Dev)
	}
	return st
}
