package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/erekins/erekins/billing"
)

// TOTP is a portal user's time-based one-time password key (RFC 6238). EnabledAt is zero
// while the user has yet to confirm the key with a code; LastStep is the last 30-second
// time step whose code was accepted, so no code is accepted twice.
type TOTP struct {
	UserID    int64
	Secret    string // as stored: sealed (web/portal/totp_seal.go) or base32 in clear
	CreatedAt time.Time
	EnabledAt time.Time
	LastStep  int64
}

// Enabled reports whether the second factor is switched on.
func (t TOTP) Enabled() bool { return !t.EnabledAt.IsZero() }

// SecondFactor is the proof a user gave besides the password: the time step whose TOTP code
// matched, or the hash of a recovery code.
type SecondFactor struct {
	Step         int64
	RecoveryHash string
}

// errCodeUsed is what a second factor that was already used gets: invalid, at the code.
func errCodeUsed() error {
	return billing.Errorf(billing.ErrInvalid, "code", "the code was already used")
}

// UserTOTP returns the user's TOTP key, enabled or pending; a user without one is not found.
func (db *DB) UserTOTP(ctx context.Context, userID int64) (TOTP, error) {
	t := TOTP{UserID: userID}
	err := db.QueryRowContext(ctx, db.Q(`SELECT secret, created_at, enabled_at, last_step FROM portal_totp WHERE user_id = ?`), userID).
		Scan(&t.Secret, timeCol{&t.CreatedAt}, timeCol{&t.EnabledAt}, &t.LastStep)
	if errors.Is(err, sql.ErrNoRows) {
		return t, billing.NotFound("totp", "")
	}
	return t, err
}

// StartTOTP stores a new key for the user to confirm, replacing one not yet confirmed. A
// user whose second factor is on already is a conflict.
func (db *DB) StartTOTP(ctx context.Context, userID int64, secret string, at time.Time) error {
	res, err := db.ExecContext(ctx, db.Q(`INSERT INTO portal_totp (user_id, secret, created_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, last_step = 0
		WHERE portal_totp.enabled_at IS NULL`), userID, secret, utc(at))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return billing.Errorf(billing.ErrConflict, "totp", "the second factor is on already")
	}
	return nil
}

// ResealTOTP replaces the user's stored key old by sealed, the same key sealed; a key
// changed meanwhile is left alone.
func (db *DB) ResealTOTP(ctx context.Context, userID int64, old, sealed string) error {
	_, err := db.ExecContext(ctx, db.Q(`UPDATE portal_totp SET secret = ? WHERE user_id = ? AND secret = ?`), sealed, userID, old)
	return err
}

// EnableTOTP switches the user's pending key on, confirmed by a code of step, and replaces
// the recovery codes with the hashes given; audited. A key already on, or none, is a conflict.
func (db *DB) EnableTOTP(ctx context.Context, userID, step int64, recoveryHashes []string, actor string, at time.Time) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.Q(`UPDATE portal_totp SET enabled_at = ?, last_step = ? WHERE user_id = ? AND enabled_at IS NULL`),
			utc(at), step, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return billing.Errorf(billing.ErrConflict, "totp", "no key waits for confirmation")
		}
		if err := db.replaceRecoveryCodes(ctx, tx, userID, recoveryHashes); err != nil {
			return err
		}
		return db.auditUser(ctx, tx, userID, actor, "user.totp_enable", at, nil)
	})
}

// RegenerateRecoveryCodes replaces the user's recovery codes, on the proof of a second
// factor (which is spent); audited.
func (db *DB) RegenerateRecoveryCodes(ctx context.Context, userID int64, f SecondFactor, recoveryHashes []string, actor string, at time.Time) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.spendFactor(ctx, tx, userID, f, at); err != nil {
			return err
		}
		if err := db.replaceRecoveryCodes(ctx, tx, userID, recoveryHashes); err != nil {
			return err
		}
		return db.auditUser(ctx, tx, userID, actor, "user.totp_recovery", at, map[string]any{"by": factorKind(f)})
	})
}

// DisableTOTP switches the user's second factor off and deletes the key and the recovery
// codes, on the proof of a second factor; audited.
func (db *DB) DisableTOTP(ctx context.Context, userID int64, f SecondFactor, actor string, at time.Time) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.spendFactor(ctx, tx, userID, f, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM portal_recovery_codes WHERE user_id = ?`), userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM portal_totp WHERE user_id = ?`), userID); err != nil {
			return err
		}
		return db.auditUser(ctx, tx, userID, actor, "user.totp_disable", at, map[string]any{"by": factorKind(f)})
	})
}

// UseSecondFactor spends the proof a user gave at sign-in: the code's time step becomes the
// last one accepted, or the recovery code is marked used (audited, with how many remain).
// A code already used is invalid, even when two requests race with it.
func (db *DB) UseSecondFactor(ctx context.Context, userID int64, f SecondFactor, at time.Time) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.spendFactor(ctx, tx, userID, f, at); err != nil || f.RecoveryHash == "" {
			return err
		}
		left, err := recoveryCodesLeft(ctx, db, tx, userID)
		if err != nil {
			return err
		}
		return db.auditUser(ctx, tx, userID, "", "user.totp_recovery_used", at, map[string]any{"left": left})
	})
}

func factorKind(f SecondFactor) string {
	if f.RecoveryHash != "" {
		return "recovery code"
	}
	return "code"
}

// spendFactor marks a second factor used within tx: the step must be later than the last
// one accepted (one UPDATE, so two requests cannot both pass), a recovery code unused.
func (db *DB) spendFactor(ctx context.Context, tx *sql.Tx, userID int64, f SecondFactor, at time.Time) error {
	var res sql.Result
	var err error
	if f.RecoveryHash != "" {
		res, err = tx.ExecContext(ctx, db.Q(`UPDATE portal_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`),
			utc(at), userID, f.RecoveryHash)
	} else {
		res, err = tx.ExecContext(ctx, db.Q(`UPDATE portal_totp SET last_step = ? WHERE user_id = ? AND enabled_at IS NOT NULL AND last_step < ?`),
			f.Step, userID, f.Step)
	}
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errCodeUsed()
	}
	return nil
}

func (db *DB) replaceRecoveryCodes(ctx context.Context, tx *sql.Tx, userID int64, hashes []string) error {
	if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM portal_recovery_codes WHERE user_id = ?`), userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx, db.Q(`INSERT INTO portal_recovery_codes (user_id, code_hash) VALUES (?, ?)`), userID, h); err != nil {
			return err
		}
	}
	return nil
}

// RecoveryCodesLeft counts the user's unused recovery codes.
func (db *DB) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	return recoveryCodesLeft(ctx, db, db.DB, userID)
}

func recoveryCodesLeft(ctx context.Context, db *DB, q querier, userID int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, db.Q(`SELECT count(*) FROM portal_recovery_codes WHERE user_id = ? AND used_at IS NULL`), userID).Scan(&n)
	return n, err
}

// auditUser writes an audit entry about a portal user, under the user's address; the actor
// is the user unless given.
func (db *DB) auditUser(ctx context.Context, tx *sql.Tx, userID int64, actor, action string, at time.Time, details map[string]any) error {
	var email string
	if err := tx.QueryRowContext(ctx, db.Q(`SELECT email FROM portal_users WHERE id = ?`), userID).Scan(&email); err != nil {
		return err
	}
	if actor == "" {
		actor = email
	}
	return db.audit(ctx, tx, Audit{At: at, Actor: actor, Action: action, Entity: "portal_user", EntityKey: email, Details: details})
}

// PendingSignin is a sign-in waiting for its second factor: the user whose password was
// right, until when the code may follow, and where to go afterwards.
type PendingSignin struct {
	UserID int64
	Until  time.Time
	Next   string
}

// SetPendingSignin records in an (anonymous) session that its user still owes a second
// factor; a zero PendingSignin clears it.
func (db *DB) SetPendingSignin(ctx context.Context, tokenHash string, p PendingSignin) error {
	var until any
	if !p.Until.IsZero() {
		until = utc(p.Until)
	}
	_, err := db.ExecContext(ctx, db.Q(`UPDATE portal_sessions SET pending_user_id = ?, pending_until = ?, pending_next = ? WHERE token_hash = ?`),
		nullID(p.UserID), until, p.Next, tokenHash)
	return err
}

// PendingSignin returns the session's sign-in waiting for a second factor; none is not found.
func (db *DB) PendingSignin(ctx context.Context, tokenHash string) (PendingSignin, error) {
	var p PendingSignin
	var user sql.NullInt64
	var next sql.NullString
	err := db.QueryRowContext(ctx, db.Q(`SELECT pending_user_id, pending_until, pending_next FROM portal_sessions WHERE token_hash = ?`), tokenHash).
		Scan(&user, timeCol{&p.Until}, &next)
	if err == nil && !user.Valid {
		err = sql.ErrNoRows
	}
	if errors.Is(err, sql.ErrNoRows) {
		return p, billing.NotFound("pending sign-in", "")
	}
	p.UserID, p.Next = user.Int64, next.String
	return p, err
}
