package app_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// BenchmarkImport imports a generated dataset of 2,000 contracts (about 4,000 registers and
// 56,000 readings, shaped like bench/gendata's) into a fresh database of each kind, and
// reports readings per second end to end: reading the file, validation, the billing rules
// and the transaction.
func BenchmarkImport(b *testing.B) {
	var buf bytes.Buffer
	lp := calendar.MustDate("2026-10-01")
	cfg := datagen.Config{Seed: 1, Contracts: 2000, MeteringPoints: 2, Months: 13, LastPeriod: lp,
		EInvoiceShare: 0.5, LegacyBaseline: true, BilledThrough: billing.MonthOf(lp).AddMonths(-1)}
	if err := datagen.Write(&buf, cfg); err != nil {
		b.Fatal(err)
	}
	doc := buf.Bytes()
	now := time.Date(2026, 11, 10, 12, 0, 0, 0, calendar.Riga)
	for _, kind := range sqldbtest.Kinds {
		b.Run(kind, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			readings := 0
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				a := openTB(b, sqldbtest.New(b, kind), now)
				b.StartTimer()
				started := time.Now()
				st, err := a.Import(context.Background(), bytes.NewReader(doc), "bench")
				if err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(started)
				readings += st.Readings
				b.StopTimer()
				a.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(readings)/elapsed.Seconds(), "readings/s")
		})
	}
}

// openTB is open for benchmarks too.
func openTB(tb testing.TB, dsn string, now time.Time) *app.App {
	tb.Helper()
	a, err := app.Open(context.Background(), dsn, app.Config{Rules: billing.DefaultRules()}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	a.Now = func() time.Time { return now }
	return a
}

// BenchmarkImportFile imports the file that EREKINS_BENCH_DATASET names (one from
// bench/gendata, say) into a fresh SQLite database, logging the time of each step.
func BenchmarkImportFile(b *testing.B) {
	name := os.Getenv("EREKINS_BENCH_DATASET")
	if name == "" {
		b.Skip("EREKINS_BENCH_DATASET names no dataset file")
	}
	now := time.Date(2026, 11, 10, 12, 0, 0, 0, calendar.Riga)
	readings := 0
	for b.Loop() {
		b.StopTimer()
		a := openTB(b, filepath.Join(b.TempDir(), "erekins.db"), now)
		a.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		st, err := a.Import(context.Background(), bufio.NewReaderSize(f, 1<<20), "bench")
		if err != nil {
			b.Fatal(err)
		}
		readings += st.Readings
		b.StopTimer()
		f.Close()
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(readings)/b.Elapsed().Seconds(), "readings/s")
}
