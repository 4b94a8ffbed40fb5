// Package sqldbtest gives tests a fresh, empty database of each kind: a SQLite file in the
// test's temporary directory, and a PostgreSQL database of its own on the server named by
// EREKINS_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres). Without a
// reachable PostgreSQL the PostgreSQL half skips loudly, except under CI=true, where it fails.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Kinds are the database kinds every storage test runs on.
var Kinds = []string{"sqlite", "postgres"}

// Each runs fn as a subtest once per database kind, each with a fresh database URL.
func Each(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) {
			fn(t, New(t, kind))
		})
	}
}

// New returns the URL of a fresh database of the kind, dropped when the test ends.
func New(t testing.TB, kind string) string {
	t.Helper()
	if kind == "sqlite" {
		return filepath.Join(t.TempDir(), "erekins.db")
	}
	return newPostgres(t)
}

func adminURL() string {
	if u := os.Getenv("EREKINS_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

func newPostgres(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", adminURL())
	if err == nil {
		err = admin.PingContext(ctx)
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		msg := fmt.Sprintf("PostgreSQL is not reachable at %s: %v", adminURL(), err)
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (CI=true requires it)", msg)
		}
		t.Skipf("SKIPPED, NOT TESTED ON POSTGRESQL: %s", msg)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "erekins_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
		admin.Close()
	})
	u, err := url.Parse(adminURL())
	if err != nil {
		t.Fatalf("parse EREKINS_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
