package demoserver

import (
	"crypto/subtle"
	"fmt"
	"log/slog"
	"time"
)

// Options configures a Server.
type Options struct {
	// Version is the Odoo major version to imitate: 15 (with the REST module,
	// the default when zero), 16, 17 or 18.
	Version int
	// Databases are the databases the server hosts.
	Databases []Database
	// DBFilter is a regular expression (Odoo's --db-filter) selecting the
	// databases visible over HTTP. Empty means all.
	DBFilter string
	// ListDB reports whether database listing is allowed (Odoo's list_db).
	ListDB bool
	// Clock returns the current time; time.Now when nil.
	Clock func() time.Time
	// Logger receives one line per request; nothing is logged when nil.
	Logger *slog.Logger
}

// Database is one in-memory database.
type Database struct {
	Name  string
	Users []User
}

// User is one res.users record.
type User struct {
	ID        int
	Login     string
	Password  string
	Name      string
	PartnerID int
	// Admin is is_admin (group Administration/Access Rights).
	Admin bool
	// System is is_system (group Administration/Settings).
	System bool
	// Portal marks a portal (share) user instead of an internal one.
	Portal bool
	// TOTPSecret is the base32 secret of a two-factor user; empty when the
	// user has no two-factor authentication.
	TOTPSecret string
	// APIKey, when set, is accepted instead of the password over XML-RPC
	// and /jsonrpc, which is the only way a two-factor user can use RPC.
	APIKey string
}

// displayName returns the user's name, the login when no name was given.
func (u *User) displayName() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Login
}

// database is the server's copy of a Database.
type database struct {
	name  string
	users []*User
}

// userByLogin finds an active user by login.
func (d *database) userByLogin(login string) *User {
	for _, u := range d.users {
		if u.Login == login {
			return u
		}
	}
	return nil
}

// userByID finds a user by id.
func (d *database) userByID(id int) *User {
	for _, u := range d.users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

// checkPassword compares a password in constant time.
func checkPassword(want, got string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// authenticate checks a login and password the way the web login does. It
// returns nil when they do not match.
func (d *database) authenticate(login, password string) *User {
	u := d.userByLogin(login)
	if u == nil || !checkPassword(u.Password, password) {
		return nil
	}
	return u
}

// authenticateRPC checks the credentials of an XML-RPC or /jsonrpc call: a
// two-factor user needs its API key, others their password or API key.
func (d *database) authenticateRPC(u *User, password string) bool {
	if u == nil {
		return false
	}
	if checkPassword(u.APIKey, password) {
		return true
	}
	return u.TOTPSecret == "" && checkPassword(u.Password, password)
}

// AddUser adds a user to a database of the server.
func (s *Server) AddUser(db string, u User) error {
	s.mu.Lock()
	defer s.mu.Unlock()

	d := s.dbs[db]
	if d == nil {
		return fmt.Errorf("add user %q: no database %q", u.Login, db)
	}
	if d.userByLogin(u.Login) != nil || d.userByID(u.ID) != nil {
		return fmt.Errorf("add user %q to %q: login or id already used", u.Login, db)
	}
	if u.ID == 0 {
		u.ID = d.nextUserID()
	}
	d.users = append(d.users, &u)
	return nil
}

// nextUserID returns an id above every existing one.
func (d *database) nextUserID() int {
	id := 5
	for _, u := range d.users {
		id = max(id, u.ID)
	}
	return id + 1
}
