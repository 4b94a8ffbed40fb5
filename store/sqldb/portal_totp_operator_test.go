package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestTOTPOperatorDisable: an operator switches a user's second factor off — key, recovery
// codes and sessions (a pending sign-in too) go in one transaction with the audit entry;
// a reason is required, a user not the customer's is not found, a user without the second
// factor is a conflict; and ResealTOTP replaces only the value it was given.
func TestTOTPOperatorDisable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seed(t, db)
		now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		var custID int64
		if err := db.QueryRowContext(ctx, `SELECT id FROM customers WHERE registration_number = '40003012345'`).Scan(&custID); err != nil {
			t.Fatal(err)
		}
		users := map[string]sqldb.PortalUser{}
		for _, name := range []string{"anna", "berta"} {
			u, err := db.CreatePortalUser(ctx, sqldb.PortalUser{Email: name + "@example.lv", Name: name, PasswordHash: "h", Language: "en"},
				"40003012345", sqldb.RoleViewer, "test", now)
			if err != nil {
				t.Fatal(err)
			}
			users[name] = u
		}
		anna := users["anna"]
		if err := db.StartTOTP(ctx, anna.ID, "CLEAR", now); err != nil {
			t.Fatal(err)
		}
		// Resealing swaps the value only where it is still the one read.
		for _, tc := range []struct{ old, sealed, want string }{{"OTHER", "v1:x", "CLEAR"}, {"CLEAR", "v1:y", "v1:y"}} {
			if err := db.ResealTOTP(ctx, anna.ID, tc.old, tc.sealed); err != nil {
				t.Fatal(err)
			}
			if k, err := db.UserTOTP(ctx, anna.ID); err != nil || k.Secret != tc.want {
				t.Errorf("reseal %q: stored %q, want %q (%v)", tc.old, k.Secret, tc.want, err)
			}
		}
		if on, err := db.CustomerTwoFactorUsers(ctx, custID); err != nil || len(on) != 0 {
			t.Errorf("a pending key counts as on: %v %v", on, err)
		}
		if err := db.EnableTOTP(ctx, anna.ID, 1, []string{"r1", "r2"}, anna.Email, now); err != nil {
			t.Fatal(err)
		}
		if on, err := db.CustomerTwoFactorUsers(ctx, custID); err != nil || !on[anna.ID] || on[users["berta"].ID] {
			t.Errorf("users with the second factor: %v %v", on, err)
		}
		for _, s := range []sqldb.PortalSession{{TokenHash: "signed-in", UserID: anna.ID, CustomerID: custID}, {TokenHash: "pending"}, {TokenHash: "berta", UserID: users["berta"].ID, CustomerID: custID}} {
			s.CSRF, s.Language, s.CreatedAt, s.LastSeenAt, s.ExpiresAt = "c", "lv", now, now, now.Add(time.Hour)
			if err := db.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetPendingSignin(ctx, "pending", sqldb.PendingSignin{UserID: anna.ID, Until: now.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		count := func(q string, args ...any) int {
			var n int
			if err := db.QueryRowContext(ctx, db.Q(q), args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		state := func() [4]int {
			return [4]int{count(`SELECT count(*) FROM portal_totp WHERE user_id = ?`, anna.ID),
				count(`SELECT count(*) FROM portal_recovery_codes WHERE user_id = ?`, anna.ID),
				count(`SELECT count(*) FROM portal_sessions WHERE token_hash IN ('signed-in', 'pending')`),
				count(`SELECT count(*) FROM audit_log WHERE action = 'user.totp_disable'`)}
		}
		before := state()
		for _, tc := range []struct {
			name         string
			customer     int64
			user         int64
			reason, code string
		}{
			{"no reason", custID, anna.ID, "  ", billing.ErrInvalid},
			{"a reason too long", custID, anna.ID, strings.Repeat("x", 501), billing.ErrInvalid},
			{"another customer", custID + 1000, anna.ID, "called back", billing.ErrNotFound},
			{"no such user", custID, anna.ID + 1000, "called back", billing.ErrNotFound},
			{"second factor off", custID, users["berta"].ID, "called back", billing.ErrConflict},
		} {
			if _, err := db.OperatorDisableTOTP(ctx, tc.customer, tc.user, "olga@supplier.example.lv", tc.reason, now); billing.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		if after := state(); after != before {
			t.Errorf("refused requests changed key, codes, sessions, audit: %v, were %v", after, before)
		}
		u, err := db.OperatorDisableTOTP(ctx, custID, anna.ID, "olga@supplier.example.lv", " called back on the phone on file ", now)
		if err != nil || u.Email != anna.Email || u.Language != "en" {
			t.Fatalf("disable: %+v %v", u, err)
		}
		if got := state(); got != [4]int{0, 0, 0, before[3] + 1} {
			t.Errorf("after: key, codes, sessions, audit %v", got)
		}
		if s, err := db.Session(ctx, "berta"); err != nil || s.UserID != users["berta"].ID {
			t.Errorf("another user's session: %+v %v", s, err)
		}
		log, err := db.AuditLog(ctx, "portal_user", anna.Email)
		if err != nil || len(log) == 0 {
			t.Fatal(err)
		}
		last := log[len(log)-1]
		if last.Action != "user.totp_disable" || last.Actor != "olga@supplier.example.lv" || last.Details["reason"] != "called back on the phone on file" ||
			last.Details["customer"] != "40003012345" || last.Details["by"] != "operator" {
			t.Errorf("audit entry %+v", last)
		}
		if _, err := db.OperatorDisableTOTP(ctx, custID, anna.ID, "olga@supplier.example.lv", "again", now); billing.ErrorCode(err) != billing.ErrConflict {
			t.Errorf("a second time: %v", err)
		}
	})
}
