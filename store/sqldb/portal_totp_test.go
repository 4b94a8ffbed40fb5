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

// TestTOTPStore walks a user's second factor through its life on both databases: a pending
// key, enabling, steps accepted once (also when requests race), recovery codes spent once,
// regeneration, the pending sign-in in a session, the profile, a password change, and
// disabling.
func TestTOTPStore(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seed(t, db)
		now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		u, err := db.CreatePortalUser(ctx, sqldb.PortalUser{Email: "anna@example.lv", Name: "Anna", PasswordHash: "h"}, "40003012345", sqldb.RoleAdmin, "test", now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserTOTP(ctx, u.ID); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Fatalf("no key yet: %v", err)
		}
		// A pending key can be replaced until it is confirmed.
		for _, secret := range []string{"FIRSTSECRET", "SECONDSECRET"} {
			if err := db.StartTOTP(ctx, u.ID, secret, now); err != nil {
				t.Fatal(err)
			}
		}
		k, err := db.UserTOTP(ctx, u.ID)
		if err != nil || k.Secret != "SECONDSECRET" || k.Enabled() {
			t.Fatalf("pending key %+v, %v", k, err)
		}
		if err := db.UseSecondFactor(ctx, u.ID, sqldb.SecondFactor{Step: 100}, now); billing.ErrorCode(err) != billing.ErrInvalid {
			t.Errorf("a code of a pending key: %v", err)
		}
		if err := db.EnableTOTP(ctx, u.ID, 100, []string{"c1", "c2", "c3"}, u.Email, now); err != nil {
			t.Fatal(err)
		}
		if err := db.EnableTOTP(ctx, u.ID, 101, nil, u.Email, now); billing.ErrorCode(err) != billing.ErrConflict {
			t.Errorf("enabling twice: %v", err)
		}
		if err := db.StartTOTP(ctx, u.ID, "THIRD", now); billing.ErrorCode(err) != billing.ErrConflict {
			t.Errorf("a new key while one is on: %v", err)
		}
		// Steps: the confirming one and earlier ones are spent; a later one is taken once,
		// by exactly one of several racing requests.
		for _, step := range []int64{99, 100} {
			if err := db.UseSecondFactor(ctx, u.ID, sqldb.SecondFactor{Step: step}, now); billing.ErrorCode(err) != billing.ErrInvalid {
				t.Errorf("step %d again: %v", step, err)
			}
		}
		race := func(f sqldb.SecondFactor) int {
			var wg sync.WaitGroup
			var mu sync.Mutex
			ok := 0
			for range 4 {
				wg.Go(func() {
					err := db.UseSecondFactor(ctx, u.ID, f, now)
					mu.Lock()
					defer mu.Unlock()
					if err == nil {
						ok++
					} else if billing.ErrorCode(err) != billing.ErrInvalid {
						t.Errorf("use %+v: %v", f, err)
					}
				})
			}
			wg.Wait()
			return ok
		}
		for _, f := range []sqldb.SecondFactor{{Step: 102}, {RecoveryHash: "c2"}} {
			if n := race(f); n != 1 {
				t.Errorf("%+v accepted %d times, want once", f, n)
			}
		}
		if err := db.UseSecondFactor(ctx, u.ID, sqldb.SecondFactor{RecoveryHash: "unknown"}, now); billing.ErrorCode(err) != billing.ErrInvalid {
			t.Errorf("an unknown recovery code: %v", err)
		}
		if n, err := db.RecoveryCodesLeft(ctx, u.ID); err != nil || n != 2 {
			t.Errorf("recovery codes left %d, %v; want 2", n, err)
		}
		// Regenerating needs an unspent factor and replaces every code.
		if err := db.RegenerateRecoveryCodes(ctx, u.ID, sqldb.SecondFactor{Step: 102}, []string{"n1"}, u.Email, now); billing.ErrorCode(err) != billing.ErrInvalid {
			t.Errorf("regenerate with a spent step: %v", err)
		}
		if err := db.RegenerateRecoveryCodes(ctx, u.ID, sqldb.SecondFactor{Step: 103}, []string{"n1", "n2"}, u.Email, now); err != nil {
			t.Fatal(err)
		}
		if err := db.UseSecondFactor(ctx, u.ID, sqldb.SecondFactor{RecoveryHash: "c1"}, now); billing.ErrorCode(err) != billing.ErrInvalid {
			t.Errorf("an old recovery code after regenerating: %v", err)
		}
		if n, _ := db.RecoveryCodesLeft(ctx, u.ID); n != 2 {
			t.Errorf("recovery codes after regenerating: %d", n)
		}

		// The pending sign-in lives in an anonymous session and goes with it.
		s := sqldb.PortalSession{TokenHash: "anon", CSRF: "x", Language: "lv", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PendingSignin(ctx, "anon"); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("pending in a fresh session: %v", err)
		}
		want := sqldb.PendingSignin{UserID: u.ID, Until: now.Add(5 * time.Minute), Next: "/invoices"}
		if err := db.SetPendingSignin(ctx, "anon", want); err != nil {
			t.Fatal(err)
		}
		if got, err := db.PendingSignin(ctx, "anon"); err != nil || got.UserID != want.UserID || !got.Until.Equal(want.Until) || got.Next != want.Next {
			t.Errorf("pending %+v, %v; want %+v", got, err, want)
		}
		if err := db.SetPendingSignin(ctx, "anon", sqldb.PendingSignin{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PendingSignin(ctx, "anon"); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("pending after clearing: %v", err)
		}

		// The user's own name and language; saving them unchanged writes no audit entry.
		for range 2 {
			if err := db.UpdateProfile(ctx, u.ID, "Anna Bērziņa", "en", now); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := db.PortalUser(ctx, u.ID); got.Name != "Anna Bērziņa" || got.Language != "en" {
			t.Errorf("profile %+v", got)
		}

		// A password change ends every session of the user and spends reset links.
		mine := sqldb.PortalSession{TokenHash: "mine", UserID: u.ID, CustomerID: 1, CSRF: "y", Language: "lv", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		ms, _ := db.Memberships(ctx, u.ID)
		mine.CustomerID = ms[0].CustomerID
		if err := db.CreateSession(ctx, mine); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreatePasswordReset(ctx, sqldb.PasswordReset{TokenHash: "reset", UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, now.Add(-time.Hour), 3); err != nil {
			t.Fatal(err)
		}
		if err := db.ChangePassword(ctx, u.ID, "new hash", now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Session(ctx, "mine"); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("the user's session after a password change: %v", err)
		}
		if _, err := db.Session(ctx, "anon"); err != nil {
			t.Errorf("an anonymous session went with the password change: %v", err)
		}
		if r, _ := db.PasswordResetByToken(ctx, "reset"); r.UsedAt.IsZero() {
			t.Error("a reset link still works after a password change")
		}
		if got, _ := db.PortalUser(ctx, u.ID); got.PasswordHash != "new hash" {
			t.Errorf("hash %q", got.PasswordHash)
		}

		// Disabling deletes the key and the codes.
		if err := db.DisableTOTP(ctx, u.ID, sqldb.SecondFactor{RecoveryHash: "n1"}, u.Email, now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserTOTP(ctx, u.ID); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("key after disabling: %v", err)
		}
		if n, _ := db.RecoveryCodesLeft(ctx, u.ID); n != 0 {
			t.Errorf("recovery codes after disabling: %d", n)
		}
		var actions []string
		entries, err := db.AuditLog(ctx, "portal_user", u.Email)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range entries {
			actions = append(actions, a.Action)
		}
		wantActions := []string{"user.add", "user.totp_enable", "user.totp_recovery_used", "user.totp_recovery", "user.profile", "user.password_change", "user.totp_disable"}
		if len(actions) != len(wantActions) {
			t.Fatalf("audit %v, want %v", actions, wantActions)
		}
		for i := range wantActions {
			if actions[i] != wantActions[i] {
				t.Errorf("audit %v, want %v", actions, wantActions)
				break
			}
		}
	})
}
