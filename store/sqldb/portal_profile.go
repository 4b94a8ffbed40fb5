package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/erekins/erekins/billing"
)

// UpdateProfile changes the name and the language (of e-mails) a user gives for themself;
// audited with before and after when anything changed.
func (db *DB) UpdateProfile(ctx context.Context, userID int64, name, language string, at time.Time) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var oldName, oldLang string
		err := tx.QueryRowContext(ctx, db.Q(`SELECT name, language FROM portal_users WHERE id = ?`), userID).Scan(&oldName, &oldLang)
		if errors.Is(err, sql.ErrNoRows) {
			return billing.NotFound("portal user", "")
		}
		if err != nil || (oldName == name && oldLang == language) {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Q(`UPDATE portal_users SET name = ?, language = ?, updated_at = ? WHERE id = ?`),
			name, language, utc(at), userID); err != nil {
			return err
		}
		return db.auditUser(ctx, tx, userID, "", "user.profile", at, map[string]any{
			"before": map[string]any{"name": oldName, "language": oldLang}, "after": map[string]any{"name": name, "language": language}})
	})
}

// ChangePassword gives the user a new password hash, spends the user's open reset links and
// ends every session of the user (the caller starts a fresh one for the person who changed
// it); audited.
func (db *DB) ChangePassword(ctx context.Context, userID int64, passwordHash string, at time.Time) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.Q(`UPDATE portal_users SET password_hash = ?, updated_at = ? WHERE id = ?`), passwordHash, utc(at), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return billing.NotFound("portal user", "")
		}
		if _, err := tx.ExecContext(ctx, db.Q(`UPDATE portal_password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`), utc(at), userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM portal_sessions WHERE user_id = ?`), userID); err != nil {
			return err
		}
		return db.auditUser(ctx, tx, userID, "", "user.password_change", at, nil)
	})
}
