// Package app assembles erekins from its parts: the database, the billing rules, the
// working-day calendar, the clock and the logger. The CLI, the server and the workers call
// its services, so the same validation and the same transactions serve every surface; a
// test builds an App on a real database and drives it like the CLI does.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
)

// Config is what an App needs besides its database.
type Config struct {
	Rules    billing.Rules
	Supplier *billing.Supplier // overrides the supplier stored by import
	// ExtraHolidays and ExtraWorkingDays add to the calendar stored by import.
	ExtraHolidays, ExtraWorkingDays []calendar.Date
	Mail                            MailConfig
	// SecretKey seals secrets kept in the database (the portal's TOTP keys) with
	// AES-256-GCM: 32 bytes, or none to keep them in clear (see docs/portal.md).
	SecretKey []byte
}

// App is a running erekins on one database.
type App struct {
	DB     *sqldb.DB
	Config Config
	Now    func() time.Time
	Log    *slog.Logger

	// Deliveries stores e-mail deliveries and print batches; Delivery sends them.
	Deliveries *sqldb.Deliveries
	Delivery   *delivery.Service

	render *renderer
}

// Open connects to dsn, applies pending migrations and returns the App.
func Open(ctx context.Context, dsn string, cfg Config, log *slog.Logger) (*App, error) {
	if err := cfg.Rules.Validate(); err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	r, err := newRenderer()
	if err != nil {
		db.Close()
		return nil, err
	}
	a := &App{DB: db, Config: cfg, Now: time.Now, Log: log, render: r}
	if err := a.wireDelivery(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// Close closes the database.
func (a *App) Close() error { return a.DB.Close() }

// Workdays is the Latvian calendar with the extras of the configuration and of the stored
// dataset calendar.
func (a *App) Workdays(ctx context.Context) (*calendar.Workdays, error) {
	cal, err := a.DB.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	hol := append(append([]calendar.Date(nil), a.Config.ExtraHolidays...), cal.ExtraHolidays...)
	work := append(append([]calendar.Date(nil), a.Config.ExtraWorkingDays...), cal.ExtraWorkingDays...)
	return calendar.NewWorkdays(hol, work), nil
}

// Supplier is the configured supplier, else the one stored by import.
func (a *App) Supplier(ctx context.Context) (billing.Supplier, error) {
	if a.Config.Supplier != nil {
		return *a.Config.Supplier, nil
	}
	s, ok, err := a.DB.Supplier(ctx)
	if err != nil {
		return s, err
	}
	if !ok {
		return s, billing.Errorf(billing.ErrInvalid, "supplier", "no supplier is configured: import a dataset with a supplier first")
	}
	return s, nil
}

// Planner builds the billing planner from the current configuration and data.
func (a *App) Planner(ctx context.Context) (*billing.Planner, error) {
	w, err := a.Workdays(ctx)
	if err != nil {
		return nil, err
	}
	sup, err := a.Supplier(ctx)
	if err != nil {
		return nil, err
	}
	plans, err := a.DB.PricePlans(ctx)
	if err != nil {
		return nil, err
	}
	r := a.Config.Rules
	return &billing.Planner{Rules: r, Schedule: billing.Schedule{Workdays: w, Rules: r}, Supplier: sup, Plans: plans, Now: a.Now}, nil
}

// Bill issues every document due on day (rule 4, 5 and 10); see billing.Biller.
func (a *App) Bill(ctx context.Context, day calendar.Date) (billing.RunResult, error) {
	p, err := a.Planner(ctx)
	if err != nil {
		return billing.RunResult{}, err
	}
	b := &billing.Biller{Store: a.DB, Planner: p, Log: a.Log, Render: a.RenderAll}
	return b.Run(ctx, day)
}

// AddReading validates and stores one reading.
func (a *App) AddReading(ctx context.Context, s billing.Submission) (billing.Accepted, error) {
	if s.At.IsZero() {
		s.At = a.Now()
	}
	return a.DB.AddReading(ctx, s.Key, func(st *billing.RegisterState) (billing.Accepted, error) {
		return a.Config.Rules.Accept(*st, s)
	})
}
