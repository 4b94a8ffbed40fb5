package sqldb

// An operator switches a portal user's second factor off: the way back for a user who lost
// both the phone and the recovery codes, once the operator has made sure of the person by
// other means (docs/admin.md).

import (
	"context"
	"database/sql"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/erekins/erekins/billing"
)

// CustomerTwoFactorUsers returns which of a customer's users have the second factor on.
func (db *DB) CustomerTwoFactorUsers(ctx context.Context, customerID int64) (map[int64]bool, error) {
	rows, err := db.QueryContext(ctx, db.Q(`SELECT t.user_id FROM portal_totp t JOIN portal_memberships m ON m.user_id = t.user_id
		WHERE m.customer_id = ? AND t.enabled_at IS NOT NULL`), customerID)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = true
	}
	return out, closeRows(rows)
}

// CustomerPortalUser returns a user of the customer; a user who is not the customer's is
// not found, like one who does not exist.
func (db *DB) CustomerPortalUser(ctx context.Context, customerID, userID int64) (PortalUser, error) {
	return scanPortalUser(db.QueryRowContext(ctx, db.Q(`SELECT `+portalUserCols+` FROM portal_users
		WHERE id = ? AND EXISTS (SELECT 1 FROM portal_memberships m WHERE m.user_id = portal_users.id AND m.customer_id = ?)`), userID, customerID))
}

// OperatorDisableTOTP switches off the second factor of a user of the customer, at the
// operator's hand: the key and the recovery codes are deleted and every session of the user
// ends (a half-finished sign-in too), in one transaction with the audit entry
// user.totp_disable (actor the operator, with the reason). A reason is required; a user not
// the customer's is not found; one without the second factor on is a conflict.
func (db *DB) OperatorDisableTOTP(ctx context.Context, customerID, userID int64, operator, reason string, at time.Time) (PortalUser, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return PortalUser{}, billing.Errorf(billing.ErrInvalid, "reason", "give the reason, up to 500 characters: how the person's identity was verified")
	}
	var u PortalUser
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if u, err = scanPortalUser(tx.QueryRowContext(ctx, db.Q(`SELECT `+portalUserCols+` FROM portal_users
			WHERE id = ? AND EXISTS (SELECT 1 FROM portal_memberships m WHERE m.user_id = portal_users.id AND m.customer_id = ?)`), userID, customerID)); err != nil {
			return err
		}
		var reg string
		if err := tx.QueryRowContext(ctx, db.Q(`SELECT registration_number FROM customers WHERE id = ?`), customerID).Scan(&reg); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, db.Q(`DELETE FROM portal_totp WHERE user_id = ? AND enabled_at IS NOT NULL`), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return billing.Errorf(billing.ErrConflict, "totp", "the user's second factor is not on")
		}
		if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM portal_recovery_codes WHERE user_id = ?`), userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM portal_sessions WHERE user_id = ? OR pending_user_id = ?`), userID, userID); err != nil {
			return err
		}
		return db.auditUser(ctx, tx, userID, operator, "user.totp_disable", at,
			map[string]any{"by": "operator", "reason": reason, "customer": reg})
	})
	return u, err
}
