package ui

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// syncBuffer is a terminal output that tells waiters about every write.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{}
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case b.written <- struct{}{}:
	default:
	}
	return b.buf.Write(p)
}

// waitFor blocks until the output, ANSI stripped, contains s.
func (b *syncBuffer) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.NewTimer(5 * time.Second)
	defer deadline.Stop()
	for {
		b.mu.Lock()
		got := ansi.Strip(b.buf.String())
		b.mu.Unlock()
		if strings.Contains(got, s) {
			return
		}
		select {
		case <-b.written:
		case <-deadline.C:
			t.Fatalf("output never showed %q", s)
		}
	}
}

func TestSmoke(t *testing.T) {
	t.Parallel()
	fc := &fakeClient{loginRes: okLogin()}
	st := newFakeStore()
	cfg := Config{
		NewClient: func(string) (Client, error) { return fc, nil },
		Store:     st,
		Clock:     func() time.Time { return t0 },
		NoColor:   true,
	}
	demoConfig(&cfg)
	in, keys := io.Pipe()
	out := &syncBuffer{written: make(chan struct{}, 1)}
	p := tea.NewProgram(New(cfg), tea.WithInput(in), tea.WithOutput(out),
		tea.WithWindowSize(80, 24), tea.WithoutSignals())

	type result struct {
		m   tea.Model
		err error
	}
	done := make(chan result, 1)
	go func() {
		m, err := p.Run()
		done <- result{m, err}
	}()

	out.waitFor(t, "Log in to an Odoo server")
	if _, err := io.WriteString(keys, "admin\tadmin\r"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-st.writes:
	case <-time.After(5 * time.Second):
		t.Fatal("the login never reached the store")
	}
	out.waitFor(t, "6df1…be63")
	if _, err := io.WriteString(keys, "q"); err != nil {
		t.Fatal(err)
	}

	var res result
	select {
	case res = <-done:
	case <-time.After(5 * time.Second):
		p.Kill()
		t.Fatal("q did not end the program")
	}
	_ = keys.Close()
	if res.err != nil {
		t.Fatal(res.err)
	}
	final := res.m.(model)
	if len(final.list.all) != 1 || final.list.all[0].Login != "admin" {
		t.Errorf("final list: %+v", final.list.all)
	}
	if got := fc.reqs[0].Password; got != "admin" {
		t.Errorf("password sent %q", got)
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	if strings.Contains(ansi.Strip(out.buf.String()), sidA) {
		t.Error("the whole sid reached the terminal")
	}
}
