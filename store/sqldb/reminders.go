package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
)

var _ delivery.ReminderStore = (*Deliveries)(nil)

// missingReadings is true for a contract with a register that has no reading, other than
// an estimate, dated in the window (parameters: open, close).
const missingReadings = `EXISTS (SELECT 1 FROM metering_points mp JOIN registers r ON r.metering_point_id = mp.id
	WHERE mp.contract_id = c.id AND NOT EXISTS (SELECT 1 FROM readings rd WHERE rd.register_id = r.id
		AND rd.reading_date >= ? AND rd.reading_date <= ? AND rd.source <> '` + billing.SourceEstimate + `'))`

// QueueReminders implements delivery.ReminderStore. The reminder row is unique per
// contract, period and kind, and inserted in the transaction that queues the e-mails: a
// second run, or a concurrent one, finds it and sends nothing.
func (s *Deliveries) QueueReminders(ctx context.Context, rem delivery.Reminder, at time.Time,
	fn func(delivery.ReminderTarget) []delivery.Delivery) (int, error) {
	w := rem.Window
	n := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, s.db.Q(`SELECT c.id, c.number, cu.language, c.recipients, cu.id
			FROM contracts c JOIN customers cu ON cu.id = c.customer_id
			WHERE c.start_date <= ? AND (c.end_date IS NULL OR c.end_date >= ?)
			AND NOT EXISTS (SELECT 1 FROM reading_reminders rr WHERE rr.contract_id = c.id AND rr.period = ? AND rr.kind = ?)
			AND `+missingReadings+` ORDER BY c.id`),
			w.Period.LastOfMonth().String(), w.Period.LastOfMonth().String(), w.Period.String(), rem.Kind, w.Open.String(), w.Close.String())
		if err != nil {
			return err
		}
		var targets []delivery.ReminderTarget
		var customers []int64
		for rows.Next() {
			var t delivery.ReminderTarget
			var cu int64
			if err := rows.Scan(&t.ContractID, &t.Contract, &t.Language, jsonCol{&t.Recipients}, &cu); err != nil {
				rows.Close()
				return err
			}
			targets = append(targets, t)
			customers = append(customers, cu)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		for i := range targets {
			t := &targets[i]
			if t.Contacts, err = s.contactEmails(ctx, tx, customers[i]); err != nil {
				return err
			}
			var id int64
			err := tx.QueryRowContext(ctx, s.db.Q(`INSERT INTO reading_reminders (contract_id, period, kind, window_open, window_close, created_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`),
				t.ContractID, w.Period.String(), rem.Kind, w.Open.String(), w.Close.String(), utc(at)).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue // reminded already, by a concurrent run
			}
			if err != nil {
				return fmt.Errorf("reminder of %s: %w", t.Contract, err)
			}
			ds := fn(*t)
			if err := s.queue(ctx, tx, ds); err != nil {
				return err
			}
			for _, d := range ds {
				if _, err := tx.ExecContext(ctx, s.db.Q(`UPDATE deliveries SET reminder_id = ? WHERE id = ?`), id, d.ID); err != nil {
					return err
				}
			}
			n++
		}
		return nil
	})
	return n, err
}

func (s *Deliveries) contactEmails(ctx context.Context, q querier, customer int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, s.db.Q(`SELECT email FROM contacts WHERE customer_id = ? AND email <> '' ORDER BY position`), customer)
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
	}
	return out, closeRows(rows)
}

// ReminderMail implements delivery.ReminderStore: the window as announced, and the
// registers still without a reading in it now.
func (s *Deliveries) ReminderMail(ctx context.Context, d delivery.Delivery) (delivery.ReminderMail, error) {
	var rm delivery.ReminderMail
	var contractID int64
	err := s.db.QueryRowContext(ctx, s.db.Q(`SELECT rr.period, rr.kind, rr.window_open, rr.window_close, c.id, c.number, cu.name
		FROM deliveries d JOIN reading_reminders rr ON rr.id = d.reminder_id JOIN contracts c ON c.id = rr.contract_id
		JOIN customers cu ON cu.id = c.customer_id WHERE d.id = ?`), d.ID).
		Scan(&rm.Window.Period, &rm.Kind, &rm.Window.Open, &rm.Window.Close, &contractID, &rm.Contract, &rm.Customer)
	if errors.Is(err, sql.ErrNoRows) {
		return rm, billing.NotFound("reminder of delivery", fmt.Sprint(d.ID))
	}
	if err != nil {
		return rm, err
	}
	rows, err := s.db.QueryContext(ctx, s.db.Q(`SELECT mp.code, r.zone FROM metering_points mp JOIN registers r ON r.metering_point_id = mp.id
		WHERE mp.contract_id = ? AND NOT EXISTS (SELECT 1 FROM readings rd WHERE rd.register_id = r.id
		AND rd.reading_date >= ? AND rd.reading_date <= ? AND rd.source <> '`+billing.SourceEstimate+`') ORDER BY mp.code, r.zone`),
		contractID, rm.Window.Open.String(), rm.Window.Close.String())
	if err != nil {
		return rm, err
	}
	for rows.Next() {
		var code, zone string
		if err := rows.Scan(&code, &zone); err != nil {
			rows.Close()
			return rm, err
		}
		rm.Missing = append(rm.Missing, code+" ("+zone+")")
	}
	rm.Supplier, _, err = s.db.Supplier(ctx)
	return rm, errors.Join(err, closeRows(rows))
}
