package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/erekins/erekins/billing"
)

// APIToken is a bearer token of the REST API: it acts for one customer with one role. Only
// the SHA-256 of its secret is stored.
type APIToken struct {
	ID         int64
	CustomerID int64
	Role       string
	Name       string
	TokenHash  string
	CreatedBy  string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero: never used
	RevokedAt  time.Time // zero: active
	RevokedBy  string
}

// Revoked reports whether the token no longer authenticates.
func (t APIToken) Revoked() bool { return !t.RevokedAt.IsZero() }

const apiTokenCols = `id, customer_id, role, name, token_hash, created_by, created_at, last_used_at, revoked_at, revoked_by`

func apiTokenDest(t *APIToken) []any {
	return []any{&t.ID, &t.CustomerID, &t.Role, &t.Name, &t.TokenHash, &t.CreatedBy, timeCol{&t.CreatedAt}, timeCol{&t.LastUsedAt},
		timeCol{&t.RevokedAt}, &t.RevokedBy}
}

// CreateAPIToken stores a new token and its audit entry (action api_token.create under the
// customer) in one transaction, and returns it with its id.
func (db *DB) CreateAPIToken(ctx context.Context, t APIToken) (APIToken, error) {
	if !validRole(t.Role) {
		return t, billing.Errorf(billing.ErrInvalid, "role", "%q is not a role", t.Role)
	}
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var reg string
		if err := tx.QueryRowContext(ctx, db.Q(`SELECT registration_number FROM customers WHERE id = ?`), t.CustomerID).Scan(&reg); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return billing.NotFound("customer", "")
			}
			return err
		}
		if err := tx.QueryRowContext(ctx, db.Q(`INSERT INTO api_tokens (customer_id, role, name, token_hash, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), t.CustomerID, t.Role, t.Name, t.TokenHash, t.CreatedBy, utc(t.CreatedAt)).Scan(&t.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, Audit{At: t.CreatedAt, Actor: t.CreatedBy, Action: "api_token.create", Entity: "customer", EntityKey: reg,
			Details: map[string]any{"token": t.ID, "name": t.Name, "role": t.Role}})
	})
	if err != nil {
		return APIToken{}, err
	}
	t.CreatedAt = utc(t.CreatedAt)
	return t, nil
}

// CustomerAPITokens lists a customer's tokens, revoked ones included, newest first.
func (db *DB) CustomerAPITokens(ctx context.Context, customerID int64) ([]APIToken, error) {
	rows, err := db.QueryContext(ctx, db.Q(`SELECT `+apiTokenCols+` FROM api_tokens WHERE customer_id = ? ORDER BY created_at DESC, id DESC`), customerID)
	if err != nil {
		return nil, err
	}
	var out []APIToken
	for rows.Next() {
		var t APIToken
		if err := rows.Scan(apiTokenDest(&t)...); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, t)
	}
	return out, closeRows(rows)
}

// APITokenByHash finds a token, revoked or not, by the SHA-256 of its secret.
func (db *DB) APITokenByHash(ctx context.Context, hash string) (APIToken, error) {
	var t APIToken
	err := db.QueryRowContext(ctx, db.Q(`SELECT `+apiTokenCols+` FROM api_tokens WHERE token_hash = ?`), hash).Scan(apiTokenDest(&t)...)
	if errors.Is(err, sql.ErrNoRows) {
		return t, billing.NotFound("API token", "")
	}
	return t, err
}

// TouchAPIToken records that a token was used at.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	_, err := db.ExecContext(ctx, db.Q(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), utc(at), id)
	return err
}

// RevokeAPIToken revokes one of the customer's tokens, with its audit entry, in one
// transaction. Another customer's token is not found, like a missing one; revoking a
// revoked token changes nothing.
func (db *DB) RevokeAPIToken(ctx context.Context, customerID, id int64, actor string, at time.Time) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var name, reg string
		var revoked time.Time
		err := tx.QueryRowContext(ctx, db.Q(`SELECT t.name, cu.registration_number, t.revoked_at FROM api_tokens t
			JOIN customers cu ON cu.id = t.customer_id WHERE t.id = ? AND t.customer_id = ?`), id, customerID).Scan(&name, &reg, timeCol{&revoked})
		if errors.Is(err, sql.ErrNoRows) {
			return billing.NotFound("API token", "")
		}
		if err != nil || !revoked.IsZero() {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Q(`UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND customer_id = ? AND revoked_at IS NULL`),
			utc(at), actor, id, customerID); err != nil {
			return err
		}
		return db.audit(ctx, tx, Audit{At: at, Actor: actor, Action: "api_token.revoke", Entity: "customer", EntityKey: reg,
			Details: map[string]any{"token": id, "name": name}})
	})
}

// CustomerAPITokenAudit returns the audit entries of a customer's tokens, newest first, at
// most limit.
func (db *DB) CustomerAPITokenAudit(ctx context.Context, registration string, limit int) ([]Audit, error) {
	all, err := db.auditEntries(ctx, `WHERE entity = 'customer' AND entity_key = ? AND action IN ('api_token.create', 'api_token.revoke') ORDER BY id DESC`,
		nil, registration)
	if err != nil {
		return nil, err
	}
	return all[:min(len(all), limit)], nil
}
