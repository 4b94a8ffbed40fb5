package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Outcomes of claiming an Idempotency-Key that another request has used.
var (
	// ErrKeyInProgress: the first request with the key has not answered yet.
	ErrKeyInProgress = errors.New("idempotency key: the first request with it is still running")
	// ErrKeyReused: the key came with a different request.
	ErrKeyReused = errors.New("idempotency key: used before with a different request")
)

// StoredResponse is the answer given to the first request with an Idempotency-Key.
type StoredResponse struct {
	Status int
	Body   []byte
}

// Idempotency is how long keys are kept: a key older than TTL is forgotten, and a claim
// still without a response after Stale counts as a crashed request's and may be claimed
// again.
type Idempotency struct {
	TTL, Stale time.Duration
}

// ClaimKey claims key for a customer's request with the given hash. It returns nil, nil
// when the key is new (the caller runs the request and calls SaveResponse or ReleaseKey),
// ErrKeyInProgress while the first request with it still runs, then the stored response
// when the same request was answered before and ErrKeyReused when the key came with
// another request.
// Keys of the customer older than TTL are deleted on the way.
func (db *DB) ClaimKey(ctx context.Context, p Idempotency, customerID int64, key, requestHash string, now time.Time) (*StoredResponse, error) {
	var out *StoredResponse
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM api_idempotency WHERE customer_id = ? AND (created_at < ?
			OR (idem_key = ? AND status = 0 AND created_at < ?))`), customerID, utc(now.Add(-p.TTL)), key, utc(now.Add(-p.Stale))); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, db.Q(`INSERT INTO api_idempotency (customer_id, idem_key, request_hash, created_at)
			VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`), customerID, key, requestHash, utc(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var hash string
		var r StoredResponse
		if err := tx.QueryRowContext(ctx, db.Q(`SELECT request_hash, status, body FROM api_idempotency WHERE customer_id = ? AND idem_key = ?`),
			customerID, key).Scan(&hash, &r.Status, &r.Body); err != nil {
			return err
		}
		switch {
		case r.Status == 0:
			return ErrKeyInProgress
		case hash != requestHash:
			return ErrKeyReused
		}
		out = &r
		return nil
	})
	return out, err
}

// SaveResponse stores the response to the request that claimed key.
func (db *DB) SaveResponse(ctx context.Context, customerID int64, key string, r StoredResponse) error {
	return db.Tx(ctx, func(tx *sql.Tx) error { return db.SaveResponseIn(ctx, tx, customerID, key, r) })
}

// SaveResponseIn is SaveResponse inside a transaction, so that the response is kept exactly
// when the request's own writes commit.
func (db *DB) SaveResponseIn(ctx context.Context, tx *sql.Tx, customerID int64, key string, r StoredResponse) error {
	_, err := tx.ExecContext(ctx, db.Q(`UPDATE api_idempotency SET status = ?, body = ? WHERE customer_id = ? AND idem_key = ?`),
		r.Status, r.Body, customerID, key)
	if err != nil {
		return fmt.Errorf("save the response to an Idempotency-Key: %w", err)
	}
	return nil
}

// ReleaseKey forgets a claim that got no response (the request failed inside), so that
// the client may retry with the same key.
func (db *DB) ReleaseKey(ctx context.Context, customerID int64, key string) error {
	_, err := db.ExecContext(ctx, db.Q(`DELETE FROM api_idempotency WHERE customer_id = ? AND idem_key = ? AND status = 0`), customerID, key)
	return err
}
