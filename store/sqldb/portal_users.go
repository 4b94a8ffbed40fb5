package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/erekins/erekins/billing"
)

// Portal roles a user holds per customer.
const (
	RoleAdmin    = "admin"
	RoleBilling  = "billing"
	RoleReadings = "readings"
	RoleViewer   = "viewer"
)

// Roles are the portal roles, most powerful first.
var Roles = []string{RoleAdmin, RoleBilling, RoleReadings, RoleViewer}

// PortalUser is a person who signs in to the portal.
type PortalUser struct {
	ID           int64
	Email        string // lower-case
	Name         string
	PasswordHash string
	Language     string
	Disabled     bool
}

// Membership is a user's role at one customer.
type Membership struct {
	CustomerID   int64
	Registration string
	CustomerName string
	Role         string
}

// NormalizeEmail is the form in which addresses are stored and looked up.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CreatePortalUser stores a new user, or updates the name and password of an existing one
// with the same address, and gives it role at the customer with the registration number.
func (db *DB) CreatePortalUser(ctx context.Context, u PortalUser, registration, role, actor string, at time.Time) (PortalUser, error) {
	u.Email = NormalizeEmail(u.Email)
	if !validRole(role) {
		return u, billing.Errorf(billing.ErrInvalid, "role", "%q: must be one of %s", role, strings.Join(Roles, ", "))
	}
	if u.Language == "" {
		u.Language = billing.Latvian
	}
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var cust int64
		err := tx.QueryRowContext(ctx, db.Q(`SELECT id FROM customers WHERE registration_number = ?`), registration).Scan(&cust)
		if errors.Is(err, sql.ErrNoRows) {
			return billing.Errorf(billing.ErrNotFound, "customer", "customer %q not found", registration)
		}
		if err != nil {
			return err
		}
		now := utc(at)
		if err := tx.QueryRowContext(ctx, db.Q(`INSERT INTO portal_users (email, name, password_hash, language, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash,
			updated_at = excluded.updated_at RETURNING id`), u.Email, u.Name, u.PasswordHash, u.Language, now, now).Scan(&u.ID); err != nil {
			return fmt.Errorf("store user %s: %w", u.Email, err)
		}
		if _, err := tx.ExecContext(ctx, db.Q(`INSERT INTO portal_memberships (user_id, customer_id, role, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, customer_id) DO UPDATE SET role = excluded.role`), u.ID, cust, role, now); err != nil {
			return fmt.Errorf("store role of %s: %w", u.Email, err)
		}
		return db.audit(ctx, tx, Audit{At: at, Actor: actor, Action: "user.add", Entity: "portal_user", EntityKey: u.Email,
			Details: map[string]any{"customer": registration, "role": role, "name": u.Name}})
	})
	return u, err
}

func validRole(r string) bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

const portalUserCols = `id, email, name, password_hash, language, disabled`

func scanPortalUser(row *sql.Row) (PortalUser, error) {
	var u PortalUser
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Language, &u.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return u, billing.NotFound("portal user", "")
	}
	return u, err
}

// PortalUserByEmail returns the user with the address.
func (db *DB) PortalUserByEmail(ctx context.Context, email string) (PortalUser, error) {
	return scanPortalUser(db.QueryRowContext(ctx, db.Q(`SELECT `+portalUserCols+` FROM portal_users WHERE email = ?`), NormalizeEmail(email)))
}

// PortalUser returns the user with the id.
func (db *DB) PortalUser(ctx context.Context, id int64) (PortalUser, error) {
	return scanPortalUser(db.QueryRowContext(ctx, db.Q(`SELECT `+portalUserCols+` FROM portal_users WHERE id = ?`), id))
}

// Memberships returns the customers a user belongs to, by customer name.
func (db *DB) Memberships(ctx context.Context, userID int64) ([]Membership, error) {
	rows, err := db.QueryContext(ctx, db.Q(`SELECT c.id, c.registration_number, c.name, m.role FROM portal_memberships m
		JOIN customers c ON c.id = m.customer_id WHERE m.user_id = ? ORDER BY c.name, c.id`), userID)
	if err != nil {
		return nil, err
	}
	var out []Membership
	for rows.Next() {
		var m Membership
		if err := rows.Scan(&m.CustomerID, &m.Registration, &m.CustomerName, &m.Role); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, m)
	}
	return out, closeRows(rows)
}

// SigninAttempt records one sign-in attempt for the rate limit.
func (db *DB) SigninAttempt(ctx context.Context, email, ip string, at time.Time, success bool) error {
	_, err := db.ExecContext(ctx, db.Q(`INSERT INTO portal_signin_attempts (email, ip, at, success) VALUES (?, ?, ?, ?)`),
		NormalizeEmail(email), ip, utc(at), success)
	return err
}

// FailedSignins counts the failed attempts since a time for an address and for a client
// address. A success for the address clears its count; the client address's does not.
func (db *DB) FailedSignins(ctx context.Context, email, ip string, since time.Time) (byEmail, byIP int, err error) {
	email = NormalizeEmail(email)
	err = db.QueryRowContext(ctx, db.Q(`SELECT count(*) FROM portal_signin_attempts a WHERE a.email = ? AND a.at >= ? AND NOT a.success
		AND NOT EXISTS (SELECT 1 FROM portal_signin_attempts s WHERE s.email = a.email AND s.success AND s.at > a.at)`),
		email, utc(since)).Scan(&byEmail)
	if err != nil {
		return 0, 0, err
	}
	err = db.QueryRowContext(ctx, db.Q(`SELECT count(*) FROM portal_signin_attempts WHERE ip = ? AND at >= ? AND NOT success`),
		ip, utc(since)).Scan(&byIP)
	return byEmail, byIP, err
}

// PruneSigninAttempts deletes attempts older than a time.
func (db *DB) PruneSigninAttempts(ctx context.Context, before time.Time) error {
	_, err := db.ExecContext(ctx, db.Q(`DELETE FROM portal_signin_attempts WHERE at < ?`), utc(before))
	return err
}
