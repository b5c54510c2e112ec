package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseServerURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr string
	}{
		{name: "plain", in: "http://localhost:8069", want: "http://localhost:8069"},
		{name: "trailing slash", in: " https://odoo.example.com/ ", want: "https://odoo.example.com"},
		{name: "browser page", in: "http://127.0.0.1:8069/web#action=12&model=res.partner",
			want: "http://127.0.0.1:8069"},
		{name: "odoo 17 path", in: "https://erp.example.com/odoo/contacts?debug=1", want: "https://erp.example.com"},
		{name: "empty", in: "", wantErr: "server URL is empty"},
		{name: "no scheme", in: "localhost:8069", wantErr: "expected http:// or https://"},
		{name: "ftp", in: "ftp://host", wantErr: "expected http:// or https://"},
		{name: "credentials", in: "http://admin:secret@host", wantErr: "leave credentials out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseServerURL(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseServerURL(%q) error = %v, want it to contain %q", tt.in, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Fatalf("error leaks the password: %v", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseServerURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		path    string
		want    Config
		wantErr string
	}{
		{name: "missing file gives defaults", path: filepath.Join(dir, "none.json"), want: Default()},
		{
			name: "overrides",
			path: write("ok.json", `{"timeout":"3s","concurrency":4,`+
				`"profiles":[{"name":"qa","url":"http://qa:8069","db":"qa"}]}`),
			want: Config{
				Timeout: Duration{3 * time.Second}, Concurrency: 4, IdleLimit: Duration{DefaultIdleLimit},
				Profiles: []Profile{{Name: "qa", URL: "http://qa:8069", DB: "qa"}},
			},
		},
		{name: "bad duration", path: write("bad.json", `{"timeout":"soon"}`), wantErr: `duration "soon"`},
		{name: "bad concurrency", path: write("conc.json", `{"concurrency":0}`), wantErr: "concurrency must be"},
		{name: "bad profile", path: write("prof.json", `{"profiles":[{"name":"x","url":"x"}]}`), wantErr: "profile 1"},
		{
			name: "one name twice",
			path: write("dup.json", `{"profiles":[{"name":"qa","url":"http://qa"},`+
				`{"name":"b","url":"http://b"},{"name":"qa","url":"http://qa2"}]}`),
			wantErr: `profile 3: the name "qa" is profile 1's already`,
		},
		{
			name: "misspelt key", path: write("typo.json", `{"timeut":"5s"}`),
			wantErr: "configuration " + filepath.Join(dir, "typo.json") +
				`: unknown key "timeut": expected timeout, concurrency, idle_limit or profiles`,
		},
		{
			name: "two unknown keys", path: write("typos.json", `{"timeut":"5s","concurency":2,"timeout":"1s"}`),
			wantErr: `unknown keys "concurency", "timeut": expected timeout,`,
		},
		{
			name: "unknown profile key",
			path: write("profkey.json", `{"profiles":[{"name":"qa","url":"http://qa"},`+
				`{"name":"b","url":"http://b","user":"x"}]}`),
			wantErr: `profile 2: unknown key "user": expected name, url, db or login`,
		},
		{
			name: "keys match as encoding/json matches them", path: write("case.json", `{"Timeout":"2s"}`),
			want: Config{Timeout: Duration{2 * time.Second}, Concurrency: DefaultConcurrency,
				IdleLimit: Duration{DefaultIdleLimit}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Load(tt.path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("Load mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
