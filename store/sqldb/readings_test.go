package sqldb_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/dataset"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// seedPoints stores one customer with one contract and n single-rate meters MP-1 … MP-n.
func seedPoints(t *testing.T, db *sqldb.DB, n int) {
	t.Helper()
	plan := billing.PricePlan{Code: "P", Components: []billing.Component{{Code: "E", Name: map[string]string{"lv": "E"}, Unit: billing.UnitKWh,
		VATCategory: "S", VATRate: decimal.NewFromInt(21), Prices: []billing.Price{{From: d("2025-01-01"), Price: decimal.RequireFromString("0.1")}}}}}
	mps := make([]billing.MeteringPoint, n)
	for i := range mps {
		mps[i] = billing.MeteringPoint{Code: fmt.Sprintf("MP-%d", i+1), Multiplier: 1, Digits: 6, Registers: []string{"T1"}}
	}
	ds := &dataset.Dataset{Version: 1, PricePlans: []billing.PricePlan{plan}, Customers: []dataset.Customer{{
		Customer: billing.Customer{RegistrationNumber: "40003012345", Name: "SIA Tests", Language: "lv",
			Address: billing.Address{Street: "Iela 1", City: "Rīga", PostalCode: "LV-1010", Country: "LV"}},
		Contracts: []billing.Contract{{Number: "K-1", Start: d("2026-01-01"), PricePlan: "P", PaymentTermDays: 15,
			Delivery: billing.DeliverySettings{Method: billing.Paper}, MeteringPoints: mps}},
	}}}
	if _, err := db.Import(context.Background(), ds, nil, "test", time.Now()); err != nil {
		t.Fatal(err)
	}
}

// sub is a reading of register T1 of the metering point, submitted on 1 May 2026.
func sub(point, day, value string) billing.Submission {
	return billing.Submission{Key: billing.RegisterKey{MeteringPoint: point, Register: "T1"}, Date: d(day),
		Value: decimal.RequireFromString(value), Source: billing.SourceOperator, By: "test",
		At: time.Date(2026, 5, 1, 12, 0, 0, 0, calendar.Riga)}
}

// addBatch runs DB.AddReadings with the rules, as the app does.
func addBatch(ctx context.Context, db *sqldb.DB, subs []billing.Submission, commit bool) ([]sqldb.ReadingOutcome, bool, error) {
	keys := make([]billing.RegisterKey, len(subs))
	for i, s := range subs {
		keys[i] = s.Key
	}
	rules := billing.DefaultRules()
	return db.AddReadings(ctx, keys, func(i int, st *billing.RegisterState) (billing.Accepted, error) { return rules.Accept(*st, subs[i]) }, commit)
}

// counts is how many readings and audit entries of readings are stored.
func counts(t *testing.T, db *sqldb.DB) (readings, audits int) {
	t.Helper()
	if err := db.QueryRow(`SELECT count(*) FROM readings`).Scan(&readings); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'reading.add'`).Scan(&audits); err != nil {
		t.Fatal(err)
	}
	return readings, audits
}

func TestAddReadingsBatch(t *testing.T) {
	tests := []struct {
		name   string
		subs   []billing.Submission
		commit bool
		stored bool
		errs   map[int]string // row → error code; the rest are accepted
	}{
		{name: "all valid", commit: true, stored: true,
			subs: []billing.Submission{sub("MP-1", "2026-01-31", "100"), sub("MP-2", "2026-01-31", "50"), sub("MP-3", "2026-02-27", "7")}},
		{name: "two readings of one register, in order", commit: true, stored: true,
			subs: []billing.Submission{sub("MP-1", "2026-01-31", "100"), sub("MP-1", "2026-02-27", "250")}},
		{name: "the second sees the first", commit: true, stored: false,
			subs: []billing.Submission{sub("MP-1", "2026-01-31", "100"), sub("MP-1", "2026-02-27", "90")},
			errs: map[int]string{1: billing.ErrInvalid}},
		{name: "one invalid stores nothing", commit: true, stored: false,
			subs: []billing.Submission{sub("MP-1", "2026-01-31", "100"), sub("MP-2", "2026-01-15", "50"), sub("MP-3", "2026-01-31", "-1"),
				sub("MP-9", "2026-01-31", "1"), {Key: billing.RegisterKey{MeteringPoint: "MP-2", Register: "T2"}, Date: d("2026-01-31"),
					Value: decimal.NewFromInt(1), At: time.Date(2026, 5, 1, 12, 0, 0, 0, calendar.Riga)}},
			errs: map[int]string{1: billing.ErrInvalid, 2: billing.ErrInvalid, 3: billing.ErrNotFound, 4: billing.ErrNotFound}},
		{name: "preview stores nothing", commit: false, stored: false,
			subs: []billing.Submission{sub("MP-1", "2026-01-31", "100"), sub("MP-1", "2026-02-27", "250")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, dsn string) {
				ctx := context.Background()
				db := open(t, dsn)
				seedPoints(t, db, 3)
				out, stored, err := addBatch(ctx, db, tc.subs, tc.commit)
				if err != nil {
					t.Fatal(err)
				}
				if stored != tc.stored || len(out) != len(tc.subs) {
					t.Fatalf("stored %v with %d outcomes; want %v with %d", stored, len(out), tc.stored, len(tc.subs))
				}
				for i, o := range out {
					if got := billing.ErrorCode(o.Err); got != tc.errs[i] {
						t.Errorf("row %d: error %v (code %q), want code %q", i, o.Err, got, tc.errs[i])
					}
					if o.Err == nil && (o.Accepted.Reading.ID == 0 || !o.Accepted.Reading.Value.Equal(tc.subs[i].Value)) {
						t.Errorf("row %d: accepted %+v, want the reading with its id", i, o.Accepted.Reading)
					}
				}
				want := 0
				if tc.stored {
					want = len(tc.subs)
				}
				if r, a := counts(t, db); r != want || a != want {
					t.Errorf("stored %d readings and %d audit entries, want %d each", r, a, want)
				}
			})
		})
	}
}

// TestAddReadingsConsumptionAndCorrection: a batch row's consumption counts from the row
// before it, and a correction in the same batch supersedes the row it corrects.
func TestAddReadingsConsumptionAndCorrection(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seedPoints(t, db, 1)
		fix := sub("MP-1", "2026-02-27", "260")
		fix.Reason = "misread"
		out, stored, err := addBatch(ctx, db, []billing.Submission{sub("MP-1", "2026-01-31", "100"), sub("MP-1", "2026-02-27", "250"), fix}, true)
		if err != nil || !stored {
			t.Fatalf("stored %v, err %v; outcomes %+v", stored, err, out)
		}
		if c := out[1].Accepted.Consumption; c == nil || !c.Equal(decimal.NewFromInt(150)) {
			t.Errorf("consumption of row 1 = %v, want 150", c)
		}
		if out[2].Accepted.Reading.Supersedes != out[1].Accepted.Reading.ID {
			t.Errorf("correction supersedes %d, want row 1's id %d", out[2].Accepted.Reading.Supersedes, out[1].Accepted.Reading.ID)
		}
		st, err := db.RegisterState(ctx, fix.Key)
		if err != nil || len(st.History.Readings) != 2 || !st.History.Readings[1].Value.Equal(decimal.NewFromInt(260)) {
			t.Errorf("effective history %+v, err %v; want January and the corrected February", st.History.Readings, err)
		}
	})
}

// TestAddReadingsThousand stores a batch of 1,000 readings: 250 metering points, four months each.
func TestAddReadingsThousand(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seedPoints(t, db, 250)
		var subs []billing.Submission
		for i := range 250 {
			for m, day := range []string{"2026-01-31", "2026-02-27", "2026-03-31", "2026-04-30"} {
				subs = append(subs, sub(fmt.Sprintf("MP-%d", i+1), day, fmt.Sprint(100*(m+1)+i)))
			}
		}
		out, stored, err := addBatch(ctx, db, subs, true)
		if err != nil || !stored {
			t.Fatalf("stored %v, err %v", stored, err)
		}
		for i, o := range out {
			if o.Err != nil {
				t.Fatalf("row %d: %v", i, o.Err)
			}
		}
		if r, a := counts(t, db); r != len(subs) || a != len(subs) {
			t.Errorf("stored %d readings and %d audit entries, want %d each", r, a, len(subs))
		}
	})
}

// TestAddReadingsConcurrent runs batches that share registers in opposite orders at once:
// each waits for the other instead of deadlocking, and both are stored.
func TestAddReadingsConcurrent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seedPoints(t, db, 2)
		batches := [][]billing.Submission{
			{sub("MP-1", "2026-01-31", "100"), sub("MP-2", "2026-01-31", "100")},
			{sub("MP-2", "2026-02-27", "200"), sub("MP-1", "2026-02-27", "200")},
		}
		var wg sync.WaitGroup
		stored := make([]bool, len(batches))
		errs := make([]error, len(batches))
		for i, b := range batches {
			wg.Go(func() { _, stored[i], errs[i] = addBatch(ctx, db, b, true) })
		}
		wg.Wait()
		for i := range batches {
			if errs[i] != nil || !stored[i] {
				t.Errorf("batch %d: stored %v, err %v", i, stored[i], errs[i])
			}
		}
	})
}

// TestAddReadingsThen: what the hook writes commits with the batch, and a hook that fails
// takes the batch back with it.
func TestAddReadingsThen(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seedPoints(t, db, 2)
		subs := []billing.Submission{sub("MP-1", "2026-01-31", "100"), sub("MP-2", "2026-01-31", "50")}
		keys := []billing.RegisterKey{subs[0].Key, subs[1].Key}
		rules := billing.DefaultRules()
		accept := func(i int, st *billing.RegisterState) (billing.Accepted, error) { return rules.Accept(*st, subs[i]) }

		hookFailed := fmt.Errorf("the hook's own write failed")
		if _, _, err := db.AddReadingsThen(ctx, keys, accept, func(tx *sql.Tx, out []sqldb.ReadingOutcome) error {
			if len(out) != 2 || out[0].Err != nil || out[1].Err != nil {
				t.Errorf("the hook got %+v, want two accepted readings", out)
			}
			return hookFailed
		}); !errors.Is(err, hookFailed) {
			t.Fatalf("err = %v, want the hook's", err)
		}
		if r, a := counts(t, db); r != 0 || a != 0 {
			t.Fatalf("after a failed hook: %d readings, %d audit entries stored, want none", r, a)
		}

		var seen int
		_, stored, err := db.AddReadingsThen(ctx, keys, accept, func(tx *sql.Tx, out []sqldb.ReadingOutcome) error {
			// The hook runs inside the batch's transaction: it sees the batch's readings.
			return tx.QueryRowContext(ctx, `SELECT count(*) FROM readings`).Scan(&seen)
		})
		if err != nil || !stored {
			t.Fatalf("stored = %v, err = %v", stored, err)
		}
		if r, _ := counts(t, db); seen != 2 || r != 2 {
			t.Errorf("the hook saw %d readings and %d are stored, want 2 and 2", seen, r)
		}
	})
}
