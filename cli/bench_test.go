package cli

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/odoo-sessions/odoo-sessions/config"
	"github.com/odoo-sessions/odoo-sessions/demoserver"
	"github.com/odoo-sessions/odoo-sessions/odoo"
	"github.com/odoo-sessions/odoo-sessions/sessions"
)

// BenchmarkCheck1000 checks 1,000 sessions through the three transports
// against the built-in server, 8 requests at a time.
func BenchmarkCheck1000(b *testing.B) {
	srv, err := demoserver.New(demoserver.Demo(15, time.Now))
	if err != nil {
		b.Fatal(err)
	}
	url, stop, err := srv.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer stop(context.Background())
	g := &globals{env: Env{Now: time.Now}, cfg: config.Default(), logger: slog.New(slog.DiscardHandler)}
	c, err := g.client(url)
	if err != nil {
		b.Fatal(err)
	}
	res, err := c.Login(context.Background(), odoo.LoginRequest{DB: "demo", Login: "demo", Password: "demo"})
	if err != nil {
		b.Fatal(err)
	}
	all := make([]sessions.Session, 1000)
	for i := range all {
		all[i] = sessions.Session{ID: sessions.NewID(), URL: url, SID: res.SID, State: sessions.StateActive}
	}

	b.ResetTimer()
	for b.Loop() {
		results := runChecks(context.Background(), g, all, odoo.Transports, 8)
		for _, r := range results {
			if len(r) != 3 || !r[0].Accepted {
				b.Fatalf("check results %+v, want three accepted", r)
			}
		}
	}
}
