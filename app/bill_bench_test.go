package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/datagen"
)

// benchContracts is the size of the billing benchmarks' dataset: one invoice per contract.
const benchContracts = 2000

// billTemplate imports the benchmark dataset into a SQLite file once and returns its path.
func billTemplate(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "template.db")
	a, err := app.Open(context.Background(), path, app.Config{Rules: billing.DefaultRules()}, slog.New(slog.NewTextHandler(io.Discard, nil)))
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
	a.DB.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	a.Close()
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

// benchmarkBill bills the dataset on a fresh copy per iteration and reports invoices/s.
func benchmarkBill(b *testing.B, documents bool) {
	tmpl := billTemplate(b)
	ctx := context.Background()
	issued := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "bill.db")
		copyFile(b, tmpl, path)
		a, err := app.Open(ctx, path, app.Config{Rules: billing.DefaultRules()}, nil)
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

// BenchmarkBillSQLite is billing alone: compute, numbering, store (issue 2's measure).
func BenchmarkBillSQLite(b *testing.B) { benchmarkBill(b, false) }

// BenchmarkBillSQLiteDocuments adds PDF, UBL, CSV and JSON rendering and storage.
func BenchmarkBillSQLiteDocuments(b *testing.B) { benchmarkBill(b, true) }
