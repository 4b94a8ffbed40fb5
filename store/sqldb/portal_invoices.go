package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/erekins/erekins/billing"
)

// CustomerInvoiceFilter selects one customer's documents for the portal archive.
type CustomerInvoiceFilter struct {
	CustomerID int64
	Contract   string        // contract number; empty: all
	From, To   billing.Month // billing periods, inclusive; zero: open
	Type       string        // "invoice" or "credit_note"; empty: both
	Status     string        // one of InvoiceStatuses; empty: any
	Today      billing.Date  // the business date (Europe/Riga) the open and past_due statuses are judged on
	Limit      int
	Offset     int
}

// documentConditions are the conditions on a customer's documents (invoices i joined to
// contracts c) that the portal's archive and the API share: the customer always, then the
// contract number, the billing periods from..to (inclusive) and the type, each when given.
func documentConditions(customerID int64, contract string, from, to billing.Month, typ string) (where []string, args []any) {
	where, args = []string{"i.customer_id = ?"}, []any{customerID}
	if contract != "" {
		where, args = append(where, "c.number = ?"), append(args, contract)
	}
	if !from.IsZero() {
		where, args = append(where, "i.period_start >= ?"), append(args, from.String())
	}
	if !to.IsZero() {
		where, args = append(where, "i.period_start < ?"), append(args, to.AddMonths(1).String())
	}
	if typ != "" {
		where, args = append(where, "i.type = ?"), append(args, typ)
	}
	return where, args
}

// CustomerInvoices lists a customer's documents, newest first, and how many match in all.
// The customer is always part of the condition: the portal never sees another's documents.
func (db *DB) CustomerInvoices(ctx context.Context, f CustomerInvoiceFilter) ([]InvoiceRow, int, error) {
	where, args := documentConditions(f.CustomerID, f.Contract, f.From, f.To, f.Type)
	if f.Status != "" {
		cond, cargs, err := statusCondition(f.Status, f.CustomerID, f.Today)
		if err != nil {
			return nil, 0, err
		}
		where, args = append(where, cond), append(args, cargs...)
	}
	from := ` FROM invoices i JOIN contracts c ON c.id = i.contract_id JOIN customers cu ON cu.id = i.customer_id WHERE ` + strings.Join(where, " AND ")
	var total int
	if err := db.Read.QueryRowContext(ctx, db.Q(`SELECT count(*)`+from), args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := `SELECT i.number, i.type, i.issue_date, i.due_date, i.period_start, i.period_end, c.number, cu.name, cu.registration_number,
		i.gross, i.payable, i.estimated, i.corrects` + from + ` ORDER BY i.issue_date DESC, i.id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	rows, err := db.Read.QueryContext(ctx, db.Q(q), args...)
	if err != nil {
		return nil, 0, err
	}
	var out []InvoiceRow
	for rows.Next() {
		var r InvoiceRow
		if err := rows.Scan(&r.Number, &r.Type, &r.IssueDate, &r.DueDate, &r.Period.Start, &r.Period.End, &r.Contract, &r.Customer,
			&r.RegNo, &r.Gross, &r.Payable, &r.Estimated, &r.Corrects); err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, closeRows(rows)
}

// CustomerContracts returns the numbers of a customer's contracts.
func (db *DB) CustomerContracts(ctx context.Context, customerID int64) ([]string, error) {
	rows, err := db.Read.QueryContext(ctx, db.Q(`SELECT number FROM contracts WHERE customer_id = ? ORDER BY number`), customerID)
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, n)
	}
	return out, closeRows(rows)
}

// CustomerDocument returns a stored document of one of the customer's invoices; another
// customer's invoice is not found, exactly like one that does not exist.
func (db *DB) CustomerDocument(ctx context.Context, customerID int64, number, format string) (billing.Document, error) {
	docs, err := db.documents(ctx, db.Read, "i.number = ? AND d.format = ? AND i.customer_id = ?", number, format, customerID)
	if err != nil {
		return billing.Document{}, err
	}
	if len(docs) == 0 {
		return billing.Document{}, billing.NotFound(format+" document of invoice", number)
	}
	return docs[0], nil
}

// CustomerInvoiceDocument returns one of the customer's invoices whole, with its lines; another
// customer's invoice is not found.
func (db *DB) CustomerInvoiceDocument(ctx context.Context, customerID int64, number string) (*billing.Invoice, error) {
	inv, err := db.invoice(ctx, db.Read, "i.number = ? AND i.customer_id = ?", number, customerID)
	if billing.ErrorCode(err) == billing.ErrNotFound {
		return nil, billing.NotFound("invoice", number)
	}
	return inv, err
}
