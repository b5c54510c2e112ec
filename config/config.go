// Package config holds the console's settings and saved server profiles:
// where to connect and as whom, never a password.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Default values of the settings.
const (
	DefaultTimeout     = 15 * time.Second
	DefaultConcurrency = 8
	DefaultIdleLimit   = 7 * 24 * time.Hour
)

// Profile is a server the user logs in to: where and as whom.
type Profile struct {
	Name  string `json:"name"`
	URL   string `json:"url"`
	DB    string `json:"db,omitempty"`
	Login string `json:"login,omitempty"`
}

// Config is the whole configuration file.
type Config struct {
	// Timeout bounds every request to a server.
	Timeout Duration `json:"timeout,omitzero"`
	// Concurrency is how many checks run at once when checking every
	// tracked session.
	Concurrency int `json:"concurrency,omitempty"`
	// IdleLimit is the server's idle limit used for the idle clock
	// (Odoo's sessions.max_inactivity_seconds, 7 days by default).
	IdleLimit Duration  `json:"idle_limit,omitzero"`
	Profiles  []Profile `json:"profiles,omitempty"`
}

// Duration is a time.Duration written as text ("15s", "168h") in JSON.
type Duration struct{ time.Duration }

// MarshalJSON writes the duration as text.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// UnmarshalJSON reads a duration written as text.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: expected text such as \"15s\", got %s", b)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: expected text such as \"15s\" or \"168h\"", s)
	}
	d.Duration = v
	return nil
}

// IsZero reports whether the duration is unset.
func (d Duration) IsZero() bool { return d.Duration == 0 }

// Default returns the configuration used when there is no file.
func Default() Config {
	return Config{
		Timeout:     Duration{DefaultTimeout},
		Concurrency: DefaultConcurrency,
		IdleLimit:   Duration{DefaultIdleLimit},
	}
}

// DefaultPath is $XDG_CONFIG_HOME/odoo-sessions/config.json, or the
// platform's user configuration folder.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the configuration folder: %w", err)
	}
	return filepath.Join(dir, "odoo-sessions", "config.json"), nil
}

// Load reads the configuration at path. A missing file gives the defaults.
func Load(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("read configuration: %w", err)
	}
	c := Default()
	if err := json.Unmarshal(b, &c); err != nil {
		return Config{}, fmt.Errorf("read configuration %s: %w", path, err)
	}
	// A misspelt key would otherwise leave its setting at the default
	// without a word.
	if err := checkKeys(b); err != nil {
		return Config{}, fmt.Errorf("configuration %s: %w", path, err)
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("configuration %s: %w", path, err)
	}
	return c, nil
}

// checkKeys refuses keys that Config, or a Profile in it, does not have.
// b has been decoded into a Config already.
func checkKeys(b []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return fmt.Errorf("expected a JSON object: %w", err)
	}
	if err := unknownKeys(top, reflect.TypeFor[Config]()); err != nil {
		return err
	}
	var profiles []map[string]json.RawMessage
	for k, v := range top {
		if strings.EqualFold(k, "profiles") && json.Unmarshal(v, &profiles) != nil {
			return errors.New("profiles: expected a list of objects")
		}
	}
	for i, p := range profiles {
		if err := unknownKeys(p, reflect.TypeFor[Profile]()); err != nil {
			return fmt.Errorf("profile %d: %w", i+1, err)
		}
	}
	return nil
}

// unknownKeys names the keys of obj that the struct type t has no field
// for. Keys match as encoding/json matches them, ignoring case.
func unknownKeys(obj map[string]json.RawMessage, t reflect.Type) error {
	known := jsonKeys(t)
	var unknown []string
	for k := range obj {
		if !slices.ContainsFunc(known, func(f string) bool { return strings.EqualFold(f, k) }) {
			unknown = append(unknown, strconv.Quote(k))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	what := "unknown key "
	if len(unknown) > 1 {
		what = "unknown keys "
	}
	return fmt.Errorf("%s%s: expected %s", what, strings.Join(unknown, ", "), orList(known))
}

// jsonKeys lists the JSON names of the fields of the struct type t, in
// field order.
func jsonKeys(t reflect.Type) []string {
	var keys []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			keys = append(keys, name)
		}
	}
	return keys
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// Validate reports the first setting that is out of range.
func (c Config) Validate() error {
	if c.Timeout.Duration <= 0 {
		return fmt.Errorf("timeout must be positive, got %s", c.Timeout)
	}
	if c.Concurrency < 1 || c.Concurrency > 256 {
		return fmt.Errorf("concurrency must be between 1 and 256, got %d", c.Concurrency)
	}
	if c.IdleLimit.Duration <= 0 {
		return fmt.Errorf("idle_limit must be positive, got %s", c.IdleLimit)
	}
	seen := map[string]int{}
	for i, p := range c.Profiles {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("profile %d: %w", i+1, err)
		}
		if first, dup := seen[p.Name]; dup {
			return fmt.Errorf("profile %d: the name %q is profile %d's already", i+1, p.Name, first)
		}
		seen[p.Name] = i + 1
	}
	return nil
}

// Validate checks that the profile names a server by an http or https URL.
func (p Profile) Validate() error {
	if strings.TrimSpace(p.Name) == "" {
		return errors.New("name is empty")
	}
	_, err := ParseServerURL(p.URL)
	return err
}

// Profile returns the profile with the given name.
func (c Config) Profile(name string) (Profile, bool) {
	for _, p := range c.Profiles {
		if p.Name == name {
			return p, true
		}
	}
	return Profile{}, false
}

// ParseServerURL checks that s is an http or https URL with a host and
// returns the server's root URL: scheme and host, without the path, query
// or fragment of a page copied from a browser.
func ParseServerURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("server URL is empty: expected something like http://localhost:8069")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("server URL %q: expected http:// or https:// followed by a host, "+
			"such as http://localhost:8069", s)
	}
	if u.User != nil {
		return "", fmt.Errorf("server URL %q: leave credentials out of the URL", u.Redacted())
	}
	// Odoo serves its routes from the root: a URL copied from a browser
	// (/web#action=12, /odoo/contacts) names a page, not the server.
	return u.Scheme + "://" + u.Host, nil
}
