//go:build unix

package sessions

import (
	"io/fs"
	"os"
	"syscall"
)

// ownerUID returns the user id that owns fi's file, and whether it is
// someone other than the user running the program.
func ownerUID(fi fs.FileInfo) (uid int, foreign bool) {
	sys, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	uid = int(sys.Uid)
	return uid, uid != os.Getuid()
}
