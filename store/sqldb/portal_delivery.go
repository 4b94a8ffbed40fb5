package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
)

// ContractDelivery is one of a customer's contracts with its delivery settings and base
// payment term, for the portal's e-invoice page.
type ContractDelivery struct {
	Number          string
	PaymentTermDays int
	Settings        billing.DeliverySettings
}

const contractDeliveryCols = `number, payment_term_days, delivery_method, recipients, formats`

func contractDeliveryDest(c *ContractDelivery) []any {
	return []any{&c.Number, &c.PaymentTermDays, &c.Settings.Method, jsonCol{&c.Settings.Recipients}, jsonCol{&c.Settings.Formats}}
}

// CustomerContractDeliveries returns the customer's contracts with their delivery settings.
func (db *DB) CustomerContractDeliveries(ctx context.Context, customerID int64) ([]ContractDelivery, error) {
	rows, err := db.QueryContext(ctx, db.Q(`SELECT `+contractDeliveryCols+` FROM contracts WHERE customer_id = ? ORDER BY number`), customerID)
	if err != nil {
		return nil, err
	}
	var out []ContractDelivery
	for rows.Next() {
		var c ContractDelivery
		if err := rows.Scan(contractDeliveryDest(&c)...); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	return out, closeRows(rows)
}

// CustomerContractDelivery returns one of the customer's contracts; another customer's is
// not found, like one that does not exist.
func (db *DB) CustomerContractDelivery(ctx context.Context, customerID int64, number string) (ContractDelivery, error) {
	var c ContractDelivery
	err := db.QueryRowContext(ctx, db.Q(`SELECT `+contractDeliveryCols+` FROM contracts WHERE customer_id = ? AND number = ?`),
		customerID, number).Scan(contractDeliveryDest(&c)...)
	if errors.Is(err, sql.ErrNoRows) {
		return c, billing.NotFound("contract", number)
	}
	return c, err
}

// CustomerInvoice returns one of the customer's documents by number.
func (db *DB) CustomerInvoice(ctx context.Context, customerID int64, number string) (InvoiceRow, error) {
	var r InvoiceRow
	err := db.QueryRowContext(ctx, db.Q(`SELECT i.number, i.type, i.issue_date, i.due_date, i.period_start, i.period_end, c.number, cu.name,
		cu.registration_number, i.gross, i.payable, i.estimated, i.corrects
		FROM invoices i JOIN contracts c ON c.id = i.contract_id JOIN customers cu ON cu.id = i.customer_id
		WHERE i.customer_id = ? AND i.number = ?`), customerID, number).
		Scan(&r.Number, &r.Type, &r.IssueDate, &r.DueDate, &r.Period.Start, &r.Period.End, &r.Contract, &r.Customer,
			&r.RegNo, &r.Gross, &r.Payable, &r.Estimated, &r.Corrects)
	if errors.Is(err, sql.ErrNoRows) {
		return r, billing.NotFound("invoice", number)
	}
	return r, err
}

// InvoicePrint is where a paper invoice is: its print batch's date and when it was handed
// over to the print house (zero while the batch is open).
type InvoicePrint struct {
	BatchDate  billing.Date
	HandedOver time.Time
}

// CustomerInvoiceDeliveries returns the e-mails of one of the customer's invoices, oldest
// first, each with its attempts, and its print batch when it went on paper (nil otherwise).
func (db *DB) CustomerInvoiceDeliveries(ctx context.Context, customerID int64, number string) ([]delivery.Delivery, *InvoicePrint, error) {
	out, err := db.deliveries(ctx, `SELECT `+deliveryCols+` WHERE i.number = ? AND i.customer_id = ? ORDER BY d.id`, number, customerID)
	if err != nil {
		return nil, nil, err
	}
	for i := range out {
		if out[i].History, err = db.deliveryAttempts(ctx, out[i].ID); err != nil {
			return nil, nil, err
		}
	}
	var pr InvoicePrint
	err = db.QueryRowContext(ctx, db.Q(`SELECT b.batch_date, b.handed_over_at FROM print_batch_entries e
		JOIN print_batches b ON b.id = e.batch_id JOIN invoices i ON i.id = e.invoice_id
		WHERE i.number = ? AND i.customer_id = ?`), number, customerID).Scan(&pr.BatchDate, timeCol{&pr.HandedOver})
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return out, &pr, nil
}

func (db *DB) deliveryAttempts(ctx context.Context, id int64) ([]delivery.Attempt, error) {
	rows, err := db.QueryContext(ctx, db.Q(`SELECT n, started_at, finished_at, server, outcome, code, reply
		FROM delivery_attempts WHERE delivery_id = ? ORDER BY n`), id)
	if err != nil {
		return nil, err
	}
	var out []delivery.Attempt
	for rows.Next() {
		var a delivery.Attempt
		if err := rows.Scan(&a.N, timeCol{&a.StartedAt}, timeCol{&a.FinishedAt}, &a.Server, &a.Outcome, &a.Code, &a.Reply); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
	}
	return out, closeRows(rows)
}

// CustomerFailedDeliveries returns the customer's failed e-mails, newest first, that no later
// e-mail of the same invoice to the same address has made good.
func (db *DB) CustomerFailedDeliveries(ctx context.Context, customerID int64, limit int) ([]delivery.Delivery, error) {
	return db.deliveries(ctx, `SELECT `+deliveryCols+` WHERE c.customer_id = ? AND d.status = ?
		AND NOT EXISTS (SELECT 1 FROM deliveries s WHERE s.id > d.id AND s.recipient = d.recipient AND s.status = ?
			AND s.contract_id = d.contract_id AND (s.invoice_id = d.invoice_id OR (s.invoice_id IS NULL AND d.invoice_id IS NULL)))
		ORDER BY d.id DESC LIMIT ?`, customerID, delivery.Failed, delivery.Sent, limit)
}
