package sqldb_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

func customerID(t *testing.T, db *sqldb.DB) int64 {
	t.Helper()
	var id int64
	if err := db.QueryRow(`SELECT id FROM customers WHERE registration_number = '40003012345'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestAPITokens creates, finds, touches and revokes a token; every change is audited and
// another customer's id finds nothing.
func TestAPITokens(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seed(t, db)
		cust := customerID(t, db)
		now := time.Date(2026, 11, 28, 10, 0, 0, 123456789, time.UTC)
		if _, err := db.CreateAPIToken(ctx, sqldb.APIToken{CustomerID: cust, Role: "owner", Name: "x", TokenHash: "h0", CreatedBy: "a", CreatedAt: now}); billing.ErrorCode(err) != billing.ErrInvalid {
			t.Errorf("unknown role: %v, want invalid", err)
		}
		tok, err := db.CreateAPIToken(ctx, sqldb.APIToken{CustomerID: cust, Role: sqldb.RoleReadings, Name: "Horizon", TokenHash: "h1", CreatedBy: "boss@example.lv", CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateAPIToken(ctx, sqldb.APIToken{CustomerID: cust, Role: sqldb.RoleViewer, Name: "dup", TokenHash: "h1", CreatedBy: "a", CreatedAt: now}); err == nil {
			t.Error("a second token with the same hash was stored")
		}
		got, err := db.APITokenByHash(ctx, "h1")
		if err != nil || got.ID != tok.ID || got.CustomerID != cust || got.Role != sqldb.RoleReadings || !got.CreatedAt.Equal(now.Truncate(time.Microsecond)) || !got.LastUsedAt.IsZero() || got.Revoked() {
			t.Fatalf("by hash: %+v, %v", got, err)
		}
		if _, err := db.APITokenByHash(ctx, "nope"); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("unknown hash: %v", err)
		}
		if err := db.TouchAPIToken(ctx, tok.ID, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeAPIToken(ctx, cust+1, tok.ID, "intruder", now); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("revoke with another customer: %v, want not found", err)
		}
		for range 2 { // the second time changes nothing
			if err := db.RevokeAPIToken(ctx, cust, tok.ID, "boss@example.lv", now.Add(2*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		list, err := db.CustomerAPITokens(ctx, cust)
		if err != nil || len(list) != 1 || !list[0].Revoked() || list[0].RevokedBy != "boss@example.lv" || !list[0].LastUsedAt.Equal(now.Add(time.Minute).Truncate(time.Microsecond)) {
			t.Fatalf("list: %+v, %v", list, err)
		}
		if other, err := db.CustomerAPITokens(ctx, cust+1); err != nil || len(other) != 0 {
			t.Errorf("another customer's list: %+v, %v", other, err)
		}
		audit, err := db.CustomerAPITokenAudit(ctx, "40003012345", 10)
		if err != nil || len(audit) != 2 || audit[0].Action != "api_token.revoke" || audit[1].Action != "api_token.create" || audit[1].Actor != "boss@example.lv" {
			t.Errorf("audit: %+v, %v", audit, err)
		}
	})
}

// TestAPIIdempotency claims keys: new, in progress, reused with another request, answered,
// released, stale and expired; concurrent claims of one key let exactly one through.
func TestAPIIdempotency(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seed(t, db)
		cust := customerID(t, db)
		p := sqldb.Idempotency{TTL: 24 * time.Hour, Stale: 5 * time.Minute}
		now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		claim := func(key, hash string, at time.Time) (*sqldb.StoredResponse, error) {
			return db.ClaimKey(ctx, p, cust, key, hash, at)
		}
		if r, err := claim("k1", "A", now); r != nil || err != nil {
			t.Fatalf("new key: %v %v", r, err)
		}
		if _, err := claim("k1", "A", now); !errors.Is(err, sqldb.ErrKeyInProgress) {
			t.Errorf("in progress: %v", err)
		}
		if _, err := claim("k1", "B", now); !errors.Is(err, sqldb.ErrKeyInProgress) {
			t.Errorf("other request while in progress: %v", err)
		}
		if err := db.SaveResponse(ctx, cust, "k1", sqldb.StoredResponse{Status: 201, Body: []byte(`{"ok":true}`)}); err != nil {
			t.Fatal(err)
		}
		if _, err := claim("k1", "B", now); !errors.Is(err, sqldb.ErrKeyReused) {
			t.Errorf("other request: %v", err)
		}
		if r, err := claim("k1", "A", now.Add(time.Hour)); err != nil || r == nil || r.Status != 201 || string(r.Body) != `{"ok":true}` {
			t.Errorf("replay: %+v %v", r, err)
		}
		if r, err := claim("k1", "B", now.Add(25*time.Hour)); r != nil || err != nil {
			t.Errorf("after 24 h the key is new again: %v %v", r, err)
		}
		claim("k2", "A", now)
		if err := db.ReleaseKey(ctx, cust, "k2"); err != nil {
			t.Fatal(err)
		}
		if r, err := claim("k2", "A", now); r != nil || err != nil {
			t.Errorf("released key: %v %v", r, err)
		}
		if r, err := claim("k2", "A", now.Add(6*time.Minute)); r != nil || err != nil {
			t.Errorf("stale claim: %v %v", r, err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for range 4 {
			wg.Go(func() {
				r, err := claim("k3", "A", now)
				if r == nil && err == nil {
					mu.Lock()
					won++
					mu.Unlock()
				} else if !errors.Is(err, sqldb.ErrKeyInProgress) {
					t.Errorf("concurrent claim: %v", err)
				}
			})
		}
		wg.Wait()
		if won != 1 {
			t.Errorf("%d concurrent claims won, want 1", won)
		}
	})
}
