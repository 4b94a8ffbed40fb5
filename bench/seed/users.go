package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/portal"
)

// usersFile is what bench/load reads: who signs in, which invoices they have and which
// readings they may submit.
type usersFile struct {
	Password string  `json:"password"`
	Window   string  `json:"window"` // the open readings window, "from – to"
	Users    []*user `json:"users"`
}

type user struct {
	Email      string `json:"email"`
	Customer   string `json:"customer"` // registration number
	customerID int64
	Invoices   []string   `json:"invoices"` // numbers, oldest first
	Registers  []register `json:"registers"`
	Token      string     `json:"token"` // a REST API bearer token of the customer
}

// register is a register the user may submit a reading for, with a value whose consumption
// is that of the month before, so it passes the plausibility check every time.
type register struct {
	Point    string `json:"point"`
	Register string `json:"register"`
	Value    string `json:"value"`
}

// addUsers creates a portal admin at each chosen customer through portal.AddUser, the code
// behind `erekins user add`, and an API token of the customer as the portal creates one.
func addUsers(ctx context.Context, a *app.App, o options, chosen []int) ([]*user, error) {
	users := make([]*user, len(chosen))
	for k, i := range chosen {
		u := &user{Email: fmt.Sprintf("load-%05d@example.lv", i+1), Customer: registration(i)}
		pu, err := portal.AddUser(ctx, a.DB, portal.NewUser{Email: u.Email, Name: fmt.Sprintf("Load User %d", i+1),
			Password: o.password, Customer: u.Customer, Role: sqldb.RoleAdmin, Language: billing.Latvian},
			portal.DefaultArgon2, "load-seed", time.Now())
		if err != nil {
			return nil, fmt.Errorf("user %s: %w", u.Email, err)
		}
		ms, err := a.DB.Memberships(ctx, pu.ID)
		if err != nil || len(ms) == 0 {
			return nil, fmt.Errorf("user %s: memberships: %v", u.Email, err)
		}
		u.customerID = ms[0].CustomerID
		secret, hash := portal.NewAPIToken()
		if _, err := a.DB.CreateAPIToken(ctx, sqldb.APIToken{CustomerID: u.customerID, Role: sqldb.RoleAdmin, Name: "load",
			TokenHash: hash, CreatedBy: u.Email, CreatedAt: time.Now()}); err != nil {
			return nil, fmt.Errorf("API token of %s: %w", u.Customer, err)
		}
		u.Token = secret
		users[k] = u
	}
	return users, nil
}

// readingValues finds each user's registers and a value to submit in the open window.
func readingValues(ctx context.Context, a *app.App, users []*user, open billing.Window) error {
	for _, u := range users {
		meters, err := a.DB.CustomerMeters(ctx, u.customerID)
		if err != nil {
			return fmt.Errorf("meters of %s: %w", u.Customer, err)
		}
		codes := make([]string, len(meters))
		for i, m := range meters {
			codes[i] = m.Code
		}
		states, err := a.DB.RegisterStates(ctx, codes)
		if err != nil {
			return fmt.Errorf("registers of %s: %w", u.Customer, err)
		}
		for _, m := range meters {
			for _, reg := range m.Registers {
				st := states[billing.RegisterKey{MeteringPoint: m.Code, Register: reg}]
				if st == nil || st.History == nil {
					continue
				}
				if v, ok := nextValue(st, open); ok {
					u.Registers = append(u.Registers, register{Point: m.Code, Register: reg, Value: v})
				}
			}
		}
	}
	return nil
}

// nextValue is the last reading before the window advanced by the step before it.
func nextValue(st *billing.RegisterState, open billing.Window) (string, bool) {
	var before []billing.Reading
	for _, r := range st.History.Readings {
		if r.Date.Before(open.Open) {
			before = append(before, r)
		}
	}
	if len(before) < 2 {
		return "", false
	}
	prev, last := before[len(before)-2].Value, before[len(before)-1].Value
	step := last.Sub(prev)
	if step.IsNegative() || step.IsZero() {
		return "", false // a rollover or a standstill: leave the register out
	}
	v := last.Add(step)
	if st.Digits > 0 && v.GreaterThanOrEqual(billing.RegisterRange(st.Digits)) {
		return "", false
	}
	return v.String(), true
}

func writeUsers(o options, open billing.Window, users []*user) error {
	b, err := json.MarshalIndent(usersFile{Password: o.password, Window: open.Open.String() + " – " + open.Close.String(), Users: users}, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(o.out, b, 0o600); err != nil {
		return fmt.Errorf("write users: %w", err)
	}
	return nil
}
