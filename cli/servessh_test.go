package cli

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// sshWait bounds every wait on the SSH server; nothing here should come
// near it.
const sshWait = 15 * time.Second

// sshServer is serve-ssh running in-process on a free port.
type sshServer struct {
	addr, fingerprint string
	// key is the one key of its authorized_keys file, keys that file.
	key  gossh.Signer
	keys string

	mu      sync.Mutex
	journal []string // what it printed after starting
	changed chan struct{}
}

func newKey(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// startSSH runs serve-ssh on h's store until the test ends.
func startSSH(t *testing.T, h *harness) *sshServer {
	t.Helper()
	dir := t.TempDir()
	srv := &sshServer{key: newKey(t), changed: make(chan struct{}, 1)}
	keys := filepath.Join(dir, "authorized_keys")
	srv.keys = keys
	line := append([]byte("# the test's key\n"), gossh.MarshalAuthorizedKey(srv.key.PublicKey())...)
	if err := os.WriteFile(keys, line, 0o600); err != nil {
		t.Fatal(err)
	}
	out, w := io.Pipe()
	env := Env{
		Stdin: strings.NewReader(""), Stdout: w, Stderr: w,
		Getenv: func(string) string { return "" }, Now: time.Now,
		Logger: slog.New(slog.DiscardHandler),
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"--store", h.store, "--config", emptyConfig(t),
			"serve-ssh", "--listen", "127.0.0.1:0", "--authorized-keys", keys,
			"--host-key", filepath.Join(dir, "host_key")}, env)
		_ = w.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != ExitOK {
				t.Errorf("serve-ssh exited %d on cancel", code)
			}
		case <-time.After(sshWait):
			t.Error("serve-ssh did not stop")
		}
	})

	lines := bufio.NewScanner(out)
	for srv.addr == "" || srv.fingerprint == "" {
		if !lines.Scan() {
			t.Fatalf("serve-ssh stopped before it served: exit %d", <-done)
		}
		l := lines.Text()
		if a, ok := strings.CutPrefix(l, "serving the console over SSH on "); ok {
			srv.addr, _, _ = strings.Cut(a, ";")
		}
		if f, ok := strings.CutPrefix(l, "host key "); ok {
			srv.fingerprint, _, _ = strings.Cut(f, " ")
		}
	}
	go func() {
		for lines.Scan() {
			srv.mu.Lock()
			srv.journal = append(srv.journal, lines.Text())
			srv.mu.Unlock()
			select {
			case srv.changed <- struct{}{}:
			default:
			}
		}
	}()
	return srv
}

// dial connects with key, checking that the server's host key is the one
// serve-ssh printed.
func (s *sshServer) dial(key gossh.Signer, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	if key != nil {
		auth = append(auth, gossh.PublicKeys(key))
	}
	return gossh.Dial("tcp", s.addr, &gossh.ClientConfig{
		User: "ops",
		Auth: auth,
		HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error {
			if got := gossh.FingerprintSHA256(k); got != s.fingerprint {
				return errors.New("host key " + got + ", printed " + s.fingerprint)
			}
			return nil
		},
		Timeout: sshWait,
	})
}

// waitJournal waits until a line of the server's journal contains want.
func (s *sshServer) waitJournal(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(sshWait)
	for {
		s.mu.Lock()
		j := strings.Join(s.journal, "\n")
		s.mu.Unlock()
		if strings.Contains(j, want) {
			return
		}
		select {
		case <-s.changed:
		case <-deadline:
			t.Fatalf("the journal never said %q:\n%s", want, j)
		}
	}
}

// screen collects what a terminal session receives, escape sequences
// stripped.
type screen struct {
	mu      sync.Mutex
	text    strings.Builder
	changed chan struct{}
}

func newScreen(r io.Reader) *screen {
	sc := &screen{changed: make(chan struct{}, 1)}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			sc.mu.Lock()
			sc.text.WriteString(ansi.Strip(string(buf[:n])))
			sc.mu.Unlock()
			select {
			case sc.changed <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	return sc
}

func (sc *screen) String() string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.text.String()
}

// waitFor waits until the screen has shown every one of want.
func (sc *screen) waitFor(t *testing.T, want ...string) {
	t.Helper()
	deadline := time.After(sshWait)
	for {
		text := sc.String()
		missing := ""
		for _, w := range want {
			if !strings.Contains(text, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return
		}
		select {
		case <-sc.changed:
		case <-deadline:
			t.Fatalf("the screen never showed %q:\n%s", missing, text)
		}
	}
}

func TestServeSSHConsole(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 15)
	sid := h.login("admin", "admin").SID
	srv := startSSH(t, h)

	client, err := srv.dial(srv.key)
	if err != nil {
		t.Fatalf("dial with the authorized key: %v", err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	sc := newScreen(stdout)
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}

	// The tracked session shows, its sid masked.
	sc.waitFor(t, "odoo-sessions · 1 session", "admin", sessions.MaskSID(sid))
	srv.waitJournal(t, "ops ("+gossh.FingerprintSHA256(srv.key.PublicKey())+") from 127.0.0.1:")
	if strings.Contains(sc.String(), sid) {
		t.Error("the console over SSH showed the whole sid")
	}

	if _, err := stdin.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- sess.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Errorf("session ended with %v after q", err)
		}
	case <-time.After(sshWait):
		t.Fatal("the session did not end after q")
	}
	srv.waitJournal(t, "console closed after")
}

func TestServeSSHTurnsAway(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 15)
	srv := startSSH(t, h)

	if c, err := srv.dial(newKey(t)); err == nil {
		c.Close()
		t.Error("a key missing from authorized_keys was let in")
	}
	if c, err := srv.dial(nil, gossh.Password("admin")); err == nil {
		c.Close()
		t.Error("a password was let in")
	}

	client, err := srv.dial(srv.key)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	out, err := sess.CombinedOutput("")
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 ||
		!strings.Contains(string(out), "connect with a terminal (ssh -t)") {
		t.Errorf("without a terminal: %v, %q; want exit 1 and how to connect", err, out)
	}
	srv.waitJournal(t, "turned away, no terminal")
}

func TestServeSSHChecksItsFiles(t *testing.T) {
	t.Parallel()
	key := gossh.MarshalAuthorizedKey(newKey(t).PublicKey())
	tests := []struct {
		name     string
		keys     string // authorized_keys content; "" for no file
		keysMode os.FileMode
		hostMode os.FileMode // 0 for no host key yet
		dirMode  os.FileMode // 0 to leave the folder as it is
		want     string
	}{
		{"no keys file", "", 0, 0, 0, "does not exist: give --authorized-keys"},
		{"keys file others may write", string(key), 0o664, 0, 0, "can be written by others (mode 0664): run chmod go-w"},
		{"keys folder others may write", string(key), 0o600, 0, 0o777,
			"of authorized_keys can be written by others (mode 0777): run chmod go-w"},
		{"keys file with a bad line", string(key) + "not a key\n", 0o600, 0, 0, "line 2: expected a public key"},
		{"keys file with options", string(key) + `from="10.9.9.9" ` + string(key), 0o600, 0, 0,
			`line 2: options such as from="10.9.9.9" cannot be honoured here`},
		{"keys file with a line too long", "# " + strings.Repeat("0", 70000) + "\n" + string(key), 0o600, 0, 0,
			"has a line longer than 64 KiB"},
		{"keys file with comments only", "# nobody yet\n\n", 0o600, 0, 0, "holds no key"},
		{"host key others may read", string(key), 0o600, 0o644, 0, "can be read by others (mode 0644): run chmod 600"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, 15)
			dir := t.TempDir()
			keys, host := filepath.Join(dir, "authorized_keys"), filepath.Join(dir, "host_key")
			if tc.keys != "" {
				writeMode(t, keys, tc.keys, tc.keysMode)
			}
			if tc.dirMode != 0 {
				if err := os.Chmod(dir, tc.dirMode); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
			}
			if tc.hostMode != 0 {
				if _, err := loadHostKey(host); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(host, tc.hostMode); err != nil {
					t.Fatal(err)
				}
			}
			r := h.run("", nil, "serve-ssh", "--listen", "127.0.0.1:0", "--authorized-keys", keys,
				"--host-key", host)
			if r.code != ExitUsage || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, ExitUsage, tc.want)
			}
		})
	}
}

func writeMode(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// TestServeSSHRereadsKeys: the authorized keys file is read again, and
// checked again, at every login.
func TestServeSSHRereadsKeys(t *testing.T) {
	t.Parallel()
	srv := startSSH(t, newHarness(t, 15))
	mine := string(gossh.MarshalAuthorizedKey(srv.key.PublicKey()))
	other := newKey(t)
	login := func(key gossh.Signer) bool {
		c, err := srv.dial(key)
		if err == nil {
			c.Close()
		}
		return err == nil
	}

	if login(other) {
		t.Fatal("a key missing from the file was let in")
	}
	srv.waitJournal(t, "key refused, not in "+srv.keys)
	writeMode(t, srv.keys, mine+string(gossh.MarshalAuthorizedKey(other.PublicKey())), 0o600)
	if !login(other) {
		t.Error("a key added to the file was not let in")
	}
	writeMode(t, srv.keys, mine, 0o666)
	if login(srv.key) {
		t.Error("a file others may write let a key in")
	}
	srv.waitJournal(t, "refused, no key gets in: serve-ssh: "+srv.keys+" can be written by others")
	writeMode(t, srv.keys, "not a key\n"+mine, 0o600)
	if login(srv.key) {
		t.Error("a file with a line that is not a key let a key in")
	}
	srv.waitJournal(t, srv.keys+" line 1: expected a public key")
	writeMode(t, srv.keys, mine, 0o600)
	if !login(srv.key) || login(other) {
		t.Error("after the file was mended: the right key refused, or a removed one let in")
	}
}
