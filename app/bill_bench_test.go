package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// benchContracts is the size of the billing benchmarks' dataset, one invoice per contract:
// 2,000, or EREKINS_BENCH_CONTRACTS (docs/performance.md bills 100,000).
var benchContracts = func() int {
	if n, err := strconv.Atoi(os.Getenv("EREKINS_BENCH_CONTRACTS")); err == nil && n > 0 {
		return n
	}
	return 2000
}()

// importBench imports the benchmark dataset into the database at dsn.
func importBench(b *testing.B, dsn string) {
	b.Helper()
	a, err := app.Open(context.Background(), dsn, app.Config{Rules: billing.DefaultRules()}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := datagen.Write(&buf, datagen.Config{Seed: 1, Contracts: benchContracts, MeteringPoints: 2, Months: 13,
		LastPeriod: d("2026-10-01"), BilledThrough: d("2026-09-01"), EInvoiceShare: 0.5}); err != nil {
		b.Fatal(err)
	}
	if _, err := a.Import(context.Background(), &buf, "bench"); err != nil {
		b.Fatal(err)
	}
	if a.DB.Dialect == sqldb.SQLite {
		a.DB.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	a.Close()
}

// billTemplate imports the benchmark dataset into a SQLite file once and returns its path.
func billTemplate(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "template.db")
	importBench(b, path)
	return path
}

func copyFile(b *testing.B, from, to string) {
	b.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		b.Fatal(err)
	}
}

// benchmarkBill bills the dataset on a fresh copy per iteration and reports invoices/s;
// fresh gives the copy's URL.
func benchmarkBill(b *testing.B, fresh func() string, documents bool) {
	ctx := context.Background()
	issued := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a, err := app.Open(ctx, fresh(), app.Config{Rules: billing.DefaultRules()}, nil)
		if err != nil {
			b.Fatal(err)
		}
		p, err := a.Planner(ctx)
		if err != nil {
			b.Fatal(err)
		}
		a.DB.OnIssue = nil // deliveries are measured by their own benchmarks
		biller := &billing.Biller{Store: a.DB, Planner: p}
		if documents {
			biller.Render = a.RenderAll
		}
		b.StartTimer()
		res, err := biller.Run(ctx, d("2026-11-27"))
		b.StopTimer()
		if err != nil || len(res.Failures) > 0 || len(res.Issued) != benchContracts {
			b.Fatalf("bill: %v, %d failures, %d issued", err, len(res.Failures), len(res.Issued))
		}
		issued += len(res.Issued)
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(issued)/b.Elapsed().Seconds(), "invoices/s")
}

func sqliteCopies(b *testing.B) func() string {
	tmpl := billTemplate(b)
	return func() string {
		path := filepath.Join(b.TempDir(), "bill.db")
		copyFile(b, tmpl, path)
		return path
	}
}

// postgresCopies imports once into a template database and hands out copies of it.
func postgresCopies(b *testing.B) func() string {
	tmpl := sqldbtest.New(b, "postgres")
	importBench(b, tmpl)
	u, _ := url.Parse(tmpl)
	name := strings.TrimPrefix(u.Path, "/")
	return func() string {
		dsn := sqldbtest.New(b, "postgres")
		cu, _ := url.Parse(dsn)
		copyName := strings.TrimPrefix(cu.Path, "/")
		admin, err := sql.Open("pgx", strings.Replace(dsn, "/"+copyName, "/postgres", 1))
		if err != nil {
			b.Fatal(err)
		}
		defer admin.Close()
		for _, q := range []string{"DROP DATABASE " + copyName, "CREATE DATABASE " + copyName + " TEMPLATE " + name} {
			if _, err := admin.Exec(q); err != nil {
				b.Fatal(err)
			}
		}
		return dsn
	}
}

// BenchmarkBillSQLite is billing alone: compute, numbering, store (issue 2's measure).
func BenchmarkBillSQLite(b *testing.B) { benchmarkBill(b, sqliteCopies(b), false) }

// BenchmarkBillSQLiteDocuments adds PDF, UBL, CSV and JSON rendering and storage.
func BenchmarkBillSQLiteDocuments(b *testing.B) { benchmarkBill(b, sqliteCopies(b), true) }

// BenchmarkBillPostgres and BenchmarkBillPostgresDocuments are the same on PostgreSQL.
func BenchmarkBillPostgres(b *testing.B)          { benchmarkBill(b, postgresCopies(b), false) }
func BenchmarkBillPostgresDocuments(b *testing.B) { benchmarkBill(b, postgresCopies(b), true) }
