package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/erekins/erekins/billing"
)

// PortalSession is a server-side portal session, found by the hash of its cookie token.
type PortalSession struct {
	TokenHash  string
	UserID     int64 // 0: not signed in
	CustomerID int64 // the customer the user acts for; 0 when not signed in
	CSRF       string
	Language   string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // the absolute end, whatever the activity
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s PortalSession) error {
	_, err := db.ExecContext(ctx, db.Q(`INSERT INTO portal_sessions (token_hash, user_id, customer_id, csrf_token, language,
		created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		s.TokenHash, nullID(s.UserID), nullID(s.CustomerID), s.CSRF, s.Language, utc(s.CreatedAt), utc(s.LastSeenAt), utc(s.ExpiresAt))
	return err
}

// Session returns the session with the token hash.
func (db *DB) Session(ctx context.Context, tokenHash string) (PortalSession, error) {
	s := PortalSession{TokenHash: tokenHash}
	var user, cust sql.NullInt64
	err := db.QueryRowContext(ctx, db.Q(`SELECT user_id, customer_id, csrf_token, language, created_at, last_seen_at, expires_at
		FROM portal_sessions WHERE token_hash = ?`), tokenHash).
		Scan(&user, &cust, &s.CSRF, &s.Language, timeCol{&s.CreatedAt}, timeCol{&s.LastSeenAt}, timeCol{&s.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return s, billing.NotFound("session", "")
	}
	s.UserID, s.CustomerID = user.Int64, cust.Int64
	return s, err
}

// TouchSession records activity on a session.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	_, err := db.ExecContext(ctx, db.Q(`UPDATE portal_sessions SET last_seen_at = ? WHERE token_hash = ?`), utc(at), tokenHash)
	return err
}

// SetSessionLanguage changes a session's language.
func (db *DB) SetSessionLanguage(ctx context.Context, tokenHash, lang string) error {
	_, err := db.ExecContext(ctx, db.Q(`UPDATE portal_sessions SET language = ? WHERE token_hash = ?`), lang, tokenHash)
	return err
}

// SetSessionCustomer changes the customer a session acts for; the caller checks membership.
func (db *DB) SetSessionCustomer(ctx context.Context, tokenHash string, customerID int64) error {
	_, err := db.ExecContext(ctx, db.Q(`UPDATE portal_sessions SET customer_id = ? WHERE token_hash = ?`), customerID, tokenHash)
	return err
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := db.ExecContext(ctx, db.Q(`DELETE FROM portal_sessions WHERE token_hash = ?`), tokenHash)
	return err
}

// DeleteExpiredSessions removes sessions past their absolute end or idle since before idleSince.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now, idleSince time.Time) (int64, error) {
	res, err := db.ExecContext(ctx, db.Q(`DELETE FROM portal_sessions WHERE expires_at < ? OR last_seen_at < ?`), utc(now), utc(idleSince))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
