package demoserver

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"testing"
)

// sharedDir is the team's shared folder, relative to this package.
const sharedDir = "../../shared"

// transcriptDirs are the recorded folders copied into testdata.
var transcriptDirs = []string{
	"odoo15-transcripts", "odoo16-transcripts", "odoo17-transcripts", "odoo18-transcripts",
}

// exchange is one line of transcripts.jsonl.
type exchange struct {
	Odoo     string        `json:"odoo"`
	Mode     *string       `json:"mode"`
	File     string        `json:"file"`
	Title    string        `json:"title"`
	Request  recordedMsg   `json:"request"`
	Response recordedReply `json:"response"`
}

// recordedMsg is a recorded request.
type recordedMsg struct {
	Method  string      `json:"method"`
	Target  string      `json:"target"`
	Headers [][2]string `json:"headers"`
	Body    string      `json:"body"`
}

// recordedReply is a recorded response.
type recordedReply struct {
	Status  int         `json:"status"`
	Headers [][2]string `json:"headers"`
	Body    string      `json:"body"`
}

// loadExchanges reads testdata/transcripts.jsonl, grouped by folder, each
// folder in file order.
func loadExchanges(t *testing.T) map[string][]exchange {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "transcripts.jsonl"))
	if err != nil {
		t.Fatalf("open transcripts: %v", err)
	}
	defer f.Close()
	out := map[string][]exchange{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<22)
	for sc.Scan() {
		var ex exchange
		if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
			t.Fatalf("decode transcript line: %v", err)
		}
		dir := path.Dir(ex.File)
		out[dir] = append(out[dir], ex)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read transcripts: %v", err)
	}
	for _, list := range out {
		sort.SliceStable(list, func(i, j int) bool { return list[i].File < list[j].File })
	}
	return out
}

// TestTestdataMatchesShared fails when the copy in testdata differs from
// ../shared. Without ../shared (a fresh clone) the copy is used as it is.
func TestTestdataMatchesShared(t *testing.T) {
	if _, err := os.Stat(sharedDir); errors.Is(err, fs.ErrNotExist) {
		t.Logf("%s absent: the replay uses the copy in testdata", sharedDir)
		return
	}
	shared, err := readTree(sharedDir)
	if err != nil {
		t.Fatalf("read %s: %v", sharedDir, err)
	}
	copied, err := readTree("testdata")
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	for name, want := range shared {
		got, ok := copied[name]
		if !ok {
			t.Errorf("testdata/%s missing: copy it from %s", name, sharedDir)
		} else if !bytes.Equal(got, want) {
			t.Errorf("testdata/%s differs from %s/%s", name, sharedDir, name)
		}
	}
	for name := range copied {
		if _, ok := shared[name]; !ok {
			t.Errorf("testdata/%s is not in %s", name, sharedDir)
		}
	}
	if len(shared) < 200 {
		t.Errorf("only %d transcript files found in %s", len(shared), sharedDir)
	}
}

// readTree reads transcripts.jsonl and every file of the transcript
// folders under root, keyed by slash path.
func readTree(root string) (map[string][]byte, error) {
	out := map[string][]byte{}
	b, err := os.ReadFile(filepath.Join(root, "transcripts.jsonl"))
	if err != nil {
		return nil, err
	}
	out["transcripts.jsonl"] = b
	for _, dir := range transcriptDirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			data, err := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = data
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
