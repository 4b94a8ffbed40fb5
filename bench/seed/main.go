// Command seed prepares a database for the portal load (bench/load, bench/load.sh and
// docs/performance.md, "Portal and mixed load"): it generates customers with months of
// readings, imports them, bills every month through the product's biller, and creates
// portal users with a known password and an API token for some of the customers.
//
//	go run ./bench/seed -db /tmp/load.db -customers 10000 -months 24 -users 200 -o /tmp/users.json
//
// Everything goes through the product's own code: app.Import for the dataset, one
// billing.Biller run per month on the day the month falls due (with the store's SaveIssues,
// numbering and all), portal.AddUser for the users and CreateAPIToken for their tokens.
// Two things are left out on purpose, so that seeding 240,000 invoices takes minutes and
// not hours and 12 GB:
//
//   - Documents (PDF, UBL, CSV, JSON) are rendered and stored only for the customers that
//     get portal users (-documents users, the default); -documents all renders every one,
//     as `erekins bill` does.
//   - No e-mail deliveries or print batches are queued: they belong to the day of issue,
//     and a server started on the seeded database would otherwise spend the load sending
//     240,000 old e-mails.
//
// The readings window of the month in which the load runs is left open (not billed), so the
// load can submit readings; the output file names each user's registers with a plausible
// value to submit.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/store/sqldb"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

type options struct {
	db, out, password, documents string
	customers, months, users     int
	rules                        billing.Rules
}

func parseFlags() (options, error) {
	o := options{rules: billing.DefaultRules()}
	flag.StringVar(&o.db, "db", envOr("EREKINS_DB", "erekins-load.db"), "SQLite file or postgres:// URL (EREKINS_DB); must hold no customers yet")
	flag.IntVar(&o.customers, "customers", 10000, "customers, one contract each")
	flag.IntVar(&o.months, "months", 24, "months billed per customer")
	flag.IntVar(&o.users, "users", 200, "customers that get a portal user (spread evenly over all of them)")
	flag.StringVar(&o.password, "password", "load-test-password", "password of every portal user")
	flag.StringVar(&o.documents, "documents", "users", "which invoices get their PDF, UBL, CSV and JSON stored: users, all or none")
	flag.StringVar(&o.out, "o", "load-users.json", "where the users file for bench/load goes")
	flag.IntVar(&o.rules.WindowOpenDay, "window-open-day", envInt("EREKINS_WINDOW_OPEN_DAY", o.rules.WindowOpenDay), "as erekins serve (EREKINS_WINDOW_OPEN_DAY)")
	flag.IntVar(&o.rules.WindowCloseDay, "window-close-day", envInt("EREKINS_WINDOW_CLOSE_DAY", o.rules.WindowCloseDay), "as erekins serve (EREKINS_WINDOW_CLOSE_DAY)")
	flag.Parse()
	switch {
	case o.customers < 1:
		return o, fmt.Errorf("-customers %d: must be at least 1", o.customers)
	case o.months < 1:
		return o, fmt.Errorf("-months %d: must be at least 1", o.months)
	case o.users < 1 || o.users > o.customers:
		return o, fmt.Errorf("-users %d: must be between 1 and -customers", o.users)
	case o.documents != "users" && o.documents != "all" && o.documents != "none":
		return o, fmt.Errorf("-documents %q: must be users, all or none", o.documents)
	}
	return o, nil
}

func run() error {
	o, err := parseFlags()
	if err != nil {
		return err
	}
	ctx := context.Background()
	a, err := app.Open(ctx, o.db, app.Config{Rules: o.rules}, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		return err
	}
	defer a.Close()
	if err := checkEmpty(ctx, a.DB); err != nil {
		return err
	}
	now := time.Now()
	open, ok := o.rules.WindowFor(billing.SubmittedOn(now))
	if !ok {
		return fmt.Errorf("today is outside every readings window (open day %d, close day %d), so the load could not submit readings: "+
			"run with -window-open-day 2 -window-close-day 1 and serve with the same (bench/load.sh does)", o.rules.WindowOpenDay, o.rules.WindowCloseDay)
	}
	last := open.Period.AddMonths(-1) // the last month with readings, billed; the open window's month is not

	started := time.Now()
	if err := importData(ctx, a, o, last); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "seed: imported %d customers, %d months of readings up to %s, in %s\n",
		o.customers, o.months, last.String()[:7], time.Since(started).Round(time.Millisecond))

	started = time.Now()
	chosen := chooseCustomers(o.customers, o.users)
	users, err := addUsers(ctx, a, o, chosen)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "seed: %d portal users in %s\n", len(users), time.Since(started).Round(time.Millisecond))

	started = time.Now()
	issued, err := billMonths(ctx, a, o, last, chosen, users)
	if err != nil {
		return err
	}
	took := time.Since(started)
	fmt.Fprintf(os.Stderr, "seed: billed %d invoices (documents: %s) in %s, %.0f invoices/s\n",
		issued, o.documents, took.Round(time.Millisecond), float64(issued)/took.Seconds())

	if err := readingValues(ctx, a, users, open); err != nil {
		return err
	}
	if err := writeUsers(o, open, users); err != nil {
		return err
	}
	if a.DB.Dialect == sqldb.SQLite {
		if _, err := a.DB.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
	} else if _, err := a.DB.ExecContext(ctx, `ANALYZE`); err != nil {
		// What autovacuum does on its own some minutes after a bulk load; without it the
		// load would measure the first minutes after the seed rather than a settled database.
		return fmt.Errorf("analyze: %w", err)
	}
	fmt.Fprintf(os.Stderr, "seed: users written to %s (password %q); readings window %s–%s is open for submissions\n",
		o.out, o.password, open.Open, open.Close)
	return nil
}

// checkEmpty refuses a database with customers: the seed's billing and users assume its own data.
func checkEmpty(ctx context.Context, db *sqldb.DB) error {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&n); err != nil {
		return fmt.Errorf("count customers: %w", err)
	}
	if n > 0 {
		return fmt.Errorf("the database already holds %d customers: seed a fresh one", n)
	}
	return nil
}

// importData streams a generated dataset into app.Import, the code behind `erekins import`.
func importData(ctx context.Context, a *app.App, o options, last billing.Month) error {
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(datagen.Write(pw, datagen.Config{Seed: 1, Contracts: o.customers, MeteringPoints: 2,
			Months: o.months, LastPeriod: last, LegacyBaseline: true, EInvoiceShare: 0.5}))
	}()
	_, err := a.Import(ctx, pr, "load-seed")
	pr.Close()
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}

// chooseCustomers spreads n customers evenly over all of them (indexes from 0), so the load's
// invoices lie all through the tables rather than at one end.
func chooseCustomers(customers, n int) []int {
	out := make([]int, n)
	for k := range out {
		out[k] = k * customers / n
	}
	return out
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func envInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return n
	}
	return def
}
