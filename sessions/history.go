package sessions

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-json-experiment/json"
)

// The sessions file keeps, per transport, only the checks the list needs
// (see lastChecks). The history, up to the last MaxChecks checks of each
// transport, lives in a file per session beside its info file, in the same
// folder: "<id>.history.json" beside "<id>.json". Its content is a JSON
// object mapping a transport to its checks, oldest first, each in the
// sessions file's compact form.
//
// A save that adds checks to a session merges them, under the store's lock,
// with the session's history file and with the checks in the sessions file,
// and rewrites the history file only when its content changes. History
// files are written atomically (temporary file and rename) before the
// sessions file, but without fsync: the history is a convenience, and a
// bulk check of thousands of sessions must not wait on thousands of disk
// flushes. After a power failure a history file may lack the newest checks
// or be gone; the sessions file, which is synced, still has the last check
// of each transport, and the next save that adds a check merges it back in.

// historyName returns the file name of a session's check history. Plain
// IDs hold no '.', so the name never clashes with an info file's.
func historyName(id string) string {
	return strings.TrimSuffix(infoName(id), ".json") + ".history.json"
}

// History returns the stored check history of the session with the given
// ID: for each transport, up to its last MaxChecks checks, oldest first,
// including those another console recorded. Sessions returned by Load and
// Update hold only the latest of them (see Session.Checks).
//
// It returns nil and no error when no history is stored (the session is
// unknown, was never checked, or its history file was lost): the session's
// own Checks are then all that is known. A file or folder that other users
// can reach gives a *PermissionError.
func (s *Store) History(id string) (map[string][]Check, error) {
	if err := checkInfoDir(s.infoDir); err != nil {
		return nil, err
	}
	h, _, err := readHistory(s.infoDir, id)
	if err != nil {
		return nil, fmt.Errorf("read check history: %w", err)
	}
	if h == nil && s.isLegacy() {
		r, err := s.inlineRecord(id)
		return r.Checks, err
	}
	return h, nil
}

// readHistory reads a session's history file and returns the checks and
// the bytes read. A missing file, or one that does not decode, gives no
// checks: a crash may have left it behind, and the history is rebuilt from
// the next checks.
func readHistory(dir, id string) (map[string][]Check, []byte, error) {
	data, err := readInfoFile(dir, historyName(id))
	if err != nil || data == nil {
		return nil, nil, err
	}
	var stored map[string][]diskCheck
	if json.Unmarshal(data, &stored, decodeOpts) != nil || len(stored) == 0 {
		return nil, data, nil
	}
	h := make(map[string][]Check, len(stored))
	for t, dh := range stored {
		h[t] = fromDiskHistory(t, dh)
	}
	return h, data, nil
}

// historyJob is the history merge of one session that gained checks.
type historyJob struct {
	id string
	// known are the session's checks in the sessions file; added those the
	// update returned.
	known, added map[string][]Check
	// merged is the result: the whole history, to be compacted into the
	// sessions file.
	merged map[string][]Check
	wrote  bool
}

// run merges the job's checks with the history file and rewrites the file
// when its content changes.
func (j *historyJob) run(dir string) error {
	stored, raw, err := readHistory(dir, j.id)
	if err != nil {
		return err
	}
	j.merged = make(map[string][]Check, len(Transports))
	for _, m := range [...]map[string][]Check{stored, j.known, j.added} {
		for t := range m {
			if _, done := j.merged[t]; done {
				continue
			}
			if h := mergeHistories(stored[t], j.known[t], j.added[t]); len(h) > 0 {
				j.merged[t] = h
			}
		}
	}
	out := make(map[string][]diskCheck, len(j.merged))
	for t, h := range j.merged {
		out[t] = toDiskHistory(h)
	}
	data, err := json.Marshal(out, encodeOpts)
	if err != nil {
		return err
	}
	if bytes.Equal(data, raw) {
		return nil
	}
	j.wrote = true
	return writeUnsynced(filepath.Join(dir, historyName(j.id)), data)
}

// writeUnsynced replaces the file at path with data through a temporary
// file and a rename, without fsync (see the history files' comment above).
func writeUnsynced(path string, data []byte) error {
	dir, base := filepath.Split(path)
	f, err := os.CreateTemp(dir, tempPrefix(base)+"*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// syncHistories brings the checks of the sessions an update returned into
// the history files, and leaves in out only what the sessions file keeps
// (see lastChecks). A returned session whose checks are all known on disk
// gets the disk's checks, which may be newer; one that gained checks has
// them merged with the disk's and its history file's. The disk records get
// the merged checks too, so the result does not depend on which copy
// reconcile keeps. legacy is true when disk comes from a file of a version
// that kept the whole history inline: every history is then written.
// It returns how many history files it wrote. Called with the lock held.
func syncHistories(dir string, disk, out []Session, legacy bool) (int, error) {
	at := make(map[string]int, len(disk))
	for i := range disk {
		at[disk[i].ID] = i
	}
	var jobs []historyJob
	var owners [][2]int // index in out, index in disk or -1
	for i := range out {
		o := &out[i]
		j, onDisk := at[o.ID]
		if o.Forgotten || onDisk && disk[j].Forgotten {
			continue
		}
		var known map[string][]Check
		if onDisk {
			known = disk[j].Checks
		} else {
			j = -1
		}
		if !hasNew(o.Checks, known) && (!legacy || len(known) == 0) {
			// Not legacy, or nothing to move: known is already compact.
			o.Checks = known
			continue
		}
		jobs = append(jobs, historyJob{id: o.ID, known: known, added: o.Checks})
		owners = append(owners, [2]int{i, j})
	}
	if err := runJobs(dir, jobs); err != nil {
		return 0, fmt.Errorf("save check history: %w", err)
	}
	wrote := 0
	for k, j := range jobs {
		c := compactChecks(j.merged)
		out[owners[k][0]].Checks = c
		if d := owners[k][1]; d >= 0 {
			disk[d].Checks = c
		}
		if j.wrote {
			wrote++
		}
	}
	return wrote, nil
}

// runJobs runs the history jobs on infoWriters goroutines.
func runJobs(dir string, jobs []historyJob) error {
	if len(jobs) == 0 {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	var next atomic.Int64
	errs := make([]error, min(infoWriters, len(jobs)))
	var wg sync.WaitGroup
	for w := range errs {
		wg.Go(func() {
			for k := int(next.Add(1)) - 1; k < len(jobs); k = int(next.Add(1)) - 1 {
				if err := jobs[k].run(dir); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// hasNew reports whether checks holds a check that known does not.
func hasNew(checks, known map[string][]Check) bool {
	for t, h := range checks {
		for _, c := range h {
			if !containsCheck(known[t], c) {
				return true
			}
		}
	}
	return false
}

func containsCheck(h []Check, c Check) bool {
	id := idOf(c)
	for _, k := range h {
		if idOf(k) == id {
			return true
		}
	}
	return false
}
