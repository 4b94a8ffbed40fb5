package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/erekins/erekins/web/admin"
	"github.com/erekins/erekins/web/portal"
)

// cmdOperator manages back-office operators: `operator add` creates one (or gives an
// existing one a new name and password).
func cmdOperator(ctx context.Context, e *env, args []string) error {
	const usage = "usage: erekins operator add EMAIL [--name NAME] [--password P]"
	if len(args) == 0 || args[0] != "add" {
		return usageError{msg: usage}
	}
	var s settings
	fs := newFlags("operator add", e.stderr, &s)
	name := fs.String("name", "", "the operator's name (default: the address's local part)")
	password := fs.String("password", os.Getenv("EREKINS_OPERATOR_PASSWORD"), "the password (EREKINS_OPERATOR_PASSWORD); default: a generated one, printed once")
	pos, err := interleaved(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{msg: usage}
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
	o, err := admin.AddOperator(ctx, a.DB, admin.NewOperator{Email: pos[0], Name: *name, Password: *password},
		portal.DefaultArgon2, "cli", time.Now())
	if err != nil {
		return err
	}
	if s.json {
		out := map[string]any{"email": o.Email, "name": o.Name}
		if generated {
			out["password"] = *password
		}
		return writeJSON(e, out)
	}
	fmt.Fprintf(e.stdout, "operator %s (%s) may sign in to the back office at /admin\n", o.Email, o.Name)
	if generated {
		fmt.Fprintf(e.stdout, "password: %s (shown once; give it to the operator over a safe channel)\n", *password)
	}
	return nil
}
