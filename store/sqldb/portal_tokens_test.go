package sqldb_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestPortalTokensSingleUse uses one invitation and one reset link from several goroutines
// at once: exactly one succeeds; an expired link is not found.
func TestPortalTokensSingleUse(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seed(t, db)
		now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		admin, err := db.CreatePortalUser(ctx, sqldb.PortalUser{Email: "boss@example.lv", Name: "Boss", PasswordHash: "h"}, "40003012345", sqldb.RoleAdmin, "test", now)
		if err != nil {
			t.Fatal(err)
		}
		ms, _ := db.Memberships(ctx, admin.ID)
		cust := ms[0].CustomerID
		for _, v := range []sqldb.Invitation{
			{TokenHash: "live", CustomerID: cust, Email: "New@Example.lv", Role: sqldb.RoleBilling, InvitedBy: "boss@example.lv", CreatedAt: now, ExpiresAt: now.Add(time.Hour)},
			{TokenHash: "old", CustomerID: cust, Email: "late@example.lv", Role: sqldb.RoleViewer, InvitedBy: "boss@example.lv", CreatedAt: now, ExpiresAt: now.Add(time.Minute)},
		} {
			if err := db.CreateInvitation(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		if p, err := db.PendingInvitations(ctx, cust, now.Add(30*time.Minute)); err != nil || len(p) != 1 || p[0].Email != "new@example.lv" {
			t.Errorf("pending %+v, %v", p, err)
		}
		if _, err := db.AcceptInvitation(ctx, "old", "Late", "h", now.Add(2*time.Minute)); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("expired invitation: %v", err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for range 4 {
			wg.Go(func() {
				if _, err := db.AcceptInvitation(ctx, "live", "New", "h", now.Add(time.Minute)); err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				} else if billing.ErrorCode(err) != billing.ErrNotFound {
					t.Errorf("accept: %v", err)
				}
			})
		}
		wg.Wait()
		if ok != 1 {
			t.Errorf("the invitation was used %d times", ok)
		}
		u, err := db.PortalUserByEmail(ctx, "new@example.lv")
		if err != nil {
			t.Fatal(err)
		}
		if us, _ := db.CustomerUsers(ctx, cust); len(us) != 2 {
			t.Errorf("users %+v", us)
		}
		// The last admin cannot go; the newcomer can.
		if err := db.SetMemberRole(ctx, cust, admin.ID, "", "boss@example.lv", now); billing.ErrorCode(err) != billing.ErrConflict {
			t.Errorf("removing the last admin: %v", err)
		}
		// Reset links: the limit, then one use.
		for i, h := range []string{"r1", "r2", "r3"} {
			stored, err := db.CreatePasswordReset(ctx, sqldb.PasswordReset{TokenHash: h, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, now.Add(-time.Hour), 2)
			if err != nil || stored != (i < 2) {
				t.Errorf("reset %s: stored %v, %v", h, stored, err)
			}
		}
		if _, err := db.ResetPassword(ctx, "r1", "new hash", now.Add(2*time.Hour)); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("expired reset: %v", err)
		}
		if got, err := db.ResetPassword(ctx, "r2", "new hash", now.Add(time.Minute)); err != nil || got.ID != u.ID {
			t.Fatalf("reset: %+v %v", got, err)
		}
		// Every link of the user is spent by one use.
		if _, err := db.ResetPassword(ctx, "r1", "other", now.Add(2*time.Minute)); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("second link after a reset: %v", err)
		}
		if got, _ := db.PortalUserByEmail(ctx, "new@example.lv"); got.PasswordHash != "new hash" {
			t.Errorf("hash %q", got.PasswordHash)
		}
		if err := db.SetMemberRole(ctx, cust, u.ID, "", "boss@example.lv", now); err != nil {
			t.Errorf("remove: %v", err)
		}
	})
}
