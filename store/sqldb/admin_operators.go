package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/erekins/erekins/billing"
)

// Operator is one of the supplier's staff who signs in to the back office; an account
// apart from portal users, which belong to customers.
type Operator struct {
	ID           int64
	Email        string // lower-case
	Name         string
	PasswordHash string
	CreatedAt    time.Time
	DisabledAt   time.Time // zero: active
}

// Disabled reports whether the operator may no longer sign in.
func (o Operator) Disabled() bool { return !o.DisabledAt.IsZero() }

// CreateOperator stores a new operator, or gives an existing one with the same address the
// new name and password (and enables it again), with its audit entry.
func (db *DB) CreateOperator(ctx context.Context, o Operator, actor string, at time.Time) (Operator, error) {
	o.Email = NormalizeEmail(o.Email)
	o.CreatedAt = at
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, db.Q(`INSERT INTO operators (email, name, password_hash, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (email) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash, disabled_at = NULL
			RETURNING id`), o.Email, o.Name, o.PasswordHash, utc(at)).Scan(&o.ID); err != nil {
			return fmt.Errorf("store operator %s: %w", o.Email, err)
		}
		return db.audit(ctx, tx, Audit{At: at, Actor: actor, Action: "operator.add", Entity: "operator", EntityKey: o.Email,
			Details: map[string]any{"name": o.Name}})
	})
	return o, err
}

const operatorCols = `id, email, name, password_hash, created_at, disabled_at`

func scanOperator(row *sql.Row) (Operator, error) {
	var o Operator
	err := row.Scan(&o.ID, &o.Email, &o.Name, &o.PasswordHash, timeCol{&o.CreatedAt}, timeCol{&o.DisabledAt})
	if errors.Is(err, sql.ErrNoRows) {
		return o, billing.NotFound("operator", "")
	}
	return o, err
}

// OperatorByEmail returns the operator with the address.
func (db *DB) OperatorByEmail(ctx context.Context, email string) (Operator, error) {
	return scanOperator(db.QueryRowContext(ctx, db.Q(`SELECT `+operatorCols+` FROM operators WHERE email = ?`), NormalizeEmail(email)))
}

// Operator returns the operator with the id.
func (db *DB) Operator(ctx context.Context, id int64) (Operator, error) {
	return scanOperator(db.QueryRowContext(ctx, db.Q(`SELECT `+operatorCols+` FROM operators WHERE id = ?`), id))
}

// AdminAudit writes one audit entry on its own, for back-office events that change no
// other row (an operator signing in).
func (db *DB) AdminAudit(ctx context.Context, a Audit) error {
	return db.audit(ctx, db, a)
}

// OperatorSession is a back-office session, found by the hash of its cookie token.
type OperatorSession struct {
	TokenHash  string
	OperatorID int64 // 0: not signed in
	CSRF       string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // the absolute end, whatever the activity
}

// CreateOperatorSession stores a new back-office session.
func (db *DB) CreateOperatorSession(ctx context.Context, s OperatorSession) error {
	_, err := db.ExecContext(ctx, db.Q(`INSERT INTO operator_sessions (token_hash, operator_id, csrf_token, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`), s.TokenHash, nullID(s.OperatorID), s.CSRF, utc(s.CreatedAt), utc(s.LastSeenAt), utc(s.ExpiresAt))
	return err
}

// OperatorSession returns the back-office session with the token hash.
func (db *DB) OperatorSession(ctx context.Context, tokenHash string) (OperatorSession, error) {
	s := OperatorSession{TokenHash: tokenHash}
	var op sql.NullInt64
	err := db.QueryRowContext(ctx, db.Q(`SELECT operator_id, csrf_token, created_at, last_seen_at, expires_at
		FROM operator_sessions WHERE token_hash = ?`), tokenHash).
		Scan(&op, &s.CSRF, timeCol{&s.CreatedAt}, timeCol{&s.LastSeenAt}, timeCol{&s.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return s, billing.NotFound("session", "")
	}
	s.OperatorID = op.Int64
	return s, err
}

// TouchOperatorSession records activity on a back-office session.
func (db *DB) TouchOperatorSession(ctx context.Context, tokenHash string, at time.Time) error {
	_, err := db.ExecContext(ctx, db.Q(`UPDATE operator_sessions SET last_seen_at = ? WHERE token_hash = ?`), utc(at), tokenHash)
	return err
}

// DeleteOperatorSession ends a back-office session.
func (db *DB) DeleteOperatorSession(ctx context.Context, tokenHash string) error {
	_, err := db.ExecContext(ctx, db.Q(`DELETE FROM operator_sessions WHERE token_hash = ?`), tokenHash)
	return err
}

// DeleteExpiredOperatorSessions removes back-office sessions past their absolute end or idle
// since before idleSince.
func (db *DB) DeleteExpiredOperatorSessions(ctx context.Context, now, idleSince time.Time) (int64, error) {
	res, err := db.ExecContext(ctx, db.Q(`DELETE FROM operator_sessions WHERE expires_at < ? OR last_seen_at < ?`), utc(now), utc(idleSince))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
