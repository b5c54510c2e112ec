package cli

import (
	"errors"
	"flag"
	"os"
	"strconv"
	"strings"
)

// addProfileFlag adds --profile to fs, whose flags named like the fields of
// a profile (url, db, login) it fills in.
func addProfileFlag(fs *flag.FlagSet) *string {
	var fields []string
	for _, name := range []string{"url", "db", "login"} {
		if fs.Lookup(name) != nil {
			fields = append(fields, "--"+name)
		}
	}
	return fs.String("profile", "", "a server profile of the configuration file: it fills in "+
		strings.Join(fields, ", ")+" where not given")
}

// applyProfile sets the flags of fs that the command line left out (url,
// db and login, those fs has) from the configuration's profile name. An
// empty name does nothing.
func (g *globals) applyProfile(fs *flag.FlagSet, name string) error {
	if name == "" {
		return nil
	}
	p, ok := g.cfg.Profile(name)
	if !ok {
		return g.unknownProfile(fs.Name(), name)
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, v := range []struct{ flag, value string }{{"url", p.URL}, {"db", p.DB}, {"login", p.Login}} {
		f := fs.Lookup(v.flag)
		if f == nil || given[v.flag] || v.value == "" {
			continue
		}
		if err := f.Value.Set(v.value); err != nil {
			return usagef("%s: --profile %q: %s: %v", fs.Name(), name, v.flag, err)
		}
	}
	return nil
}

// unknownProfile is the error of a --profile that names no profile: it
// lists those the configuration has.
func (g *globals) unknownProfile(cmd, name string) error {
	file := g.configFile
	if file == "" {
		return usagef("%s: --profile %q: no configuration folder to hold profiles", cmd, name)
	}
	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
		return usagef("%s: --profile %q: there is no configuration file at %s to hold profiles",
			cmd, name, file)
	}
	if len(g.cfg.Profiles) == 0 {
		return usagef("%s: --profile %q: %s has no profiles", cmd, name, file)
	}
	names := make([]string, 0, len(g.cfg.Profiles))
	for _, p := range g.cfg.Profiles {
		names = append(names, strconv.Quote(p.Name))
	}
	return usagef("%s: --profile %q: no such profile in %s: expected one of %s", cmd, name, file,
		strings.Join(names, ", "))
}
