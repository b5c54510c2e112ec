package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"al.essio.dev/pkg/shellescape"
	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	bm "charm.land/wish/v2/bubbletea"
	"github.com/charmbracelet/keygen"
	gossh "golang.org/x/crypto/ssh"

	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/ui"
)

const serveSSHSynopsis = "[--listen 127.0.0.1:2222] [--authorized-keys FILE] [--host-key FILE]"

// runServeSSH serves the console over SSH: every connection gets a console
// of its own on the same sessions file, as two terminals would.
func runServeSSH(ctx context.Context, g *globals, args []string) error {
	fs := newFlagSet(g, "serve-ssh", serveSSHSynopsis)
	listen := fs.String("listen", "127.0.0.1:2222", "the address to listen on")
	keysFlag := fs.String("authorized-keys", "",
		"the public keys that may connect, in OpenSSH's authorized_keys format (default ~/.ssh/authorized_keys)")
	hostFlag := fs.String("host-key", "",
		"the server's private key, made on first use (default ssh_host_ed25519_key beside the sessions file)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	debug.SetGCPercent(consoleGCPercent)
	keysPath, hostPath, err := g.sshPaths(*keysFlag, *hostFlag)
	if err != nil {
		return err
	}
	keys, err := readAuthorizedKeys(keysPath)
	if err != nil {
		return err
	}
	// Refuse a store the consoles may not use before anyone connects.
	if _, err := g.consoleStore(); err != nil {
		return err
	}
	fingerprint, err := loadHostKey(hostPath)
	if err != nil {
		return err
	}
	sh, err := g.startShared()
	if err != nil {
		return err
	}
	defer sh.stop()

	srv, err := wish.NewServer(
		wish.WithHostKeyPath(hostPath),
		wish.WithPublicKeyAuth(g.sshKeyCheck(keysPath)),
		wish.WithMiddleware(
			bm.MiddlewareWithProgramHandler(g.sshConsole(sh)),
			g.sshDoor(),
		),
	)
	if err != nil {
		return fmt.Errorf("serve-ssh: %w", err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return &exitError{code: ExitUsage, err: fmt.Errorf("serve-ssh: listen on %s: %w", *listen, err)}
	}
	fmt.Fprintf(g.env.Stdout, "serving the console over SSH on %s; stop with Ctrl-C\n", ln.Addr())
	fmt.Fprintf(g.env.Stdout, "host key %s (%s)\n", fingerprint, hostPath)
	fmt.Fprintf(g.env.Stdout, "keys that may connect: %d, from %s\n", len(keys), keysPath)
	if sh.url != "" {
		fmt.Fprintf(g.env.Stdout, "consoles open on the demo server at %s\n", sh.url)
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve-ssh: %w", err)
	case <-ctx.Done():
	}
	// Consoles save as they go: closing the connections loses nothing.
	if err := srv.Close(); err != nil && !errors.Is(err, ssh.ErrServerClosed) {
		return fmt.Errorf("serve-ssh: stop: %w", err)
	}
	return nil
}

// sshPaths returns the authorized keys and host key files, defaults filled.
func (g *globals) sshPaths(keys, host string) (string, string, error) {
	if keys == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", "", usagef("serve-ssh: no home folder to find ~/.ssh/authorized_keys in: give --authorized-keys")
		}
		keys = filepath.Join(home, ".ssh", "authorized_keys")
	}
	if host == "" {
		st, err := g.store()
		if err != nil {
			return "", "", err
		}
		host = filepath.Join(filepath.Dir(st.Path()), "ssh_host_ed25519_key")
	}
	return keys, host, nil
}

// readAuthorizedKeys checks the authorized keys file as sshd does before it
// trusts one: nobody but its owner may write it or its folder, and every
// line must parse (the SSH library stops at the first line it cannot read,
// so a bad line would silently lock out the keys after it). A line with
// options (from=, command=, restrict, ...) is refused too: this server
// cannot honour them, and dropping them would let in what they keep out.
// It returns the keys.
func readAuthorizedKeys(path string) ([]gossh.PublicKey, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, usagef("serve-ssh: %s does not exist: give --authorized-keys a file "+
			"with the public keys of the people who may connect", path)
	}
	if err != nil {
		return nil, fmt.Errorf("serve-ssh: %w", err)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return nil, usagef("serve-ssh: %s can be written by others (mode %04o): run chmod go-w %s",
			path, fi.Mode().Perm(), shellescape.Quote(path))
	}
	// Whoever may write the folder may put another file in its place.
	dir := filepath.Dir(path)
	if di, err := os.Stat(dir); err == nil && di.Mode().Perm()&0o022 != 0 {
		return nil, usagef("serve-ssh: the folder %s of %s can be written by others (mode %04o): "+
			"run chmod go-w %s", dir, filepath.Base(path), di.Mode().Perm(), shellescape.Quote(dir))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("serve-ssh: %w", err)
	}
	var keys []gossh.PublicKey
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, _, options, _, err := gossh.ParseAuthorizedKey([]byte(text))
		if err != nil {
			return nil, usagef("serve-ssh: %s line %d: expected a public key as in authorized_keys "+
				"(type, base64 key, comment): %v", path, line, err)
		}
		if len(options) > 0 {
			return nil, usagef("serve-ssh: %s line %d: options such as %s cannot be honoured here: "+
				"give --authorized-keys a file of plain keys", path, line,
				odoo.Sanitize(strings.Join(options, ","), 60))
		}
		keys = append(keys, key)
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, usagef("serve-ssh: %s has a line longer than 64 KiB: every line must be a key, "+
			"a comment or empty", path)
	} else if err != nil {
		return nil, fmt.Errorf("serve-ssh: %s: %w", path, err)
	}
	if len(keys) == 0 {
		return nil, usagef("serve-ssh: %s holds no key: add the public keys of the people who may connect", path)
	}
	return keys, nil
}

// sshKeyCheck lets in the keys of the authorized keys file at path, read
// again at every login, so that removing a line revokes that key, and
// checked again as at start: a file others may write, or with a line that is
// not a key, lets nobody in. Refusals go to the journal and the log.
func (g *globals) sshKeyCheck(path string) ssh.PublicKeyHandler {
	return func(ctx ssh.Context, key ssh.PublicKey) bool {
		who, from := odoo.Sanitize(ctx.User(), 64), ctx.RemoteAddr().String()
		fp := gossh.FingerprintSHA256(key)
		keys, err := readAuthorizedKeys(path)
		if err != nil {
			g.logger.Warn("ssh key refused: the authorized keys file is refused", "user", who,
				"key", fp, "from", from, "err", err)
			g.sshf("%s (%s) from %s: refused, no key gets in: %v", who, fp, from, err)
			return false
		}
		for _, k := range keys {
			if ssh.KeysEqual(key, k) {
				return true
			}
		}
		g.logger.Info("ssh key refused", "user", who, "key", fp, "from", from)
		g.sshf("%s (%s) from %s: key refused, not in %s", who, fp, from, path)
		return false
	}
}

// loadHostKey makes an Ed25519 host key at path on first use, refuses one
// that others can read, as sshd does, and returns its fingerprint.
func loadHostKey(path string) (string, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return "", fmt.Errorf("serve-ssh: host key: %w", err)
	case fi.Mode().Perm()&0o077 != 0:
		return "", usagef("serve-ssh: host key %s can be read by others (mode %04o): run chmod 600 %s",
			path, fi.Mode().Perm(), shellescape.Quote(path))
	}
	kp, err := keygen.New(path, keygen.WithKeyType(keygen.Ed25519), keygen.WithWrite())
	if err != nil {
		return "", fmt.Errorf("serve-ssh: host key %s: %w", path, err)
	}
	return gossh.FingerprintSHA256(kp.PublicKey()), nil
}

// sshConsole opens a console for each connection, with a store of its own
// on the shared sessions file, so that each console notices the others'
// saves as two terminals' consoles do.
func (g *globals) sshConsole(sh shared) bm.ProgramHandler {
	return func(s ssh.Session) *tea.Program {
		store, err := g.consoleStore()
		if err != nil {
			wish.Fatalln(s, "odoo-sessions: "+odoo.Sanitize(err.Error(), 400))
			return nil
		}
		noColor := slices.ContainsFunc(s.Environ(), func(kv string) bool {
			v, ok := strings.CutPrefix(kv, "NO_COLOR=")
			return ok && v != ""
		})
		m := ui.New(g.consoleConfig(sh, store, noColor))
		// The filter replaces the one of MakeOptions, so it also does that
		// one's work: a console over SSH cannot be suspended.
		return tea.NewProgram(m, append(bm.MakeOptions(s), tea.WithFilter(g.sshFilter))...)
	}
}

// sshFilter makes, when a connection closes and its console quits, the
// writes the console had not made yet: the program then ends without
// waiting for them.
func (g *globals) sshFilter(m tea.Model, msg tea.Msg) tea.Msg {
	switch msg.(type) {
	case tea.SuspendMsg:
		return tea.ResumeMsg{}
	case tea.QuitMsg:
		if n, err := ui.WriteLeft(m); err != nil {
			g.logger.Error("ssh console closed with sessions not written", "count", n, "err", err)
		}
	}
	return msg
}

// sshDoor turns away connections without a terminal (ssh -T, or a
// command), which a full-screen console cannot draw on, and writes each
// console's opening and closing to the operations log and to standard
// output: who (SSH user name and key fingerprint), from where, how long.
func (g *globals) sshDoor() wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(s ssh.Session) {
			start := g.env.Now()
			who := odoo.Sanitize(s.User(), 64)
			key := ""
			if pk := s.PublicKey(); pk != nil {
				key = gossh.FingerprintSHA256(pk)
			}
			from := s.RemoteAddr().String()
			if _, _, ok := s.Pty(); !ok {
				g.logger.Info("ssh connection without a terminal turned away", "user", who, "key", key, "from", from)
				g.sshf("%s (%s) from %s: turned away, no terminal", who, key, from)
				wish.Fatalln(s, "odoo-sessions is a full-screen console: connect with a terminal (ssh -t)")
				return
			}
			g.logger.Info("ssh console opened", "user", who, "key", key, "from", from)
			g.sshf("%s (%s) from %s: console opened", who, key, from)
			next(s)
			took := g.env.Now().Sub(start).Round(time.Second)
			g.logger.Info("ssh console closed", "user", who, "key", key, "from", from, "duration", took)
			g.sshf("%s (%s) from %s: console closed after %s", who, key, from, took)
		}
	}
}

// sshf prints one line of the SSH server's journal on standard output,
// which every connection's goroutine shares.
func (g *globals) sshf(format string, args ...any) {
	g.outMu.Lock()
	defer g.outMu.Unlock()
	fmt.Fprintf(g.env.Stdout, "%s  %s\n", g.env.Now().UTC().Format(time.TimeOnly), fmt.Sprintf(format, args...))
}
