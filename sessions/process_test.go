package sessions

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Child processes of the tests below are this test binary run again with
// these variables set; TestMain sends them to their role instead of the tests.
const (
	envRole  = "SESSIONS_TEST_ROLE"
	envPath  = "SESSIONS_TEST_PATH"
	envCount = "SESSIONS_TEST_COUNT"
	envName  = "SESSIONS_TEST_NAME"
)

func TestMain(m *testing.M) {
	switch os.Getenv(envRole) {
	case "":
		os.Exit(m.Run())
	case "add":
		exitOn(childAdd())
	case "rewrite":
		exitOn(childRewrite())
	case "load":
		exitOn(childLoad())
	default:
		exitOn(fmt.Errorf("unknown role %q", os.Getenv(envRole)))
	}
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// childAdd waits for a line on stdin, then adds its sessions one by one.
func childAdd() error {
	n, _ := strconv.Atoi(os.Getenv(envCount))
	name := os.Getenv(envName)
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return err
	}
	st := Open(os.Getenv(envPath))
	for i := range n {
		s := realisticSession(i)
		s.ID, s.SID = fmt.Sprintf("%s-%d", name, i), fmt.Sprintf("sid-%s-%d", name, i)
		if _, err := st.Add(s); err != nil {
			return err
		}
	}
	return nil
}

// childRewrite saves generation after generation of the same sessions until
// it is killed. It prints "wrote N" once generation N is saved, and at each
// crash point of a save prints the step and waits for a line on stdin.
func childRewrite() error {
	k, _ := strconv.Atoi(os.Getenv(envCount))
	st := Open(os.Getenv(envPath))
	cur, _, err := st.Load()
	if err != nil {
		return err
	}
	gen, err := generation(cur)
	if err != nil {
		return err
	}
	stdin := bufio.NewReader(os.Stdin)
	crashPoint = func(step string) {
		fmt.Printf("%s %d\n", step, gen)
		stdin.ReadString('\n') // the parent's go-ahead, unless it kills us
	}
	for gen++; gen < 1_000_000; gen++ {
		if _, err := st.Update(func([]Session) []Session { return genSessions(k, gen) }); err != nil {
			return err
		}
		fmt.Printf("wrote %d\n", gen)
	}
	return nil
}

// genSessions builds k sessions that all carry generation gen. Only the
// first carries Info: a save writes the info file of each that does.
func genSessions(k, gen int) []Session {
	list := make([]Session, k)
	for i := range list {
		s := realisticSession(i)
		s.ID, s.Login = fmt.Sprintf("k%d", i), fmt.Sprintf("gen-%d", gen)
		if i > 0 {
			s.Info = nil
		}
		s.UpdatedAt = t0.Add(time.Duration(gen) * time.Second)
		list[i] = s
	}
	return list
}

// generation returns the generation shared by all sessions, or an error
// when they disagree; zero for an empty list.
func generation(list []Session) (int, error) {
	if len(list) == 0 {
		return 0, nil
	}
	for _, s := range list {
		if s.Login != list[0].Login {
			return 0, fmt.Errorf("mixed generations %q and %q", s.Login, list[0].Login)
		}
	}
	return strconv.Atoi(strings.TrimPrefix(list[0].Login, "gen-"))
}

// child starts this test binary in the given role.
func child(t *testing.T, role, path string, count int, name string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envRole+"="+role, envPath+"="+path,
		envCount+"="+strconv.Itoa(count), envName+"="+name)
	cmd.Stderr = os.Stderr
	return cmd
}

func TestTwoProcessesMerge(t *testing.T) {
	t.Parallel()
	const n = 60
	path := filepath.Join(t.TempDir(), "state", "sessions.json")
	var gos []io.WriteCloser
	var cmds []*exec.Cmd
	for _, name := range []string{"a", "b"} {
		cmd := child(t, "add", path, n, name)
		in, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		gos, cmds = append(gos, in), append(cmds, cmd)
	}
	for _, in := range gos { // both start adding at once
		fmt.Fprintln(in, "go")
		in.Close()
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child: %v", err)
		}
	}

	list := mustLoad(t, Open(path))
	sids := make(map[string]string, len(list))
	for _, s := range list {
		sids[s.ID] = s.SID
	}
	for _, name := range []string{"a", "b"} {
		for i := range n {
			id := fmt.Sprintf("%s-%d", name, i)
			if want := "sid-" + id; sids[id] != want {
				t.Errorf("session %s: sid %q, want %q", id, sids[id], want)
			}
		}
	}
	if len(list) != 2*n {
		t.Errorf("%d sessions, want %d", len(list), 2*n)
	}
}

func TestKilledWriterNeverCorrupts(t *testing.T) {
	t.Parallel()
	const k, rounds = 200, 30
	path := filepath.Join(t.TempDir(), "state", "sessions.json")
	acked := 0
	for round := range rounds {
		acked = killRewriterAtRandom(t, path, k, round)
		list, rep, err := Open(path).Load()
		if err != nil || rep.MovedTo != "" {
			t.Fatalf("round %d: Load: %v (%+v)", round, err, rep)
		}
		gen, err := generation(list)
		switch {
		case err != nil:
			t.Fatalf("round %d: %v", round, err)
		case len(list) != k:
			t.Fatalf("round %d: %d sessions, want %d", round, len(list), k)
		case gen < acked:
			t.Fatalf("round %d: generation %d on disk, but %d was reported saved", round, gen, acked)
		}
	}
	if _, err := Open(path).Update(func(l []Session) []Session { return l }); err != nil {
		t.Fatal(err)
	}
	if temps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".sessions.json.tmp-*")); len(temps) != 0 {
		t.Errorf("temporary files left after a save: %v", temps)
	}
}

// killRewriterAtRandom starts a rewriting child and kills it with SIGKILL
// at a random step: after it saved at least one generation, each step it
// reports (inside a save, or between saves) is the one with probability
// 1/5. It returns the last generation known to be in place.
func killRewriterAtRandom(t *testing.T, path string, k, round int) int {
	t.Helper()
	cmd := child(t, "rewrite", path, k, "")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	lines := bufio.NewScanner(out)
	last := 0
	for lines.Scan() {
		step, n, _ := strings.Cut(lines.Text(), " ")
		gen, err := strconv.Atoi(n)
		if err != nil {
			t.Fatalf("round %d: unreadable progress line %q", round, lines.Text())
		}
		if step == "wrote" || step == "renamed" {
			last = gen
		}
		if last > 0 && rand.IntN(5) == 0 {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			return last
		}
		if step != "wrote" {
			fmt.Fprintln(in)
		}
	}
	t.Fatalf("round %d: child stopped: %v", round, lines.Err())
	return 0
}
