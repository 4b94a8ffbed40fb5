package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
)

// failedNotMadeGood selects failed e-mails that no later e-mail of the same invoice (or the
// same confirmation) to the same address has made good; parameters: failed, sent.
const failedNotMadeGood = `d.status = ? AND NOT EXISTS (SELECT 1 FROM deliveries s WHERE s.id > d.id AND s.recipient = d.recipient
	AND s.status = ? AND s.contract_id = d.contract_id AND (s.invoice_id = d.invoice_id OR (s.invoice_id IS NULL AND d.invoice_id IS NULL)))`

// AdminFailedDeliveries returns the failed e-mails of every customer, newest first, that
// were not made good later, and how many there are in all.
func (db *DB) AdminFailedDeliveries(ctx context.Context, limit, offset int) ([]delivery.Delivery, int, error) {
	var total int
	if err := db.QueryRowContext(ctx, db.Q(`SELECT count(*) FROM deliveries d WHERE `+failedNotMadeGood), delivery.Failed, delivery.Sent).
		Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count failed deliveries: %w", err)
	}
	ds, err := db.deliveries(ctx, `SELECT `+deliveryCols+` WHERE `+failedNotMadeGood+
		fmt.Sprintf(` ORDER BY d.id DESC LIMIT %d OFFSET %d`, max(limit, 1), max(offset, 0)), delivery.Failed, delivery.Sent)
	return ds, total, err
}

// MissingReading is a register of a contract in force that lacks a reading (other than an
// estimate) in a readings window.
type MissingReading struct {
	CustomerID    int64
	Customer      string
	Registration  string
	Contract      string
	MeteringPoint string
	Register      string
	LastReading   billing.Date // zero: none at all
}

// missingFrom selects the registers of contracts in force in w's period without a reading
// in w; parameters: period end (twice), open, close.
const missingFrom = ` FROM registers g JOIN metering_points m ON m.id = g.metering_point_id JOIN contracts c ON c.id = m.contract_id
	JOIN customers cu ON cu.id = c.customer_id
	WHERE c.start_date <= ? AND (c.end_date IS NULL OR c.end_date >= ?)
	AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.register_id = g.id AND r.reading_date >= ? AND r.reading_date <= ?
		AND r.source <> '` + billing.SourceEstimate + `')`

// AdminMissingReadings returns every customer's registers still lacking a reading in the
// window w, by customer, contract, metering point and register, and how many in all. It is
// the all-customers variant of what the portal's overview shows one customer.
func (db *DB) AdminMissingReadings(ctx context.Context, w billing.Window, limit, offset int) ([]MissingReading, int, error) {
	end := w.Period.LastOfMonth().String()
	args := []any{end, end, w.Open.String(), w.Close.String()}
	var total int
	if err := db.Read.QueryRowContext(ctx, db.Q(`SELECT count(*)`+missingFrom), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count missing readings: %w", err)
	}
	rows, err := db.Read.QueryContext(ctx, db.Q(`SELECT cu.id, cu.name, cu.registration_number, c.number, m.code, g.zone,
		(SELECT max(r.reading_date) FROM readings r WHERE r.register_id = g.id AND r.source <> '`+billing.SourceEstimate+`')`+missingFrom+
		fmt.Sprintf(` ORDER BY cu.name, cu.id, c.number, m.code, g.zone LIMIT %d OFFSET %d`, max(limit, 1), max(offset, 0))), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("missing readings: %w", err)
	}
	var out []MissingReading
	for rows.Next() {
		var mr MissingReading
		if err := rows.Scan(&mr.CustomerID, &mr.Customer, &mr.Registration, &mr.Contract, &mr.MeteringPoint, &mr.Register, &mr.LastReading); err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, mr)
	}
	return out, total, closeRows(rows)
}

// Dashboard is the back office's first page: what needs attention.
type Dashboard struct {
	FailedDeliveries   int
	RetryingDeliveries int
	PrintBatchesOpen   int
	LastIssueDate      billing.Date // the latest issue date of any document
	LastIssueCount     int          // documents issued on it
}

// AdminDashboard counts what the dashboard shows, besides the job queue and missing readings.
func (db *DB) AdminDashboard(ctx context.Context) (Dashboard, error) {
	var d Dashboard
	if err := db.QueryRowContext(ctx, db.Q(`SELECT count(*) FROM deliveries d WHERE `+failedNotMadeGood), delivery.Failed, delivery.Sent).
		Scan(&d.FailedDeliveries); err != nil {
		return d, err
	}
	if err := db.QueryRowContext(ctx, db.Q(`SELECT count(*) FROM deliveries WHERE status = ?`), delivery.Retrying).Scan(&d.RetryingDeliveries); err != nil {
		return d, err
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM print_batches WHERE handed_over_at IS NULL`).Scan(&d.PrintBatchesOpen); err != nil {
		return d, err
	}
	days, err := db.AdminIssueDays(ctx, 1)
	if err != nil || len(days) == 0 {
		return d, err
	}
	d.LastIssueDate, d.LastIssueCount = days[0].Date, days[0].Invoices+days[0].CreditNotes
	return d, nil
}

// IssueDay is what billing issued on one day: the record of billing runs that billing keeps.
type IssueDay struct {
	Date        billing.Date
	Invoices    int
	CreditNotes int
}

// AdminIssueDays returns the latest days on which documents were issued, newest first.
func (db *DB) AdminIssueDays(ctx context.Context, limit int) ([]IssueDay, error) {
	rows, err := db.Read.QueryContext(ctx, db.Q(`SELECT issue_date, sum(CASE WHEN type = ? THEN 1 ELSE 0 END), sum(CASE WHEN type = ? THEN 1 ELSE 0 END)
		FROM invoices GROUP BY issue_date ORDER BY issue_date DESC LIMIT ?`), billing.TypeInvoice, billing.TypeCreditNote, max(limit, 1))
	if err != nil {
		return nil, err
	}
	var out []IssueDay
	for rows.Next() {
		var d IssueDay
		if err := rows.Scan(&d.Date, &d.Invoices, &d.CreditNotes); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, d)
	}
	return out, closeRows(rows)
}

// Job is a background job as River keeps it, for the back office.
type Job struct {
	ID          int64
	Kind        string
	Queue       string
	State       string
	Attempt     int
	MaxAttempts int
	Errors      int
	LastError   string
	ScheduledAt time.Time
	FinalizedAt time.Time // zero while not finished
}

// JobCount is how many jobs of a kind are in a state.
type JobCount struct {
	Kind, State string
	N           int
}

// AdminJobCounts counts River's jobs by kind and state, reading River's table directly
// (read-only).
func (db *DB) AdminJobCounts(ctx context.Context) ([]JobCount, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT kind, state, count(*) FROM river_job GROUP BY kind, state ORDER BY kind, state`)
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	var out []JobCount
	for rows.Next() {
		var c JobCount
		if err := rows.Scan(&c.Kind, &c.State, &c.N); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	return out, closeRows(rows)
}

// AdminJobs returns River's jobs, newest first, optionally of one kind, with their error
// count and last error.
func (db *DB) AdminJobs(ctx context.Context, kind string, limit int) ([]Job, error) {
	// River keeps errors as jsonb[] in PostgreSQL and as a JSON array text in SQLite.
	errs := `COALESCE(json_array_length(errors), 0), COALESCE(json_extract(errors, '$[#-1].error'), '')`
	if db.Dialect == Postgres {
		errs = `COALESCE(cardinality(errors), 0), COALESCE(errors[cardinality(errors)]->>'error', '')`
	}
	q := `SELECT id, kind, queue, state, attempt, max_attempts, ` + errs + `, scheduled_at, finalized_at FROM river_job`
	args := []any{}
	if kind != "" {
		q += ` WHERE kind = ?`
		args = append(args, kind)
	}
	q += fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, max(limit, 1))
	rows, err := db.Read.QueryContext(ctx, db.Q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	var out []Job
	for rows.Next() {
		var j Job
		if err := rows.Scan(&j.ID, &j.Kind, &j.Queue, &j.State, &j.Attempt, &j.MaxAttempts, &j.Errors, &j.LastError,
			timeCol{&j.ScheduledAt}, timeCol{&j.FinalizedAt}); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, j)
	}
	return out, closeRows(rows)
}
