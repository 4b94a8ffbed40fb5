package app_test

import (
	"context"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// openExample returns an App on the CLI example dataset (MP-000123/T1 with the reading
// 10500 of 31 October 2026) on 2 December 2026, inside November's readings window.
func openExample(t *testing.T, dsn string) *app.App {
	t.Helper()
	a := open(t, dsn, time.Date(2026, 12, 2, 12, 0, 0, 0, calendar.Riga))
	f, err := os.Open("../dataset/testdata/cli-example.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := a.Import(context.Background(), f, "test"); err != nil {
		t.Fatalf("import: %v", err)
	}
	return a
}

func portalSub(point, register, day, value string) billing.Submission {
	return billing.Submission{Key: billing.RegisterKey{MeteringPoint: point, Register: register}, Date: d(day),
		Value: decimal.RequireFromString(value), Source: billing.SourcePortal, By: "anna@example.lv"}
}

func TestAddReadings(t *testing.T) {
	fix := portalSub("MP-000123", "T1", "2026-11-30", "11800")
	fix.Reason = "misread"
	tests := []struct {
		name   string
		subs   []billing.Submission
		commit bool
		stored bool
		errs   map[int]string  // row → error code
		keys   map[int]string  // row → message key
		kwh    map[int]float64 // row → consumption
	}{
		{name: "valid", commit: true, stored: true,
			subs: []billing.Submission{portalSub("MP-000123", "T1", "2026-11-27", "11700")}, kwh: map[int]float64{0: 1200}},
		{name: "two readings of one register in order", commit: true, stored: true,
			subs: []billing.Submission{portalSub("MP-000123", "T1", "2026-11-27", "11700"), fix}, kwh: map[int]float64{0: 1200, 1: 1300}},
		{name: "a correction without a reason", commit: true, stored: false,
			subs: []billing.Submission{portalSub("MP-000123", "T1", "2026-11-27", "11700"), portalSub("MP-000123", "T1", "2026-11-30", "11800")},
			errs: map[int]string{1: billing.ErrConflict}, keys: map[int]string{1: billing.MsgExists}, kwh: map[int]float64{0: 1200}},
		{name: "one bad row of each kind stores nothing", commit: true, stored: false,
			subs: []billing.Submission{portalSub("MP-000123", "T1", "2026-11-27", "11700"), portalSub("MP-404", "T1", "2026-11-27", "1"),
				portalSub("MP-000123", "T2", "2026-11-27", "1"), portalSub("MP-000123", "T1", "2026-12-28", "11800")},
			errs: map[int]string{1: billing.ErrNotFound, 2: billing.ErrNotFound, 3: billing.ErrInvalid},
			keys: map[int]string{1: billing.MsgNoPoint, 2: billing.MsgNoRegister, 3: billing.MsgAfterSubmitted}, kwh: map[int]float64{0: 1200}},
		{name: "lower than the previous reading", commit: true, stored: false,
			subs: []billing.Submission{portalSub("MP-000123", "T1", "2026-11-27", "9000")},
			errs: map[int]string{0: billing.ErrInvalid}, keys: map[int]string{0: billing.MsgRollover}},
		{name: "preview", commit: false, stored: false,
			subs: []billing.Submission{portalSub("MP-000123", "T1", "2026-11-27", "11700"), fix}, kwh: map[int]float64{0: 1200, 1: 1300}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, dsn string) {
				ctx := context.Background()
				a := openExample(t, dsn)
				key := billing.RegisterKey{MeteringPoint: "MP-000123", Register: "T1"}
				before, err := a.DB.Readings(ctx, key)
				if err != nil {
					t.Fatal(err)
				}
				out, stored, err := a.AddReadings(ctx, tc.subs, tc.commit)
				if err != nil {
					t.Fatal(err)
				}
				if stored != tc.stored || len(out) != len(tc.subs) {
					t.Fatalf("stored %v, %d outcomes; want %v, %d", stored, len(out), tc.stored, len(tc.subs))
				}
				for i, o := range out {
					if got := billing.ErrorCode(o.Err); got != tc.errs[i] {
						t.Errorf("row %d: %v (code %q), want code %q", i, o.Err, got, tc.errs[i])
					}
					var key string
					if be, ok := o.Err.(*billing.Error); ok {
						key = be.Key
					}
					if key != tc.keys[i] {
						t.Errorf("row %d: message key %q, want %q", i, key, tc.keys[i])
					}
					want, ok := tc.kwh[i]
					if c := o.Accepted.Consumption; ok != (c != nil) || ok && !c.Equal(decimal.NewFromFloat(want)) {
						t.Errorf("row %d: consumption %v, want %v", i, c, want)
					}
				}
				after, err := a.DB.Readings(ctx, key)
				if err != nil {
					t.Fatal(err)
				}
				added := 0
				if tc.stored {
					added = len(tc.subs)
				}
				if len(after) != len(before)+added {
					t.Errorf("%d readings stored, want %d", len(after)-len(before), added)
				}
			})
		})
	}
}

// TestAddReadingsThousandRows submits two months of readings for 500 registers in one batch.
func TestAddReadingsThousandRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := open(t, dsn, time.Date(2026, 12, 2, 12, 0, 0, 0, calendar.Riga))
		importGenerated(t, a, datagen.Config{Seed: 3, Contracts: 250, MinMeteringPoints: 2, MeteringPoints: 2, Months: 3, LastPeriod: d("2026-09-01")})
		codes, err := a.DB.MeteringPointCodes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sts, err := a.DB.RegisterStates(ctx, slices.Collect(maps.Keys(codes)))
		if err != nil {
			t.Fatal(err)
		}
		keys := slices.SortedFunc(maps.Keys(sts), func(x, y billing.RegisterKey) int { return strings.Compare(x.String(), y.String()) })
		if len(keys) < 500 {
			t.Fatalf("%d registers generated, want 500 or more", len(keys))
		}
		keys = keys[:500]
		var subs []billing.Submission
		for _, k := range keys {
			h := sts[k].History.Readings
			last := h[len(h)-1].Value
			for m, day := range []string{"2026-10-30", "2026-11-28"} {
				subs = append(subs, billing.Submission{Key: k, Date: d(day), Value: last.Add(decimal.NewFromInt(int64(10 * (m + 1)))),
					Source: billing.SourcePortal, By: "test"})
			}
		}
		out, stored, err := a.AddReadings(ctx, subs, true)
		if err != nil || !stored {
			for i, o := range out {
				if o.Err != nil {
					t.Errorf("row %d (%v): %v", i, subs[i].Key, o.Err)
				}
			}
			t.Fatalf("stored %v, err %v", stored, err)
		}
		var n int
		if err := a.DB.QueryRow(`SELECT count(*) FROM readings WHERE source = 'portal'`).Scan(&n); err != nil || n != len(subs) {
			t.Errorf("%d readings stored, err %v; want %d", n, err, len(subs))
		}
	})
}
