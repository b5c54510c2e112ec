package sessions

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// Version is the format version of the sessions file this build writes.
//
//   - Version 0 is an unversioned file: a bare array of sessions, or an
//     object with "sessions" and no "version".
//   - Version 1 keeps each session's raw session_info in its "info" member.
//   - Version 2 keeps session_info in a file of its own per session (see
//     Store.Info), so that the sessions file stays small.
//   - Version 3 keeps of the check history only the latest checks of each
//     transport, the rest in a history file per session (see
//     Store.History), and writes times as Unix nanoseconds.
//   - Version 4 writes those latest checks as arrays of numbers (see
//     packedCheck).
//
// Older files are read as they are; the next save moves inline info and
// check history to the per-session files and writes the current version.
const Version = 4

// The versions from which the file stores records (see record) rather than
// Sessions, and checks as packedChecks.
const (
	recordsFrom = 3
	packedFrom  = 4
)

// The file is written as valid JSON with one session per line, so that a
// load can split it and decode the lines on every core:
//
//	{"version":3,"sessions":[
//	{...},
//	{...}
//	]}
const (
	headerPrefix = `{"version":`
	headerSuffix = `,"sessions":[`
	footer       = "]}\n"
)

// parallelMin is the number of sessions below which one goroutine is faster.
const parallelMin = 256

var (
	// encodeOpts sorts map keys, so a file is the same for the same
	// sessions, writes invalid UTF-8 as U+FFFD instead of failing, and
	// writes a check's latency as a number of nanoseconds, as encoding/json
	// does.
	encodeOpts = json.JoinOptions(
		json.Deterministic(true),
		jsontext.AllowInvalidUTF8(true),
		jsonv1.FormatDurationAsNano(true),
	)
	// decodeOpts accept what encoding/json accepts, so that files written
	// by earlier builds or edited by hand still load.
	decodeOpts = json.JoinOptions(
		jsonv1.FormatDurationAsNano(true),
		jsontext.AllowInvalidUTF8(true),
		jsontext.AllowDuplicateNames(true),
		json.MatchCaseInsensitiveNames(true),
	)
)

// encodeLines returns the file contents as chunks to write in order.
func encodeLines(list []Session) ([][]byte, error) {
	header := headerPrefix + strconv.Itoa(Version) + headerSuffix + "\n"
	parts := splitRange(len(list))
	chunks := make([][]byte, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() { chunks[i], errs[i] = encodeChunk(list[p[0]:p[1]]) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if n := len(chunks); n > 0 {
		last := chunks[n-1]
		// Every line ends ",\n"; the last must end "\n" alone.
		chunks[n-1] = append(last[:len(last)-2], '\n')
	}
	out := make([][]byte, 0, len(chunks)+2)
	out = append(out, []byte(header))
	out = append(out, chunks...)
	return append(out, []byte(footer)), nil
}

// encodeChunk encodes sessions one per line, as records. Marshal writes
// compact JSON, in which a newline only appears escaped inside strings.
func encodeChunk(list []Session) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(list) * 512)
	for i := range list {
		r := toRecord(&list[i])
		if err := json.MarshalWrite(&buf, &r, encodeOpts); err != nil {
			return nil, fmt.Errorf("encode session %s: %w", list[i].ID, err)
		}
		buf.WriteString(",\n")
	}
	return buf.Bytes(), nil
}

// splitRange cuts [0,n) into one range per core, or one range when small.
func splitRange(n int) [][2]int {
	if n == 0 {
		return nil
	}
	workers := runtime.GOMAXPROCS(0)
	if n < parallelMin || workers < 2 {
		return [][2]int{{0, n}}
	}
	parts := make([][2]int, 0, workers)
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		if lo < hi {
			parts = append(parts, [2]int{lo, hi})
		}
	}
	return parts
}

// decoded is a document as read, before migration.
type decoded struct {
	version  int
	sessions []Session
}

// decode reads a sessions document. It returns a *VersionError for a newer
// format and any other error when the bytes are not a sessions document.
func decode(data []byte, path string) (decoded, error) {
	if d, ok := decodeLines(data); ok {
		return d, checkVersion(d.version, path)
	}
	return decodeGeneric(data, path)
}

// decodeLines is the fast path for files in the layout this package writes.
// It reports false on any other layout, leaving the verdict to decodeGeneric.
func decodeLines(data []byte) (decoded, bool) {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 || !bytes.HasSuffix(data, []byte(footer)) {
		return decoded{}, false
	}
	head := data[:nl]
	if !bytes.HasPrefix(head, []byte(headerPrefix)) || !bytes.HasSuffix(head, []byte(headerSuffix)) {
		return decoded{}, false
	}
	v, err := strconv.Atoi(string(head[len(headerPrefix) : len(head)-len(headerSuffix)]))
	if err != nil || v > Version {
		return decoded{version: v}, err == nil
	}
	lines, ok := splitLines(data[nl+1 : len(data)-len(footer)])
	if !ok {
		return decoded{}, false
	}
	list, ok := decodeParallel(lines, v)
	return decoded{version: v, sessions: list}, ok
}

// splitLines cuts the body into session lines, checking the commas.
func splitLines(body []byte) ([][]byte, bool) {
	lines := make([][]byte, 0, bytes.Count(body, []byte{'\n'}))
	for len(body) > 0 {
		nl := bytes.IndexByte(body, '\n')
		if nl < 0 {
			return nil, false
		}
		lines = append(lines, body[:nl])
		body = body[nl+1:]
	}
	for i, l := range lines {
		last := i == len(lines)-1
		if comma := bytes.HasSuffix(l, []byte{','}); comma == last {
			return nil, false
		}
		if !last {
			lines[i] = l[:len(l)-1]
		}
	}
	return lines, true
}

// decodeParallel decodes one session per line, the lines split among the
// cores, as format version v stores them. It reports false if any line is
// not a session object.
func decodeParallel(lines [][]byte, v int) ([]Session, bool) {
	list := make([]Session, len(lines))
	parts := splitRange(len(lines))
	oks := make([]bool, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() { oks[i] = decodeRange(lines[p[0]:p[1]], list[p[0]:p[1]], v) })
	}
	wg.Wait()
	for _, ok := range oks {
		if !ok {
			return nil, false
		}
	}
	return list, true
}

// decodeRange decodes lines into list, one session a line, as format
// version v stores them.
func decodeRange(lines [][]byte, list []Session, v int) bool {
	for j, l := range lines {
		var err error
		list[j], err = decodeSession(l, v)
		if err != nil {
			return false
		}
	}
	return true
}

// decodeSession decodes one session as format version v stores it.
func decodeSession(data []byte, v int) (Session, error) {
	switch {
	case v >= packedFrom:
		var r record
		err := json.Unmarshal(data, &r, decodeOpts)
		return r.session(), err
	case v >= recordsFrom:
		var r recordV3
		err := json.Unmarshal(data, &r, decodeOpts)
		return r.session(), err
	}
	var s Session
	err := json.Unmarshal(data, &s, decodeOpts)
	return s, err
}

// decodeGeneric reads any valid JSON layout, including unversioned files.
func decodeGeneric(data []byte, path string) (decoded, error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return decoded{}, errors.New("file is empty")
	}
	var d decoded
	raw := jsontext.Value(trimmed)
	switch trimmed[0] {
	case '[':
	case '{':
		var probe struct {
			Version  *int           `json:"version"`
			Sessions jsontext.Value `json:"sessions"`
		}
		if err := json.Unmarshal(trimmed, &probe, decodeOpts); err != nil {
			return decoded{}, err
		}
		if probe.Version != nil {
			d.version = *probe.Version
		}
		if err := checkVersion(d.version, path); err != nil {
			return d, err
		}
		raw = probe.Sessions
	default:
		return decoded{}, errors.New("not a JSON object or array")
	}
	if len(raw) == 0 {
		return d, nil
	}
	var items []jsontext.Value
	if err := json.Unmarshal(raw, &items, decodeOpts); err != nil {
		return decoded{}, err
	}
	d.sessions = make([]Session, len(items))
	for i, item := range items {
		s, err := decodeSession(item, d.version)
		if err != nil {
			return decoded{}, fmt.Errorf("session %d: %w", i+1, err)
		}
		d.sessions[i] = s
	}
	return d, nil
}

func checkVersion(v int, path string) error {
	if v > Version {
		return &VersionError{Path: path, Found: v, Supported: Version}
	}
	if v < 0 {
		return fmt.Errorf("negative format version %d", v)
	}
	return nil
}
