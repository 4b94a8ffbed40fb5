package app

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/delivery/mailer"
	"github.com/erekins/erekins/store/sqldb"
)

// MailConfig says how e-mail leaves erekins.
type MailConfig struct {
	SMTP    string          // smtp:// or smtps:// URL (--smtp); empty: the built-in outbox
	From    string          // sender address (--mail-from); empty: the supplier's e-mail
	BaseURL string          // the portal's public URL (--base-url), for links in e-mails
	Retry   delivery.Policy // zero: delivery.DefaultPolicy (72 hours)
	Timeout time.Duration   // per SMTP connection; zero: 60 s
	// RescueAfter is how long a running job may go without finishing before River takes it
	// for a crashed worker's and runs it again (--rescue-after); zero: River's hour.
	RescueAfter time.Duration
}

// QueueDelivery is the River queue of delivery jobs.
const QueueDelivery = "delivery"

// RiverDriver is River's driver for the App's database; both dialects work on database/sql.
func (a *App) RiverDriver() riverdriver.Driver[*sql.Tx] {
	if a.DB.Dialect == sqldb.Postgres {
		return riverdatabasesql.New(a.DB.DB)
	}
	return riversqlite.New(a.DB.DB)
}

// wireDelivery applies River's migrations (delivery jobs are inserted in the issuing
// transaction, so the queue must exist wherever invoices are issued), builds the delivery
// store and service, and hooks them into issuing.
func (a *App) wireDelivery(ctx context.Context) error {
	drv := a.RiverDriver()
	m, err := rivermigrate.New(drv, nil)
	if err != nil {
		return fmt.Errorf("river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	inserter, err := river.NewClient(drv, &river.Config{Logger: a.Log})
	if err != nil {
		return fmt.Errorf("river insert client: %w", err)
	}
	now := func() time.Time { return a.Now() }
	enqueue := func(ctx context.Context, tx *sql.Tx, jobs []delivery.Job) error {
		params := make([]river.InsertManyParams, len(jobs))
		for i, j := range jobs {
			params[i] = river.InsertManyParams{Args: j, InsertOpts: &river.InsertOpts{Queue: QueueDelivery, ScheduledAt: j.At, MaxAttempts: 25}}
		}
		_, err := inserter.InsertManyTx(ctx, tx, params)
		return err
	}
	a.Deliveries = sqldb.NewDeliveries(a.DB, enqueue, now)
	a.DB.OnIssue = a.Deliveries.OnIssue
	mc := a.Config.Mail
	var ml delivery.Mailer = &mailer.Outbox{Store: a.Deliveries, Now: now}
	if mc.SMTP != "" {
		timeout := mc.Timeout
		if timeout == 0 {
			timeout = 60 * time.Second
		}
		if ml, err = mailer.NewSMTP(mc.SMTP, timeout); err != nil {
			return err
		}
	}
	a.Delivery = &delivery.Service{Store: a.Deliveries, Settings: a.Deliveries, Reminders: a.Deliveries, Mailer: ml,
		Composer: delivery.Composer{From: mc.From, BaseURL: mc.BaseURL}, Policy: mc.Retry,
		Supplier: a.Supplier, Now: now, Log: a.Log}
	return nil
}
