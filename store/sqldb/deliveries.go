package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
)

// Deliveries stores deliveries, their attempts, the outbox and the print batches. Enqueue
// inserts the jobs of new or rescheduled deliveries in the caller's transaction (River's
// InsertManyTx), so a delivery and its job commit or roll back together.
type Deliveries struct {
	db      *DB
	Enqueue func(ctx context.Context, tx *sql.Tx, jobs []delivery.Job) error
	Now     func() time.Time
}

// NewDeliveries returns the delivery store of db.
func NewDeliveries(db *DB, enqueue func(ctx context.Context, tx *sql.Tx, jobs []delivery.Job) error, now func() time.Time) *Deliveries {
	return &Deliveries{db: db, Enqueue: enqueue, Now: now}
}

var (
	_ delivery.Store         = (*Deliveries)(nil)
	_ delivery.SettingsStore = (*Deliveries)(nil)
)

// OnIssue queues an issued invoice's deliveries under its contract's settings as they are
// in the issuing transaction: one delivery and one job per e-invoice recipient, or an entry
// in the day's print batch for paper. It is the sqldb.DB OnIssue hook.
func (s *Deliveries) OnIssue(ctx context.Context, tx *sql.Tx, inv *billing.Invoice, _ []billing.Document) error {
	var set billing.DeliverySettings
	err := tx.QueryRowContext(ctx, s.db.Q(`SELECT delivery_method, recipients, formats FROM contracts WHERE id = ?`), inv.ContractID).
		Scan(&set.Method, jsonCol{&set.Recipients}, jsonCol{&set.Formats})
	if err != nil {
		return fmt.Errorf("delivery settings of contract %s: %w", inv.ContractNumber, err)
	}
	if set.Method != billing.EInvoice {
		return s.addToPrintBatch(ctx, tx, inv)
	}
	return s.queue(ctx, tx, delivery.ForInvoice(inv, set, s.Now()))
}

// queue inserts deliveries and their first jobs.
func (s *Deliveries) queue(ctx context.Context, tx *sql.Tx, ds []delivery.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, s.db.Q(`INSERT INTO deliveries (kind, invoice_id, contract_id, recipient, formats, language,
		message_id, status, created_at, requested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`))
	if err != nil {
		return err
	}
	defer stmt.Close()
	jobs := make([]delivery.Job, 0, len(ds))
	for i := range ds {
		d := &ds[i]
		var inv any
		if d.InvoiceID != 0 {
			inv = d.InvoiceID
		}
		if err := stmt.QueryRowContext(ctx, d.Kind, inv, d.ContractID, d.Recipient, jsonText(nonNil(d.Formats)), d.Language,
			d.MessageID, d.Status, utc(d.CreatedAt), d.RequestedBy).Scan(&d.ID); err != nil {
			return fmt.Errorf("delivery to %s: %w", d.Recipient, err)
		}
		jobs = append(jobs, delivery.Job{DeliveryID: d.ID, Seq: d.Seq})
	}
	if s.Enqueue == nil {
		return errors.New("no job queue to deliver with")
	}
	return s.Enqueue(ctx, tx, jobs)
}

const deliveryCols = `d.id, d.kind, COALESCE(i.number, ''), COALESCE(d.invoice_id, 0), d.contract_id, c.number, d.recipient, d.formats,
	d.language, d.message_id, d.status, d.seq, d.attempts, d.created_at, d.next_attempt_at, d.sent_at, d.last_reply, d.requested_by
	FROM deliveries d JOIN contracts c ON c.id = d.contract_id LEFT JOIN invoices i ON i.id = d.invoice_id`

func deliveryDest(d *delivery.Delivery) []any {
	return []any{&d.ID, &d.Kind, &d.InvoiceNumber, &d.InvoiceID, &d.ContractID, &d.Contract, &d.Recipient, jsonCol{&d.Formats},
		&d.Language, &d.MessageID, &d.Status, &d.Seq, &d.Attempts, timeCol{&d.CreatedAt}, timeCol{&d.NextAttemptAt},
		timeCol{&d.SentAt}, &d.LastReply, &d.RequestedBy}
}

// Claim implements delivery.Store.
func (s *Deliveries) Claim(ctx context.Context, id int64, seq int, at time.Time, server string) (delivery.Delivery, error) {
	var d delivery.Delivery
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.Q(`UPDATE deliveries SET status = ?, attempts = attempts + 1
			WHERE id = ? AND seq = ? AND status IN (?, ?, ?)`), delivery.Sending, id, seq, delivery.Queued, delivery.Retrying, delivery.Sending)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(delivery.ErrStale, err)
		}
		if err := tx.QueryRowContext(ctx, s.db.Q(`SELECT `+deliveryCols+` WHERE d.id = ?`), id).Scan(deliveryDest(&d)...); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.db.Q(`INSERT INTO delivery_attempts (delivery_id, n, started_at, server, outcome) VALUES (?, ?, ?, ?, ?)`),
			id, d.Attempts, utc(at), server, delivery.OutcomeSending)
		return err
	})
	return d, err
}

// Finish implements delivery.Store.
func (s *Deliveries) Finish(ctx context.Context, f delivery.Finish) error {
	reply := truncate(f.Result.Reply, 2000)
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.db.Q(`UPDATE delivery_attempts SET finished_at = ?, outcome = ?, code = ?, reply = ?
			WHERE delivery_id = ? AND n = ?`), utc(f.At), f.Result.Outcome, f.Result.Code, reply, f.ID, f.N); err != nil {
			return err
		}
		var next, sent any
		seq := f.Seq
		switch f.Status {
		case delivery.Retrying:
			next, seq = utc(f.Next), f.Seq+1
		case delivery.Sent:
			sent = utc(f.At)
		}
		res, err := tx.ExecContext(ctx, s.db.Q(`UPDATE deliveries SET status = ?, seq = ?, next_attempt_at = ?, sent_at = ?, last_reply = ?
			WHERE id = ? AND seq = ? AND status = ?`), f.Status, seq, next, sent, reply, f.ID, f.Seq, delivery.Sending)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return err // overtaken: another job owns the delivery now
		}
		if f.Status == delivery.Retrying {
			return s.Enqueue(ctx, tx, []delivery.Job{{DeliveryID: f.ID, Seq: seq, At: f.Next}})
		}
		return nil
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// InvoiceDocuments implements delivery.Store.
func (s *Deliveries) InvoiceDocuments(ctx context.Context, invoiceID int64, formats []string) (*billing.Invoice, []billing.Document, error) {
	// the head only: an e-mail says number, period, amounts and dates, never the lines
	inv := &billing.Invoice{}
	var corrects sql.NullInt64
	err := s.db.QueryRowContext(ctx, s.db.Q(`SELECT `+invoiceCols+` FROM invoices i JOIN contracts c ON c.id = i.contract_id WHERE i.id = ?`),
		invoiceID).Scan(invoiceDest(inv, &corrects)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, billing.NotFound("invoice", fmt.Sprint(invoiceID))
	}
	if err != nil {
		return nil, nil, err
	}
	inv.CorrectsID = corrects.Int64
	if len(formats) == 0 {
		return inv, nil, nil
	}
	args := []any{invoiceID}
	for _, f := range formats {
		args = append(args, f)
	}
	docs, err := s.db.documents(ctx, s.db, `d.invoice_id = ? AND d.format IN (?`+strings.Repeat(", ?", len(formats)-1)+`)`, args...)
	return inv, docs, err
}

// Confirmation implements delivery.Store.
func (s *Deliveries) Confirmation(ctx context.Context, d delivery.Delivery) (delivery.Confirmation, error) {
	cs, err := s.ContractSettings(ctx, d.Contract)
	if err != nil {
		return delivery.Confirmation{}, err
	}
	conf := delivery.Confirmation{Customer: cs.Customer, Contract: cs.Contract, Recipients: cs.Settings.Recipients, Formats: cs.Settings.Formats}
	conf.Supplier, _, err = s.db.Supplier(ctx)
	return conf, err
}

// ContractSettings implements delivery.SettingsStore.
func (s *Deliveries) ContractSettings(ctx context.Context, contract string) (delivery.ContractSettings, error) {
	return s.contractSettings(ctx, s.db, contract, "")
}

func (s *Deliveries) contractSettings(ctx context.Context, q querier, contract, lock string) (delivery.ContractSettings, error) {
	var cs delivery.ContractSettings
	var id int64
	err := q.QueryRowContext(ctx, s.db.Q(`SELECT c.id, c.number, cu.name, cu.language, c.delivery_method, c.recipients, c.formats
		FROM contracts c JOIN customers cu ON cu.id = c.customer_id WHERE c.number = ?`+lock), contract).
		Scan(&id, &cs.Contract, &cs.Customer, &cs.Language, &cs.Settings.Method, jsonCol{&cs.Settings.Recipients}, jsonCol{&cs.Settings.Formats})
	if errors.Is(err, sql.ErrNoRows) {
		return cs, billing.NotFound("contract", contract)
	}
	return cs, err
}

// UpdateSettings implements delivery.SettingsStore.
func (s *Deliveries) UpdateSettings(ctx context.Context, contract, actor string, at time.Time,
	fn func(delivery.ContractSettings) (delivery.Update, error)) (delivery.Update, error) {
	var u delivery.Update
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		lock := ""
		if s.db.Dialect == Postgres {
			lock = " FOR UPDATE OF c"
		}
		cur, err := s.contractSettings(ctx, tx, contract, lock)
		if err != nil {
			return err
		}
		if u, err = fn(cur); err != nil {
			return err
		}
		if u.Change.Same() {
			return nil
		}
		var contractID int64
		if err := tx.QueryRowContext(ctx, s.db.Q(`UPDATE contracts SET delivery_method = ?, recipients = ?, formats = ?, updated_at = ?
			WHERE number = ? RETURNING id`), u.Settings.Method, jsonText(nonNil(u.Settings.Recipients)), jsonText(nonNil(u.Settings.Formats)),
			utc(at), contract).Scan(&contractID); err != nil {
			return err
		}
		if err := s.db.audit(ctx, tx, Audit{At: at, Actor: actor, Action: "delivery_settings", Entity: "contract", EntityKey: contract,
			Details: map[string]any{"before": u.Change.Before, "after": u.Change.After, "new_recipients": nonNil(u.Change.NewRecipients)}}); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		for i := range u.Confirmations {
			u.Confirmations[i].ContractID = contractID
		}
		return s.queue(ctx, tx, u.Confirmations)
	})
	return u, err
}

// ResendInvoice implements delivery.SettingsStore.
func (s *Deliveries) ResendInvoice(ctx context.Context, number, actor string, at time.Time,
	fn func(*billing.Invoice, billing.DeliverySettings, []string) ([]delivery.Delivery, error)) ([]delivery.Delivery, error) {
	var out []delivery.Delivery
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		inv, err := s.db.invoice(ctx, tx, "i.number = ?", number)
		if billing.ErrorCode(err) == billing.ErrNotFound {
			return billing.NotFound("invoice", number)
		}
		if err != nil {
			return err
		}
		var set billing.DeliverySettings
		if err := tx.QueryRowContext(ctx, s.db.Q(`SELECT delivery_method, recipients, formats FROM contracts WHERE id = ?`), inv.ContractID).
			Scan(&set.Method, jsonCol{&set.Recipients}, jsonCol{&set.Formats}); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, s.db.Q(`SELECT recipient FROM deliveries WHERE invoice_id = ? AND kind = ? ORDER BY id`),
			inv.ID, delivery.KindInvoice)
		if err != nil {
			return err
		}
		var earlier []string
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				rows.Close()
				return err
			}
			earlier = append(earlier, r)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		if out, err = fn(inv, set, earlier); err != nil {
			return err
		}
		var to []string
		for _, d := range out {
			to = append(to, d.Recipient)
		}
		if err := s.db.audit(ctx, tx, Audit{At: at, Actor: actor, Action: "delivery_resend", Entity: "invoice", EntityKey: number,
			Details: map[string]any{"to": to}}); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		return s.queue(ctx, tx, out)
	})
	return out, err
}
