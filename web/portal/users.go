package portal

import (
	"context"
	"crypto/rand"
	"net/mail"
	"strings"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
)

// NewUser is a portal user to add to a customer.
type NewUser struct {
	Email, Name, Password string
	Customer              string // registration number
	Role                  string
	Language              string
}

// AddUser validates and stores a user with a role at a customer; an existing user with the
// address gets the new name and password and the role at this customer too.
func AddUser(ctx context.Context, db *sqldb.DB, u NewUser, p Argon2Params, actor string, now time.Time) (sqldb.PortalUser, error) {
	email := sqldb.NormalizeEmail(u.Email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return sqldb.PortalUser{}, billing.Errorf(billing.ErrInvalid, "email", "%q is not an e-mail address", u.Email)
	}
	name := strings.TrimSpace(u.Name)
	if name == "" {
		return sqldb.PortalUser{}, billing.Errorf(billing.ErrInvalid, "name", "a name is required")
	}
	if u.Language != "" && !validLang(u.Language) {
		return sqldb.PortalUser{}, billing.Errorf(billing.ErrInvalid, "language", "%q: must be lv or en", u.Language)
	}
	hash, err := HashPassword(u.Password, p)
	if err != nil {
		return sqldb.PortalUser{}, billing.Errorf(billing.ErrInvalid, "password", "%v", err)
	}
	return db.CreatePortalUser(ctx, sqldb.PortalUser{Email: email, Name: name, PasswordHash: hash, Language: u.Language},
		u.Customer, u.Role, actor, now)
}

// GeneratePassword returns a random password of 16 characters that is easy to type.
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
