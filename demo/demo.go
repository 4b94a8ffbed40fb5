// Package demo builds the database a newcomer meets with `erekins demo`: a demo supplier,
// customers with Latvian names (one with quotes and an ampersand, one preferring English),
// single-rate and day/night meters (one with a current transformer of 40), 13 months of
// readings with one month missing, an energy price change inside a month, and every invoice
// issued up to today.
package demo

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/admin"
	"github.com/erekins/erekins/web/portal"
)

// Customers of the demo.
var Customers = []datagen.Customer{
	{Name: `SIA "Kūdras Rūpnīca"`, Language: "lv", Email: "gramatvediba@kudras.example.lv"},
	{Name: `SIA "Bērziņš & Dēli"`, Language: "lv", Email: "rekini@berzins.example.lv"},
	{Name: "Baltic Cold Storage Ltd", Language: "en", Email: "accounts@coldstorage.example.com"},
	{Name: "AS Ziemeļu Ģenerators", Language: "lv", Email: "finanses@generators.example.lv"},
}

// Config is the demo dataset for a day: readings up to the last month whose window has
// closed, the month seven before that missing, and a price change on the 16th of the last.
func Config(today calendar.Date) datagen.Config {
	last := billing.MonthOf(today.AddDays(-5)).AddMonths(-1)
	return datagen.Config{
		Seed: 7, Contracts: len(Customers), Customers: Customers,
		MinMeteringPoints: 2, MeteringPoints: 6,
		Months: 13, LastPeriod: last, SkipPeriod: last.AddMonths(-7),
		PriceChange: last.AddDays(15), EInvoiceShare: 0.5, LegacyBaseline: true,
	}
}

// Summary is what Build did.
type Summary struct {
	Path     string
	Imported string
	Issued   int
	Today    calendar.Date
	Users    []User
	// Operator is the demo back-office operator, for /admin.
	Operator User
}

// User is a demo portal user with its password, printed by `erekins demo`.
type User struct {
	Email, Password, Role, Customer string
}

// addUsers creates one portal user of each role at the first customer; the admin is also a
// viewer at the second, to show switching between companies. The passwords are public.
func addUsers(ctx context.Context, a *app.App, now time.Time) ([]User, error) {
	rows, err := a.DB.QueryContext(ctx, `SELECT registration_number, name FROM customers ORDER BY id LIMIT 2`)
	if err != nil {
		return nil, err
	}
	var regs, names []string
	for rows.Next() {
		var r, n string
		if err := rows.Scan(&r, &n); err != nil {
			rows.Close()
			return nil, err
		}
		regs, names = append(regs, r), append(names, n)
	}
	if err := rows.Close(); err != nil || len(regs) < 2 {
		return nil, errors.Join(err, errors.New("the demo needs two customers"))
	}
	var out []User
	add := func(who, role, reg, name string) error {
		u := User{Email: who + "@demo.example.lv", Password: "demo-" + who + "-2026", Role: role, Customer: name}
		_, err := portal.AddUser(ctx, a.DB, portal.NewUser{Email: u.Email, Name: "Demo " + who, Password: u.Password,
			Customer: reg, Role: role}, portal.DefaultArgon2, "demo", now)
		out = append(out, u)
		return err
	}
	for _, role := range sqldb.Roles {
		if err := add(role, role, regs[0], names[0]); err != nil {
			return nil, err
		}
	}
	return out, add(sqldb.RoleAdmin, sqldb.RoleViewer, regs[1], names[1])
}

// Marker is the setting that marks a demo database, so Build never replaces anything else.
const marker = "erekins-demo"

// Build creates the demo database at path (replacing an earlier demo there, refusing any
// other file) and bills it up to the day of now.
func Build(ctx context.Context, path string, cfg app.Config, now time.Time) (*app.App, Summary, error) {
	if err := removeOldDemo(path); err != nil {
		return nil, Summary{}, err
	}
	a, err := app.Open(ctx, path, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, Summary{}, err
	}
	fail := func(err error) (*app.App, Summary, error) {
		a.Close()
		return nil, Summary{}, err
	}
	a.Now = func() time.Time { return now }
	today := calendar.DateOf(now)
	var buf bytes.Buffer
	if err := datagen.Write(&buf, Config(today)); err != nil {
		return fail(err)
	}
	st, err := a.Import(ctx, &buf, "demo")
	if err != nil {
		return fail(fmt.Errorf("import demo data: %w", err))
	}
	if _, err := a.DB.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('`+marker+`', 'true')`); err != nil {
		return fail(err)
	}
	// Bill every day of the past year at 06:00, as the schedule would have, so each invoice
	// carries the issue date, due date and estimate it would have had.
	issued := 0
	for day := Config(today).LastPeriod.AddMonths(-13); !day.After(today); day = day.AddDays(1) {
		a.Now = func() time.Time { return day.In(calendar.Riga).Add(6 * time.Hour) }
		res, err := a.Bill(ctx, day)
		if err != nil {
			return fail(fmt.Errorf("bill demo data on %s: %w", day, err))
		}
		if len(res.Failures) > 0 {
			return fail(fmt.Errorf("bill demo data on %s: %w", day, errors.Join(res.Failures...)))
		}
		issued += len(res.Issued)
	}
	a.Now = time.Now
	users, err := addUsers(ctx, a, now)
	if err != nil {
		return fail(fmt.Errorf("demo portal users: %w", err))
	}
	op := User{Email: "operator@demo.example.lv", Password: "demo-operator-2026", Role: "operator"}
	if _, err := admin.AddOperator(ctx, a.DB, admin.NewOperator{Email: op.Email, Name: "Demo operator", Password: op.Password},
		portal.DefaultArgon2, "demo", now); err != nil {
		return fail(fmt.Errorf("demo operator: %w", err))
	}
	return a, Summary{Path: path, Today: today, Issued: issued, Users: users, Operator: op,
		Imported: fmt.Sprintf("%d customers, %d contracts, %d metering points, %d readings", st.Customers, st.Contracts, st.MeteringPoints, st.Readings)}, nil
}

func removeOldDemo(path string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	var v string
	err = db.QueryRow(`SELECT value FROM settings WHERE key = '` + marker + `'`).Scan(&v)
	db.Close()
	if err != nil {
		return fmt.Errorf("%s exists and is not an erekins demo database; choose another --db", path)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}
