package admin

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/portal"
)

// NewOperator is an operator to add.
type NewOperator struct {
	Email, Name, Password string
}

// AddOperator validates and stores an operator, hashing the password with the portal's
// argon2id; an existing operator with the address gets the new name and password. The CLI
// (`erekins operator add`) and the demo share it.
func AddOperator(ctx context.Context, db *sqldb.DB, o NewOperator, p portal.Argon2Params, actor string, now time.Time) (sqldb.Operator, error) {
	email := sqldb.NormalizeEmail(o.Email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return sqldb.Operator{}, billing.Errorf(billing.ErrInvalid, "email", "%q is not an e-mail address", o.Email)
	}
	name := strings.TrimSpace(o.Name)
	if name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	hash, err := portal.HashPassword(o.Password, p)
	if err != nil {
		return sqldb.Operator{}, billing.Errorf(billing.ErrInvalid, "password", "%v", err)
	}
	return db.CreateOperator(ctx, sqldb.Operator{Email: email, Name: name, PasswordHash: hash}, actor, now)
}
