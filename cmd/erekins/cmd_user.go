package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/erekins/erekins/web/portal"
)

// cmdUser manages portal users: `user add` creates one with a role at a customer.
func cmdUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{msg: "usage: erekins user add --email ADDR --name NAME --customer REG --role admin|billing|readings|viewer [--password P]"}
	}
	var s settings
	fs := newFlags("user add", e.stderr, &s)
	email := fs.String("email", "", "the user's e-mail address, used to sign in")
	name := fs.String("name", "", "the user's name")
	customer := fs.String("customer", "", "registration number of the customer")
	role := fs.String("role", "", "admin, billing, readings or viewer")
	password := fs.String("password", os.Getenv("EREKINS_USER_PASSWORD"), "the password (EREKINS_USER_PASSWORD); default: a generated one, printed once")
	lang := fs.String("language", "lv", "the user's language: lv or en")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *email == "" || *name == "" || *customer == "" || *role == "" {
		return usageError{msg: "user add needs --email, --name, --customer and --role"}
	}
	generated := *password == ""
	if generated {
		*password = portal.GeneratePassword()
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := portal.AddUser(ctx, a.DB, portal.NewUser{Email: *email, Name: *name, Password: *password, Customer: *customer,
		Role: *role, Language: *lang}, portal.DefaultArgon2, "cli", time.Now())
	if err != nil {
		return err
	}
	if s.json {
		out := map[string]any{"email": u.Email, "name": u.Name, "customer": *customer, "role": *role}
		if generated {
			out["password"] = *password
		}
		return writeJSON(e, out)
	}
	fmt.Fprintf(e.stdout, "portal user %s is %s at customer %s\n", u.Email, *role, *customer)
	if generated {
		fmt.Fprintf(e.stdout, "password: %s (shown once; give it to the user over a safe channel)\n", *password)
	}
	return nil
}
