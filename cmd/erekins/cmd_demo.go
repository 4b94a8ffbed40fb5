package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/demo"
	"github.com/erekins/erekins/web/portal"
)

func cmdDemo(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("demo", e.stderr, &s)
	fs.Lookup("db").DefValue = "erekins-demo.db"
	if err := parse(fs, args); err != nil {
		return err
	}
	if !isSet(fs, "db") && envOr("EREKINS_DB", "") == "" {
		s.db = "erekins-demo.db"
	}
	if strings.Contains(s.db, "://") {
		return billing.Errorf(billing.ErrInvalid, "db", "the demo makes a fresh SQLite file; give a file path")
	}
	fmt.Fprintln(e.stdout, "erekins demo: building a fresh demo database …")
	started := time.Now()
	cfg, err := s.config()
	if err != nil {
		return err
	}
	// The demo's database is fresh each run, so a key of the run's own seals its TOTP keys.
	cfg.SecretKey = make([]byte, portal.SecretKeySize)
	rand.Read(cfg.SecretKey)
	a, sum, err := demo.Build(ctx, s.db, cfg, time.Now())
	if err != nil {
		return err
	}
	defer a.Close()
	abs, _ := filepath.Abs(sum.Path)
	fmt.Fprintf(e.stdout, "  imported %s\n  issued %d invoices up to %s (%s)\n  data lives in %s\n",
		sum.Imported, sum.Issued, sum.Today, time.Since(started).Round(time.Millisecond), abs)
	return serve(ctx, e, a, s.addr, func(u string) {
		fmt.Fprintf(e.stdout, "\nOpen %s/ — the customer portal. Sign in as one of these demo users (their passwords are public):\n", u)
		for _, du := range sum.Users {
			fmt.Fprintf(e.stdout, "  %-9s %-28s password %-22s at %s\n", du.Role, du.Email, du.Password, du.Customer)
		}
		fmt.Fprintf(e.stdout, "\nOpen %s/admin — the back office. Sign in as the demo operator:\n  %-9s %-28s password %s\n",
			u, "operator", sum.Operator.Email, sum.Operator.Password)
		fmt.Fprintf(e.stdout, "Health: %s/healthz. Stop with Ctrl-C.\n", u)
	})
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// redact hides a password in a database URL.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
