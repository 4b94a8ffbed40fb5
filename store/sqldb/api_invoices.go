package sqldb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/erekins/erekins/billing"
)

// APIInvoice is a document in the API's list: the archive row with when it last changed
// for the customer and the credit note that corrects it, if any.
type APIInvoice struct {
	InvoiceRow
	ID         int64
	UpdatedAt  time.Time
	CreditedBy string
}

// InvoiceKey is a position in the API's invoice order (updated_at, then id): a page starts
// after it.
type InvoiceKey struct {
	UpdatedAt time.Time
	ID        int64
}

// APIInvoiceFilter selects one customer's documents for the API.
type APIInvoiceFilter struct {
	CustomerID   int64
	Contract     string        // contract number; empty: all
	From, To     billing.Month // billing periods, inclusive; zero: open
	Type         string        // "invoice" or "credit_note"; empty: both
	UpdatedSince time.Time     // zero: all
	After        *InvoiceKey   // nil: from the start
	Limit        int
}

// APIInvoices lists a customer's documents in the order of (updated_at, id), oldest
// first, from after f.After (keyset pagination: stable while documents are added, since
// new and newly corrected ones sort after every older position). The customer is part of
// the condition.
//
// A document's updated_at is when it last changed for the customer: when it was issued, or
// when a credit note corrected it, whichever is later (a credit note is created after the
// invoice it corrects). Documents are immutable, so nothing else changes them. The credit
// notes come from a join on the customer's own rows, not from a correlated max(...) per
// row, which PostgreSQL is apt to answer by walking an index of every invoice backwards.
func (db *DB) APIInvoices(ctx context.Context, f APIInvoiceFilter) ([]APIInvoice, error) {
	where, cond := documentConditions(f.CustomerID, f.Contract, f.From, f.To, f.Type)
	args := append([]any{f.CustomerID}, cond...) // the credit notes' join, then the condition
	var outer []string
	if !f.UpdatedSince.IsZero() {
		outer, args = append(outer, "t.updated_at >= ?"), append(args, utc(f.UpdatedSince))
	}
	if f.After != nil {
		at := utc(f.After.UpdatedAt)
		outer, args = append(outer, "(t.updated_at > ? OR (t.updated_at = ? AND t.id > ?))"), append(args, at, at, f.After.ID)
	}
	q := `SELECT t.id, t.number, t.type, t.issue_date, t.due_date, t.period_start, t.period_end, t.contract, t.name, t.reg,
		t.gross, t.payable, t.estimated, t.corrects, t.updated_at, t.credited_by FROM (
		SELECT i.id, i.number, i.type, i.issue_date, i.due_date, i.period_start, i.period_end, c.number AS contract, cu.name,
			cu.registration_number AS reg, i.gross, i.payable, i.estimated, i.corrects,
			COALESCE(cn.at, i.created_at) AS updated_at, COALESCE(cn.number, '') AS credited_by
		FROM invoices i JOIN contracts c ON c.id = i.contract_id JOIN customers cu ON cu.id = i.customer_id
		LEFT JOIN (SELECT corrects_id, max(created_at) AS at, max(number) AS number FROM invoices
			WHERE customer_id = ? AND corrects_id IS NOT NULL GROUP BY corrects_id) cn ON cn.corrects_id = i.id
		WHERE ` + strings.Join(where, " AND ") + `) t`
	if len(outer) > 0 {
		q += ` WHERE ` + strings.Join(outer, " AND ")
	}
	q += fmt.Sprintf(` ORDER BY t.updated_at, t.id LIMIT %d`, max(f.Limit, 1))
	rows, err := db.Read.QueryContext(ctx, db.Q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list API invoices: %w", err)
	}
	var out []APIInvoice
	for rows.Next() {
		var r APIInvoice
		if err := rows.Scan(&r.ID, &r.Number, &r.Type, &r.IssueDate, &r.DueDate, &r.Period.Start, &r.Period.End, &r.Contract, &r.Customer,
			&r.RegNo, &r.Gross, &r.Payable, &r.Estimated, &r.Corrects, timeCol{&r.UpdatedAt}, &r.CreditedBy); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list API invoices: %w", err)
		}
		r.UpdatedAt = r.UpdatedAt.UTC()
		out = append(out, r)
	}
	return out, closeRows(rows)
}
