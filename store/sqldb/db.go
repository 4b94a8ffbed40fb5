// Package sqldb stores erekins in SQLite (the pure-Go modernc driver, the default) or in
// PostgreSQL (pgx), behind one implementation: the SQL is written once with `?`
// placeholders and rebound for PostgreSQL, and the few dialect differences are named in
// Dialect. Migrations are embedded per dialect and applied in a transaction per step.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" database/sql driver

	"github.com/erekins/erekins/billing"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Dialect is the SQL dialect of a database.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// DB is an open erekins database.
type DB struct {
	*sql.DB // all writes, and reads that must see them
	// Read is a pool for reads outside transactions. On SQLite it is a second pool of
	// read-only connections, which WAL lets run beside the single writer: billing loads the
	// next batch while it stores the last, and pages read while billing writes. On
	// PostgreSQL it is the same pool.
	Read    *sql.DB
	Dialect Dialect
	URL     string // as given, for messages; may hold a password, so never log it whole

	// OnIssue, when set, runs in the issuing transaction after each document and its
	// rendered forms are stored: delivery queues the document's e-mails and print-batch
	// entry there, so an invoice is never issued without its deliveries, nor the reverse.
	OnIssue func(ctx context.Context, tx *sql.Tx, inv *billing.Invoice, docs []billing.Document) error

	mu    sync.Mutex
	bound map[string]string // ?-queries rebound for PostgreSQL
}

// Open connects to dsn: a postgres:// or postgresql:// URL, or a SQLite file path (also
// "file:" URIs). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{URL: dsn, bound: map[string]string{}}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db.Dialect = Postgres
		cfg, perr := pgx.ParseConfig(dsn)
		if perr != nil {
			return nil, fmt.Errorf("database URL: %w", perr)
		}
		// Short queries only: PostgreSQL's JIT compiles a plan whose estimate looks large
		// (a stale estimate after a bulk load is enough) and costs hundreds of milliseconds
		// per query. A URL may still ask for it (?jit=on).
		if _, set := cfg.RuntimeParams["jit"]; !set {
			cfg.RuntimeParams["jit"] = "off"
		}
		db.DB = stdlib.OpenDB(*cfg)
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(16)
		db.Read = db.DB
	} else {
		if err := createSQLite(ctx, dsn); err != nil {
			return nil, err
		}
		db.DB, err = sql.Open("sqlite", sqliteDSN(dsn, false))
		// SQLite allows one writer at a time; one connection keeps River and erekins from
		// tripping over SQLITE_BUSY, and WAL keeps readers unblocked.
		db.SetMaxOpenConns(1)
		if err == nil {
			db.Read, err = sql.Open("sqlite", sqliteDSN(dsn, true))
			if err == nil {
				db.Read.SetMaxOpenConns(4)
				db.Read.SetMaxIdleConns(4)
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", db.Dialect, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", db.Dialect, err)
	}
	return db, nil
}

// createSQLite makes a new database file with 16 KiB pages, which take the stored documents
// in a quarter of the writes that the default 4 KiB pages need. The page size of a file is
// fixed when its first table is written, and the driver's connection pragmas come too late
// for it, so a new file is set up once here.
func createSQLite(ctx context.Context, path string) error {
	file := strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(file, '?'); i >= 0 {
		file = file[:i]
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) || file == ":memory:" {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+file)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, q := range []string{"PRAGMA page_size = 16384", "VACUUM", "PRAGMA journal_mode = WAL"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("create SQLite database %s: %w", file, err)
		}
	}
	return nil
}

// sqliteDSN adds the pragmas erekins relies on: busy_timeout first, so that setting WAL
// waits for a lock instead of failing, then WAL, foreign keys and NORMAL synchronous mode.
func sqliteDSN(path string, readOnly bool) string {
	if !strings.HasPrefix(path, "file:") {
		path = "file:" + path
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
	}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_time_format", "sqlite")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + q.Encode()
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.DB.Close()
	if db.Read != db.DB {
		err = errors.Join(err, db.Read.Close())
	}
	return err
}

// Q returns query with its ? placeholders in the database's dialect.
func (db *DB) Q(query string) string {
	if db.Dialect != Postgres {
		return query
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if q, ok := db.bound[query]; ok {
		return q
	}
	q := rebind(query)
	db.bound[query] = q
	return q
}

// rebind numbers the ? placeholders of query as $1, $2, … outside string literals.
func rebind(query string) string {
	var b strings.Builder
	n := 0
	inString := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inString = !inString
			b.WriteByte(c)
		case c == '?' && !inString:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Tx runs fn in a transaction, committing when fn returns nil and rolling back otherwise.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}
