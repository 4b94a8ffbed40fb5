package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/erekins/erekins/billing"
)

// Invitation is a company admin's invitation of an e-mail address to a role at a customer.
type Invitation struct {
	TokenHash    string
	CustomerID   int64
	CustomerName string
	Registration string
	Email        string
	Role         string
	InvitedBy    string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	AcceptedAt   time.Time // zero until accepted
}

// CreateInvitation stores an invitation, audited under the invited address.
func (db *DB) CreateInvitation(ctx context.Context, inv Invitation) error {
	if !validRole(inv.Role) {
		return billing.Errorf(billing.ErrInvalid, "role", "%q is not a role", inv.Role)
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var reg string
		if err := tx.QueryRowContext(ctx, db.Q(`SELECT registration_number FROM customers WHERE id = ?`), inv.CustomerID).Scan(&reg); err != nil {
			return fmt.Errorf("customer %d: %w", inv.CustomerID, err)
		}
		if _, err := tx.ExecContext(ctx, db.Q(`INSERT INTO portal_invitations (token_hash, customer_id, email, role, invited_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`), inv.TokenHash, inv.CustomerID, NormalizeEmail(inv.Email), inv.Role, inv.InvitedBy,
			utc(inv.CreatedAt), utc(inv.ExpiresAt)); err != nil {
			return err
		}
		return db.audit(ctx, tx, Audit{At: inv.CreatedAt, Actor: inv.InvitedBy, Action: "user.invite", Entity: "portal_user",
			EntityKey: NormalizeEmail(inv.Email), Details: map[string]any{"customer": reg, "role": inv.Role, "expires_at": utc(inv.ExpiresAt)}})
	})
}

const invitationCols = `v.token_hash, v.customer_id, c.name, c.registration_number, v.email, v.role, v.invited_by, v.created_at, v.expires_at, v.accepted_at
	FROM portal_invitations v JOIN customers c ON c.id = v.customer_id`

func invitationDest(v *Invitation) []any {
	return []any{&v.TokenHash, &v.CustomerID, &v.CustomerName, &v.Registration, &v.Email, &v.Role, &v.InvitedBy,
		timeCol{&v.CreatedAt}, timeCol{&v.ExpiresAt}, timeCol{&v.AcceptedAt}}
}

// InvitationByToken returns the invitation with the token's hash, accepted or not.
func (db *DB) InvitationByToken(ctx context.Context, tokenHash string) (Invitation, error) {
	var v Invitation
	err := db.QueryRowContext(ctx, db.Q(`SELECT `+invitationCols+` WHERE v.token_hash = ?`), tokenHash).Scan(invitationDest(&v)...)
	if errors.Is(err, sql.ErrNoRows) {
		return v, billing.NotFound("invitation", "")
	}
	return v, err
}

// PendingInvitations returns a customer's invitations not yet accepted nor expired at now.
func (db *DB) PendingInvitations(ctx context.Context, customerID int64, now time.Time) ([]Invitation, error) {
	rows, err := db.QueryContext(ctx, db.Q(`SELECT `+invitationCols+` WHERE v.customer_id = ? AND v.accepted_at IS NULL
		ORDER BY v.created_at DESC`), customerID)
	if err != nil {
		return nil, err
	}
	var out []Invitation
	for rows.Next() {
		var v Invitation
		if err := rows.Scan(invitationDest(&v)...); err != nil {
			rows.Close()
			return nil, err
		}
		if now.Before(v.ExpiresAt) {
			out = append(out, v)
		}
	}
	return out, closeRows(rows)
}

// AcceptInvitation uses an invitation once: the invited address becomes a user (with the
// name and password hash given, unless it is one already) with the role at the customer.
// An expired or used invitation is not found. It returns the user.
func (db *DB) AcceptInvitation(ctx context.Context, tokenHash, name, passwordHash string, at time.Time) (PortalUser, error) {
	var u PortalUser
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var v Invitation
		err := tx.QueryRowContext(ctx, db.Q(`SELECT `+invitationCols+` WHERE v.token_hash = ?`), tokenHash).Scan(invitationDest(&v)...)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (!v.AcceptedAt.IsZero() || !at.Before(v.ExpiresAt))) {
			return billing.NotFound("invitation", "")
		}
		if err != nil {
			return err
		}
		// Single use even under concurrency: only one transaction changes the row.
		res, err := tx.ExecContext(ctx, db.Q(`UPDATE portal_invitations SET accepted_at = ? WHERE token_hash = ? AND accepted_at IS NULL`), utc(at), tokenHash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return billing.NotFound("invitation", "")
		}
		u, err = scanPortalUser(tx.QueryRowContext(ctx, db.Q(`SELECT `+portalUserCols+` FROM portal_users WHERE email = ?`), v.Email))
		if billing.ErrorCode(err) == billing.ErrNotFound {
			if passwordHash == "" || name == "" {
				return billing.Errorf(billing.ErrInvalid, "password", "a new user needs a name and a password")
			}
			u = PortalUser{Email: v.Email, Name: name, PasswordHash: passwordHash, Language: billing.Latvian}
			err = tx.QueryRowContext(ctx, db.Q(`INSERT INTO portal_users (email, name, password_hash, language, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), u.Email, u.Name, u.PasswordHash, u.Language, utc(at), utc(at)).Scan(&u.ID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Q(`INSERT INTO portal_memberships (user_id, customer_id, role, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, customer_id) DO UPDATE SET role = excluded.role`), u.ID, v.CustomerID, v.Role, utc(at)); err != nil {
			return err
		}
		return db.audit(ctx, tx, Audit{At: at, Actor: u.Email, Action: "user.accept", Entity: "portal_user", EntityKey: u.Email,
			Details: map[string]any{"customer": v.Registration, "role": v.Role, "invited_by": v.InvitedBy}})
	})
	return u, err
}

// CustomerUser is a user of a customer with the role there.
type CustomerUser struct {
	ID          int64
	Email, Name string
	Role        string
	Since       time.Time
}

// CustomerUsers returns a customer's users by name.
func (db *DB) CustomerUsers(ctx context.Context, customerID int64) ([]CustomerUser, error) {
	rows, err := db.QueryContext(ctx, db.Q(`SELECT u.id, u.email, u.name, m.role, m.created_at FROM portal_memberships m
		JOIN portal_users u ON u.id = m.user_id WHERE m.customer_id = ? ORDER BY u.name, u.email`), customerID)
	if err != nil {
		return nil, err
	}
	var out []CustomerUser
	for rows.Next() {
		var u CustomerUser
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.Role, timeCol{&u.Since}); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
	}
	return out, closeRows(rows)
}

// SetMemberRole changes a user's role at a customer, or removes the user from it when role
// is empty; audited. A user of another customer is not found; the customer's last admin
// can be neither demoted nor removed (a conflict). A removed user's sessions acting for the
// customer end.
func (db *DB) SetMemberRole(ctx context.Context, customerID, userID int64, role, actor string, at time.Time) error {
	if role != "" && !validRole(role) {
		return billing.Errorf(billing.ErrInvalid, "role", "%q is not a role", role)
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		lock := ""
		if db.Dialect == Postgres {
			lock = " FOR UPDATE OF m"
		}
		var email, reg, old string
		err := tx.QueryRowContext(ctx, db.Q(`SELECT u.email, c.registration_number, m.role FROM portal_memberships m
			JOIN portal_users u ON u.id = m.user_id JOIN customers c ON c.id = m.customer_id
			WHERE m.customer_id = ? AND m.user_id = ?`+lock), customerID, userID).Scan(&email, &reg, &old)
		if errors.Is(err, sql.ErrNoRows) {
			return billing.NotFound("user", "")
		}
		if err != nil {
			return err
		}
		if old == role {
			return nil
		}
		if old == RoleAdmin {
			var admins int
			if err := tx.QueryRowContext(ctx, db.Q(`SELECT count(*) FROM portal_memberships WHERE customer_id = ? AND role = ?`),
				customerID, RoleAdmin).Scan(&admins); err != nil {
				return err
			}
			if admins <= 1 {
				return billing.Errorf(billing.ErrConflict, "role", "%s is the last admin of %s", email, reg)
			}
		}
		action := "user.role"
		if role == "" {
			action = "user.remove"
			if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM portal_memberships WHERE customer_id = ? AND user_id = ?`), customerID, userID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM portal_sessions WHERE customer_id = ? AND user_id = ?`), customerID, userID); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, db.Q(`UPDATE portal_memberships SET role = ? WHERE customer_id = ? AND user_id = ?`),
			role, customerID, userID); err != nil {
			return err
		}
		return db.audit(ctx, tx, Audit{At: at, Actor: actor, Action: action, Entity: "portal_user", EntityKey: email,
			Details: map[string]any{"customer": reg, "before": old, "after": role}})
	})
}

// CustomerUserAudit returns the audit entries about a customer's users (invitations, role
// changes, removals), newest first.
func (db *DB) CustomerUserAudit(ctx context.Context, registration string, limit int) ([]Audit, error) {
	n := 0
	return db.auditEntries(ctx, `WHERE entity = 'portal_user' AND action IN ('user.add', 'user.invite', 'user.accept', 'user.role', 'user.remove') ORDER BY id DESC`,
		func(a Audit) bool {
			ok := a.Details["customer"] == registration && n < limit
			if ok {
				n++
			}
			return ok
		})
}

// PasswordReset is a pending password reset of a user.
type PasswordReset struct {
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time
}

// CreatePasswordReset stores a reset link's token hash for a user, unless limit links were
// made for the user since a time; it reports whether it stored one. The user's row is
// locked, so concurrent requests cannot pass the limit together.
func (db *DB) CreatePasswordReset(ctx context.Context, r PasswordReset, since time.Time, limit int) (bool, error) {
	stored := false
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		lock := ""
		if db.Dialect == Postgres {
			lock = " FOR UPDATE"
		}
		var id int64
		if err := tx.QueryRowContext(ctx, db.Q(`SELECT id FROM portal_users WHERE id = ?`+lock), r.UserID).Scan(&id); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, db.Q(`SELECT count(*) FROM portal_password_resets WHERE user_id = ? AND created_at >= ?`),
			r.UserID, utc(since)).Scan(&n); err != nil || n >= limit {
			return err
		}
		_, err := tx.ExecContext(ctx, db.Q(`INSERT INTO portal_password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`),
			r.TokenHash, r.UserID, utc(r.CreatedAt), utc(r.ExpiresAt))
		stored = err == nil
		return err
	})
	return stored, err
}

// PasswordResetByToken returns the reset with the token's hash, used or not.
func (db *DB) PasswordResetByToken(ctx context.Context, tokenHash string) (PasswordReset, error) {
	var r PasswordReset
	err := db.QueryRowContext(ctx, db.Q(`SELECT token_hash, user_id, created_at, expires_at, used_at FROM portal_password_resets WHERE token_hash = ?`),
		tokenHash).Scan(&r.TokenHash, &r.UserID, timeCol{&r.CreatedAt}, timeCol{&r.ExpiresAt}, timeCol{&r.UsedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return r, billing.NotFound("password reset", "")
	}
	return r, err
}

// ResetPassword uses a reset link once: the user's password becomes the hash given, every
// other reset link of the user is spent, and every session of the user ends. An expired or
// used link is not found. It returns the user.
func (db *DB) ResetPassword(ctx context.Context, tokenHash, passwordHash string, at time.Time) (PortalUser, error) {
	var u PortalUser
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var userID int64
		var expires, used time.Time
		err := tx.QueryRowContext(ctx, db.Q(`SELECT user_id, expires_at, used_at FROM portal_password_resets WHERE token_hash = ?`), tokenHash).
			Scan(&userID, timeCol{&expires}, timeCol{&used})
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (!used.IsZero() || !at.Before(expires))) {
			return billing.NotFound("password reset", "")
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, db.Q(`UPDATE portal_password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`), utc(at), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return billing.NotFound("password reset", "")
		}
		if _, err := tx.ExecContext(ctx, db.Q(`UPDATE portal_users SET password_hash = ?, updated_at = ? WHERE id = ?`), passwordHash, utc(at), userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM portal_sessions WHERE user_id = ?`), userID); err != nil {
			return err
		}
		if u, err = scanPortalUser(tx.QueryRowContext(ctx, db.Q(`SELECT `+portalUserCols+` FROM portal_users WHERE id = ?`), userID)); err != nil {
			return err
		}
		return db.audit(ctx, tx, Audit{At: at, Actor: u.Email, Action: "user.password_reset", Entity: "portal_user", EntityKey: u.Email})
	})
	return u, err
}
