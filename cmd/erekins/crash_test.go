package main

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestCrashResume kills billing runs of over 2,000 invoices with SIGKILL at random points,
// resumes them, and checks that every contract and period was billed exactly once, with
// gapless numbers and every document stored.
func TestCrashResume(t *testing.T) {
	const contracts, periods = 160, 13
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		file := filepath.Join(t.TempDir(), "data.json")
		f, _ := os.Create(file)
		err := datagen.Write(f, datagen.Config{Seed: 3, Contracts: contracts, MeteringPoints: 2, Months: periods,
			LastPeriod: calendar.MustDate("2026-10-01"), SkipPeriod: calendar.MustDate("2026-04-01"), LegacyBaseline: true, EInvoiceShare: 0.5})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		mustCLI(t, dsn, "import", file)
		db, err := sqldb.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		count := func() int {
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM invoices`).Scan(&n); err != nil {
				t.Fatalf("count invoices: %v", err)
			}
			return n
		}

		rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
		total := contracts * periods
		kills := 0
		for round := 0; round < 5; round++ {
			target := count() + 1 + rng.IntN(total/5)
			cmd := exec.Command(binary, "bill", "--date", "2026-11-27")
			cmd.Env = append(os.Environ(), "EREKINS_DB="+dsn)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			deadline := time.Now().Add(2 * time.Minute)
		poll:
			for {
				select {
				case <-done:
					break poll
				case <-time.After(10 * time.Millisecond):
				}
				if count() >= target || time.Now().After(deadline) {
					cmd.Process.Kill() // SIGKILL: no deferred cleanup runs
					<-done
					kills++
					break
				}
			}
			t.Logf("round %d: %d of %d invoices after the kill", round, count(), total)
		}
		if kills == 0 {
			t.Errorf("no run was killed mid-way")
		}
		mustCLI(t, dsn, "bill", "--date", "2026-11-27")
		mustCLI(t, dsn, "bill", "--date", "2026-11-27")

		if n := count(); n != total {
			t.Errorf("%d invoices, want %d", n, total)
		}
		var dup int
		db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT contract_id, period_start FROM invoices GROUP BY contract_id, period_start HAVING count(*) > 1) d`).Scan(&dup)
		if dup > 0 {
			t.Errorf("%d contract periods billed more than once", dup)
		}
		var docs int
		db.QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&docs)
		if docs != total*4 {
			t.Errorf("%d documents, want %d", docs, total*4)
		}
		var estimates int
		db.QueryRowContext(ctx, `SELECT count(*) FROM readings WHERE source = 'estimate'`).Scan(&estimates)
		var registers int
		db.QueryRowContext(ctx, `SELECT count(*) FROM registers`).Scan(&registers)
		if estimates != registers {
			t.Errorf("%d estimates for the missing month, want one per register (%d)", estimates, registers)
		}
		checkGapless(t, db)
	})
}

var numberRE = regexp.MustCompile(`^(ER|KR)-(\d{4})-(\d{6})$`)

// checkGapless asserts that each series is numbered 1..n with no gap and no duplicate.
func checkGapless(t *testing.T, db *sqldb.DB) {
	t.Helper()
	rows, err := db.Query(`SELECT number FROM invoices`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]map[int]bool{}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		m := numberRE.FindStringSubmatch(n)
		if m == nil {
			t.Fatalf("number %q has an unexpected form", n)
		}
		series := m[1] + m[2]
		seq, _ := strconv.Atoi(m[3])
		if seen[series] == nil {
			seen[series] = map[int]bool{}
		}
		if seen[series][seq] {
			t.Errorf("number %s twice", n)
		}
		seen[series][seq] = true
	}
	for series, nums := range seen {
		for i := 1; i <= len(nums); i++ {
			if !nums[i] {
				t.Errorf("series %s has a gap at %d (of %d)", series, i, len(nums))
			}
		}
	}
	if len(seen) == 0 {
		t.Error("no numbers at all")
	}
}
