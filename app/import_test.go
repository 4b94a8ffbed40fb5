package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/dataset"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// generated is a dataset of 60 contracts with about 1,700 readings: several batches of
// inserts and a partial one.
func generated(t *testing.T) []byte {
	t.Helper()
	lp := d("2026-10-01")
	var buf bytes.Buffer
	if err := datagen.Write(&buf, datagen.Config{Seed: 3, Contracts: 60, MeteringPoints: 2, Months: 13, LastPeriod: lp,
		EInvoiceShare: 0.5, LegacyBaseline: true, BilledThrough: lp.AddMonths(-1)}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The import stores every reading of the file as the file gives it, and a second import
// of the same file stores nothing more.
func TestImportStoresEveryReading(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := open(t, dsn, time.Date(2026, 11, 10, 12, 0, 0, 0, calendar.Riga))
		doc := generated(t)
		want, err := dataset.Load(bytes.NewReader(doc), nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := a.Import(ctx, bytes.NewReader(doc), "test")
		if err != nil {
			t.Fatal(err)
		}
		if st.Readings != len(want.Readings) || st.Readings < 1200 {
			t.Fatalf("stored %d readings, want %d", st.Readings, len(want.Readings))
		}
		byKey := map[billing.RegisterKey][]dataset.Reading{}
		for _, r := range want.Readings {
			k := billing.RegisterKey{MeteringPoint: r.MeteringPoint, Register: r.Register}
			byKey[k] = append(byKey[k], r)
		}
		for k, rs := range byKey {
			got, err := a.DB.Readings(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(rs) {
				t.Fatalf("%s: %d readings stored, want %d", k, len(got), len(rs))
			}
			for i, g := range got {
				w := rs[i]
				if g.ID == 0 || !g.Date.Equal(w.Date) || !g.Value.Equal(w.Value) || g.Source != w.Source || g.SubmittedBy != "import" ||
					!g.SubmittedAt.Equal(w.SubmittedAt) || g.Confirmed != w.Confirmed || g.Supersedes != 0 || g.Reason != "" {
					t.Fatalf("%s: stored %+v, want %+v", k, g, w.Reading)
				}
			}
		}
		again, err := a.Import(ctx, bytes.NewReader(doc), "test")
		if err != nil {
			t.Fatal(err)
		}
		if again.Readings != 0 || again.Customers != 60 {
			t.Errorf("second import: %+v, want the customers again and no reading", again)
		}
	})
}

// Readings that break the billing rules are all listed, in date order, and nothing of the
// file is stored.
func TestImportReadingRules(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := open(t, dsn, time.Date(2026, 11, 10, 12, 0, 0, 0, calendar.Riga))
		var doc map[string]any
		if err := json.Unmarshal(generated(t), &doc); err != nil {
			t.Fatal(err)
		}
		readings := doc["readings"].([]any)
		reading := func(i int) map[string]any { return readings[i].(map[string]any) }
		// The last reading of one register lower than its previous one, and a huge one of
		// another, which needs confirming.
		last := map[string]int{}
		for i := range readings {
			last[reading(i)["metering_point"].(string)+"/"+reading(i)["register"].(string)] = i
		}
		var lower, huge int
		n := 0
		for _, i := range last {
			switch n {
			case 0:
				lower = i
			case 1:
				huge = i
			}
			n++
		}
		reading(lower)["value"] = "0"
		reading(huge)["value"] = "999999"
		doc["readings"] = readings
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.Import(ctx, bytes.NewReader(b), "test")
		var errs dataset.Errors
		if !errors.As(err, &errs) {
			t.Fatalf("import: %v, want dataset.Errors", err)
		}
		if len(errs) != 2 || !strings.Contains(errs.Error(), "lower than") || !strings.Contains(errs.Error(), "confirm") {
			t.Fatalf("problems:\n%v\nwant one lower reading and one to confirm", errs)
		}
		for _, e := range errs {
			if !strings.HasPrefix(e.Record, "readings[") || e.Field != "value" {
				t.Errorf("problem %+v: want a reading's value", e)
			}
		}
		if codes, err := a.DB.MeteringPointCodes(ctx); err != nil || len(codes) != 0 {
			t.Errorf("stored %d metering points (%v), want none: all or nothing", len(codes), err)
		}
	})
}
