package sessions

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
)

// Each session's raw session_info lives in a file of its own, in a folder
// beside the sessions file ("sessions.info" beside "sessions.json"), named
// after the session's ID. Only the detail view needs it, and keeping it out
// of the sessions file more than halves that file: loads and saves of the
// whole list stay fast.
//
// The info files are written under the store's lock, each atomically, and
// those of forgotten sessions removed, before the sessions file is saved.
// A save that fails or crashes after that may leave an info file newer than
// the sessions file says, a file no session points to (removed by the
// store's first save in the next run), or a live session without its info,
// which the next details fetch brings back.

// infoWriters bounds the info files written at once: each waits on its own
// fsync, which is mostly waiting on the disk.
const infoWriters = 8

// infoFile is one info file to write.
type infoFile struct {
	name string
	data []byte
}

// infoDirOf returns the folder of the info files of the sessions file path.
func infoDirOf(path string) string { return strings.TrimSuffix(path, ".json") + ".info" }

// infoName returns the file name of a session's info. IDs made of letters,
// digits, '-' and '_' (NewID's are) are used as they are; others are hex
// encoded behind a '~', which no such ID contains.
func infoName(id string) string {
	plain := len(id) > 0 && len(id) <= 64 && strings.IndexFunc(id, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '_')
	}) < 0
	if plain {
		return id + ".json"
	}
	return "~" + hex.EncodeToString([]byte(id)) + ".json"
}

// Info returns the raw session_info stored for the session with the given
// ID: what the last save of that session carried in Session.Info. It
// returns nil and no error when none is stored, whether the session has no
// info or is unknown. A file or folder that other users can reach gives a
// *PermissionError.
//
// Until the first save after reading an older sessions file, which kept
// session_info inside it, Info reads it from there.
func (s *Store) Info(id string) (json.RawMessage, error) {
	if err := checkInfoDir(s.infoDir); err != nil {
		return nil, err
	}
	data, err := readInfoFile(s.infoDir, infoName(id))
	if err != nil {
		return nil, fmt.Errorf("read session info: %w", err)
	}
	if len(data) > 0 {
		return data, nil
	}
	if s.isInline() {
		r, err := s.inlineRecord(id)
		return r.Info, err
	}
	return nil, nil
}

// inlineRecord reads a live session as the sessions file has it, for the
// info or check history that files of older versions kept inline. It
// returns a zero Session when there is none.
func (s *Store) inlineRecord(id string) (Session, error) {
	data, _, err := readRaw(s.path)
	if err != nil || data == nil {
		return Session{}, err
	}
	d, err := decode(data, s.path)
	if err != nil {
		return Session{}, fmt.Errorf("read sessions file: %w", err)
	}
	for i := range d.sessions {
		if d.sessions[i].ID == id && !d.sessions[i].Forgotten {
			return d.sessions[i], nil
		}
	}
	return Session{}, nil
}

func (s *Store) isInline() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inline
}

func (s *Store) setInline(v bool) {
	s.mu.Lock()
	s.inline = v
	s.mu.Unlock()
}

func (s *Store) isLegacy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.legacy
}

func (s *Store) setLegacy(v bool) {
	s.mu.Lock()
	s.legacy = v
	s.mu.Unlock()
}

// hasInline reports whether any record carries its info inline.
func hasInline(list []Session) bool {
	for i := range list {
		if len(list[i].Info) > 0 {
			return true
		}
	}
	return false
}

// clearInfo empties the Info of every record of list.
func clearInfo(list []Session) {
	for i := range list {
		list[i].Info = nil
	}
}

// forCaller returns the live records of all as Load and Update hand them
// out: Info empty and, when compact is true, Checks in new maps holding
// only the latest checks.
func forCaller(all []Session, compact bool) []Session {
	return handOut(live(all), compact)
}

// handOut empties the Info of the records of list and, when compact is
// true, gives them new Checks maps holding only the latest checks.
func handOut(list []Session, compact bool) []Session {
	for i := range list {
		list[i].Info = nil
		if compact {
			list[i].Checks = compactChecks(list[i].Checks)
		}
	}
	return list
}

// takeInfos moves the Info of the records about to be saved out of them:
// it returns the info files to write, compacted, and leaves every Info
// empty. A live record saved without Info keeps the one disk had inline,
// if any (files of version 1). It fails when an Info is not valid JSON.
func takeInfos(all, disk []Session) ([]infoFile, error) {
	var inline map[string][]byte
	if hasInline(disk) {
		inline = make(map[string][]byte, len(disk))
		for _, r := range disk {
			inline[r.ID] = r.Info
		}
	}
	var files []infoFile
	for i := range all {
		r := &all[i]
		info := r.Info
		if len(info) == 0 {
			info = inline[r.ID]
		}
		r.Info = nil
		if r.Forgotten || len(info) == 0 {
			continue
		}
		v := jsontext.Value(bytes.Clone(info))
		if err := v.Compact(); err != nil {
			return nil, fmt.Errorf("session %s: info is not JSON: %w", r.ID, err)
		}
		files = append(files, infoFile{name: infoName(r.ID), data: v})
	}
	return files, nil
}

// writeInfos writes the info files into dir, several at a time, each
// atomically, then syncs dir.
func writeInfos(dir string, files []infoFile) error {
	if len(files) == 0 {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save session info: %w", err)
	}
	errs := make([]error, len(files))
	slots := make(chan struct{}, infoWriters)
	var wg sync.WaitGroup
	for i, f := range files {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			_, errs[i] = replaceFile(filepath.Join(dir, f.name), [][]byte{f.data}, nil)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("save session info: %w", err)
		}
	}
	return syncDir(dir)
}

// goneIDs returns the IDs that were live on disk and are tombstones in all:
// the sessions whose info files a save removes.
func goneIDs(disk, all []Session) []string {
	wasLive := make(map[string]bool, len(disk))
	for _, r := range disk {
		wasLive[r.ID] = !r.Forgotten
	}
	var gone []string
	for _, r := range all {
		if r.Forgotten && wasLive[r.ID] {
			gone = append(gone, r.ID)
		}
	}
	return gone
}

// removeInfos deletes the info and history files of the given sessions.
func removeInfos(dir string, ids []string) error {
	for _, id := range ids {
		for _, name := range [...]string{infoName(id), historyName(id)} {
			err := os.Remove(filepath.Join(dir, name))
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("remove session info: %w", err)
			}
		}
	}
	return nil
}

// sweepInfos deletes every file of dir that is not the info or history
// file of a live session of all: files left by a save that crashed.
func sweepInfos(dir string, all []Session) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("clean session info: %w", err)
	}
	keep := make(map[string]bool, len(all))
	for _, r := range all {
		if !r.Forgotten {
			keep[infoName(r.ID)] = true
			keep[historyName(r.ID)] = true
		}
	}
	for _, e := range entries {
		if keep[e.Name()] || e.IsDir() {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("clean session info: %w", err)
		}
	}
	return nil
}
