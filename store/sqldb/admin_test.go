package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

func TestAdminOperatorsAndSessions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		o, err := db.CreateOperator(ctx, sqldb.Operator{Email: " Olga@Example.LV ", Name: "Olga", PasswordHash: "h1"}, "test", now)
		if err != nil || o.Email != "olga@example.lv" || o.ID == 0 {
			t.Fatalf("create: %+v %v", o, err)
		}
		again, err := db.CreateOperator(ctx, sqldb.Operator{Email: "olga@example.lv", Name: "Olga B", PasswordHash: "h2"}, "test", now)
		if err != nil || again.ID != o.ID {
			t.Fatalf("the same address again: %+v %v, want the same operator", again, err)
		}
		got, err := db.OperatorByEmail(ctx, "OLGA@example.lv")
		if err != nil || got.Name != "Olga B" || got.PasswordHash != "h2" || got.Disabled() {
			t.Errorf("operator %+v, %v", got, err)
		}
		if _, err := db.OperatorByEmail(ctx, "nobody@example.lv"); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("unknown operator: %v, want not found", err)
		}
		if a, err := db.AuditLog(ctx, "operator", "olga@example.lv"); err != nil || len(a) != 2 || a[0].Action != "operator.add" {
			t.Errorf("audit %+v, %v", a, err)
		}
		// Operators are not portal users: the portal knows nothing of the address.
		if _, err := db.PortalUserByEmail(ctx, "olga@example.lv"); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("an operator is a portal user: %v", err)
		}

		s := sqldb.OperatorSession{TokenHash: "abc", OperatorID: o.ID, CSRF: "t", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour)}
		anon := sqldb.OperatorSession{TokenHash: "anon", CSRF: "t2", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(30 * time.Minute)}
		for _, x := range []sqldb.OperatorSession{s, anon} {
			if err := db.CreateOperatorSession(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		gs, err := db.OperatorSession(ctx, "abc")
		if err != nil || gs.OperatorID != o.ID || gs.CSRF != "t" || !gs.ExpiresAt.Equal(s.ExpiresAt) {
			t.Fatalf("session %+v, %v", gs, err)
		}
		if ga, err := db.OperatorSession(ctx, "anon"); err != nil || ga.OperatorID != 0 {
			t.Errorf("anonymous session %+v, %v", ga, err)
		}
		later := now.Add(45 * time.Minute)
		if err := db.TouchOperatorSession(ctx, "abc", later); err != nil {
			t.Fatal(err)
		}
		// The anonymous session is idle for 45 minutes and goes; the touched one stays.
		if n, err := db.DeleteExpiredOperatorSessions(ctx, later, later.Add(-30*time.Minute)); err != nil || n != 1 {
			t.Errorf("deleted %d, %v; want 1", n, err)
		}
		if _, err := db.OperatorSession(ctx, "anon"); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("idle session kept: %v", err)
		}
		if err := db.DeleteOperatorSession(ctx, "abc"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.OperatorSession(ctx, "abc"); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("ended session found: %v", err)
		}
	})
}

func TestAdminSearchCustomers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seed(t, db)
		for _, tc := range []struct {
			name, q string
			want    int
		}{
			{"name substring, other case", "tESTs", 1},
			{"registration number", "40003012345", 1},
			{"contract number", "K-1", 1},
			{"metering point code", "MP-1", 1},
			{"everyone", "", 1},
			{"a LIKE wildcard is a plain character", "%", 0},
			{"a part of a registration number", "4000301", 0},
			{"nothing", "Beta", 0},
		} {
			hits, total, err := db.AdminSearchCustomers(ctx, tc.q, 10, 0)
			if err != nil || total != tc.want || len(hits) != tc.want {
				t.Errorf("%s (%q): %d hits of %d, %v; want %d", tc.name, tc.q, len(hits), total, err, tc.want)
				continue
			}
			if tc.want == 1 && (hits[0].Registration != "40003012345" || hits[0].Contracts != 1) {
				t.Errorf("%s: hit %+v", tc.name, hits[0])
			}
		}
		if hits, total, err := db.AdminSearchCustomers(ctx, "", 10, 10); err != nil || total != 1 || len(hits) != 0 {
			t.Errorf("a page past the end: %d hits of %d, %v", len(hits), total, err)
		}
	})
}

func TestAdminMissingReadings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seed(t, db)
		rules := billing.DefaultRules()
		w := rules.WindowOf(billing.MonthOf(d("2026-01-31")))
		ms, total, err := db.AdminMissingReadings(ctx, w, 10, 0)
		if err != nil || total != 1 || len(ms) != 1 || ms[0].MeteringPoint != "MP-1" || ms[0].Register != "T1" ||
			ms[0].Registration != "40003012345" || !ms[0].LastReading.IsZero() {
			t.Fatalf("missing %+v of %d, %v; want MP-1/T1 without any reading", ms, total, err)
		}
		// A window before the contract starts has nothing missing.
		if _, total, err := db.AdminMissingReadings(ctx, rules.WindowOf(billing.MonthOf(d("2025-11-30"))), 10, 0); err != nil || total != 0 {
			t.Errorf("before the contract: %d missing, %v", total, err)
		}
		s := reading("2026-01-31", "100", time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC))
		if _, err := db.AddReading(ctx, s.Key, func(st *billing.RegisterState) (billing.Accepted, error) { return rules.Accept(*st, s) }); err != nil {
			t.Fatal(err)
		}
		if _, total, err := db.AdminMissingReadings(ctx, w, 10, 0); err != nil || total != 0 {
			t.Errorf("after the reading: %d missing, %v", total, err)
		}
		next := rules.WindowOf(billing.MonthOf(d("2026-02-28")))
		if ms, _, err := db.AdminMissingReadings(ctx, next, 10, 0); err != nil || len(ms) != 1 || ms[0].LastReading != d("2026-01-31") {
			t.Errorf("next window: %+v, %v; want the register with its last reading", ms, err)
		}
	})
}
