package demoserver

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"slices"
	"sync"
	"time"
)

// maxBody bounds the request bodies the server reads.
const maxBody = 1 << 20

// Server is an in-memory Odoo look-alike. It is an http.Handler and is safe
// for concurrent use.
type Server struct {
	p      profile
	clock  func() time.Time
	log    *slog.Logger
	filter *regexp.Regexp
	listDB bool
	secret []byte // signs CSRF tokens

	mu        sync.Mutex
	dbs       map[string]*database
	dbNames   []string
	sessions  map[string]*session
	lastSweep time.Time
	devices   []*device
	checks    []*identityCheck
}

// New returns a server configured by opts. It fails on an unknown version,
// an invalid DBFilter or a database or user given twice.
func New(opts Options) (*Server, error) {
	if opts.Version == 0 {
		opts.Version = 15
	}
	p, err := profileFor(opts.Version)
	if err != nil {
		return nil, err
	}
	s := &Server{
		p:        p,
		clock:    opts.Clock,
		log:      opts.Logger,
		listDB:   opts.ListDB,
		secret:   make([]byte, 32),
		dbs:      map[string]*database{},
		sessions: map[string]*session{},
	}
	_, _ = rand.Read(s.secret)
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if opts.DBFilter != "" {
		if s.filter, err = regexp.Compile(opts.DBFilter); err != nil {
			return nil, fmt.Errorf("db filter: %w", err)
		}
	}
	if err := s.addDatabases(opts.Databases); err != nil {
		return nil, err
	}
	return s, nil
}

// addDatabases copies the configured databases and their users.
func (s *Server) addDatabases(dbs []Database) error {
	for _, d := range dbs {
		if d.Name == "" || s.dbs[d.Name] != nil {
			return fmt.Errorf("database %q: empty or given twice", d.Name)
		}
		s.dbs[d.Name] = &database{name: d.Name}
		s.dbNames = append(s.dbNames, d.Name)
		for _, u := range d.Users {
			if err := s.AddUser(d.Name, u); err != nil {
				return err
			}
		}
	}
	slices.Sort(s.dbNames)
	return nil
}

// Version returns the Odoo major version the server imitates.
func (s *Server) Version() int {
	return s.p.major
}

// visibleDBs lists the databases that pass the db filter.
func (s *Server) visibleDBs() []string {
	var out []string
	for _, name := range s.dbNames {
		if s.visible(name) {
			out = append(out, name)
		}
	}
	return out
}

// visible reports whether a database exists and passes the db filter.
func (s *Server) visible(name string) bool {
	return s.dbs[name] != nil && (s.filter == nil || s.filter.MatchString(name))
}

// monoDB returns the only visible database, or "" when there are several.
func (s *Server) monoDB() string {
	if v := s.visibleDBs(); len(v) == 1 {
		return v[0]
	}
	return ""
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		http.Error(w, "cannot read request body", http.StatusBadRequest)
		return
	}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}

	s.mu.Lock()
	c := s.newCall(sw, r, body)
	s.sweepSessions(c.now)
	s.route(c)
	s.mu.Unlock()

	s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
		"session", fingerprint(c.sentSID), "duration", time.Since(start))
}

// statusWriter remembers the status code for the log line.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status and passes it on.
func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// route dispatches a request by path.
func (s *Server) route(c *call) {
	path := c.r.URL.Path
	switch {
	case path == "/session/auth/login" && s.p.rest:
		s.restLogin(c)
	case path == "/session/auth/logout" && s.p.rest:
		s.restLogout(c)
	case path == "/web/login":
		s.webLogin(c)
	case path == "/web/login/totp":
		s.webLoginTOTP(c)
	case path == "/web/session/logout":
		s.webLogout(c)
	case path == "/xmlrpc/2/common" || path == "/xmlrpc/2/db" || path == "/xmlrpc/2/object":
		s.xmlrpc(c, path[len("/xmlrpc/2/"):])
	default:
		if h, ok := s.jsonRoutes()[path]; ok {
			s.jsonRoute(c, h)
			return
		}
		s.notFound(c)
	}
}

// Start listens on addr (for example "127.0.0.1:0") and serves in the
// background. It returns the server's base URL, with the real port, and a
// function that shuts it down.
func (s *Server) Start(addr string) (url string, stop func(context.Context) error, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("demo server: %w", err)
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("demo server stopped", "err", err)
		}
	}()
	stop = func(ctx context.Context) error {
		// Shutdown waits up to five seconds for a connection a client
		// opened and never used: past ctx, the rest are closed.
		err := hs.Shutdown(ctx)
		if err != nil {
			_ = hs.Close()
		}
		return err
	}
	return "http://" + ln.Addr().String(), stop, nil
}
