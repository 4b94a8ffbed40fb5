package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

func TestPortalUsersAndSessions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seed(t, db)
		now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		u, err := db.CreatePortalUser(ctx, sqldb.PortalUser{Email: " Anna@Example.LV ", Name: "Anna", PasswordHash: "h1"}, "40003012345", sqldb.RoleBilling, "test", now)
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "anna@example.lv" {
			t.Errorf("stored address %q, want it lower-case and trimmed", u.Email)
		}
		// The same address again: one user, the new role, the new hash.
		if _, err := db.CreatePortalUser(ctx, sqldb.PortalUser{Email: "anna@example.lv", Name: "Anna B", PasswordHash: "h2"}, "40003012345", sqldb.RoleAdmin, "test", now); err != nil {
			t.Fatal(err)
		}
		got, err := db.PortalUserByEmail(ctx, "ANNA@example.lv")
		if err != nil || got.ID != u.ID || got.PasswordHash != "h2" || got.Name != "Anna B" || got.Language != "lv" {
			t.Fatalf("user %+v, %v", got, err)
		}
		ms, err := db.Memberships(ctx, u.ID)
		if err != nil || len(ms) != 1 || ms[0].Role != sqldb.RoleAdmin || ms[0].Registration != "40003012345" {
			t.Errorf("memberships %+v, %v", ms, err)
		}
		for _, bad := range []struct{ reg, role, code string }{{"40003012345", "owner", billing.ErrInvalid}, {"49999999999", sqldb.RoleViewer, billing.ErrNotFound}} {
			if _, err := db.CreatePortalUser(ctx, sqldb.PortalUser{Email: "x@example.lv", Name: "X", PasswordHash: "h"}, bad.reg, bad.role, "test", now); billing.ErrorCode(err) != bad.code {
				t.Errorf("customer %s role %s: %v, want %s", bad.reg, bad.role, err, bad.code)
			}
		}
		if _, err := db.PortalUserByEmail(ctx, "x@example.lv"); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("a rejected user was stored: %v", err)
		}
		if a, err := db.AuditLog(ctx, "portal_user", "anna@example.lv"); err != nil || len(a) != 2 {
			t.Errorf("audit %d entries, %v", len(a), err)
		}

		s := sqldb.PortalSession{TokenHash: "abc", UserID: u.ID, CustomerID: ms[0].CustomerID, CSRF: "t", Language: "en",
			CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour)}
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		anon := sqldb.PortalSession{TokenHash: "anon", CSRF: "t2", Language: "lv", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := db.CreateSession(ctx, anon); err != nil {
			t.Fatal(err)
		}
		gs, err := db.Session(ctx, "abc")
		if err != nil || gs.UserID != u.ID || gs.CSRF != "t" || !gs.ExpiresAt.Equal(s.ExpiresAt) || !gs.LastSeenAt.Equal(now) {
			t.Fatalf("session %+v, %v", gs, err)
		}
		if ga, err := db.Session(ctx, "anon"); err != nil || ga.UserID != 0 || ga.CustomerID != 0 {
			t.Errorf("anonymous session %+v, %v", ga, err)
		}
		if err := db.TouchSession(ctx, "abc", now.Add(20*time.Minute)); err != nil {
			t.Fatal(err)
		}
		// At +40 min with a 30 min idle limit: the anonymous session is idle, the other not.
		n, err := db.DeleteExpiredSessions(ctx, now.Add(40*time.Minute), now.Add(10*time.Minute))
		if err != nil || n != 1 {
			t.Errorf("deleted %d, %v; want the idle one", n, err)
		}
		if _, err := db.Session(ctx, "anon"); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("idle session still there: %v", err)
		}
		if err := db.DeleteSession(ctx, "abc"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Session(ctx, "abc"); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("deleted session still there: %v", err)
		}
	})
}

func TestSigninAttempts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		t0 := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
		for i := range 3 {
			db.SigninAttempt(ctx, "a@example.lv", "10.0.0.1", at(i), false)
		}
		db.SigninAttempt(ctx, "b@example.lv", "10.0.0.1", at(3), false)
		byEmail, byIP, err := db.FailedSignins(ctx, "A@example.lv", "10.0.0.1", at(-1))
		if err != nil || byEmail != 3 || byIP != 4 {
			t.Errorf("failures %d by address, %d by IP, %v; want 3 and 4", byEmail, byIP, err)
		}
		if byEmail, _, _ := db.FailedSignins(ctx, "a@example.lv", "10.0.0.1", at(1)); byEmail != 2 {
			t.Errorf("failures in the window: %d, want 2", byEmail)
		}
		// A success clears the address's count, not the client's.
		db.SigninAttempt(ctx, "a@example.lv", "10.0.0.1", at(5), true)
		db.SigninAttempt(ctx, "a@example.lv", "10.0.0.1", at(6), false)
		if byEmail, byIP, _ := db.FailedSignins(ctx, "a@example.lv", "10.0.0.1", at(-1)); byEmail != 1 || byIP != 5 {
			t.Errorf("after a success: %d by address, %d by IP; want 1 and 5", byEmail, byIP)
		}
		if err := db.PruneSigninAttempts(ctx, at(4)); err != nil {
			t.Fatal(err)
		}
		if _, byIP, _ := db.FailedSignins(ctx, "a@example.lv", "10.0.0.1", at(-1)); byIP != 1 {
			t.Errorf("after pruning: %d by IP, want 1", byIP)
		}
	})
}
