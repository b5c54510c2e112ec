//go:build !unix

package sessions

import (
	"errors"
	"os"
)

// lockExclusive reports that this platform has no flock: the store is only
// supported where two consoles can lock the file.
func lockExclusive(string) (func(), error) {
	return nil, errors.New("lock sessions file: not supported on this platform")
}

// stampOf describes the file behind fi by modification time and size.
func stampOf(fi os.FileInfo) Stamp {
	return Stamp{ModTime: fi.ModTime().UnixNano(), Size: fi.Size()}
}
