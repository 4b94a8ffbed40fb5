package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/erekins/erekins/billing"
)

// The statuses the portal's archive filters by. erekins records no payments, so a status
// says what the documents and the calendar tell — never whether anyone has paid.
const (
	StatusOpen      = "open"      // an invoice no credit note corrects, due today or later
	StatusPastDue   = "past_due"  // an invoice no credit note corrects, whose due date has passed
	StatusCorrected = "corrected" // an invoice that a credit note corrects (and a new invoice replaces)
	StatusEstimated = "estimated" // a document with estimated lines, of either type
)

// InvoiceStatuses are the statuses a CustomerInvoiceFilter takes, in the order the portal
// offers them.
var InvoiceStatuses = []string{StatusOpen, StatusPastDue, StatusCorrected, StatusEstimated}

// correctedIDs is the subquery of a customer's invoices that a credit note corrects. It does
// not depend on the outer row, so both databases run it once per query (SQLite builds a
// temporary index of it, PostgreSQL a hash), and it reads only the customer's rows through
// invoices_customer: no per-row lookup, and no index on corrects_id is needed.
const correctedIDs = `SELECT corrects_id FROM invoices WHERE customer_id = ? AND type = 'credit_note' AND corrects_id IS NOT NULL`

// statusCondition is the WHERE condition (on invoices i) and its arguments for a status,
// judged on the business date today.
func statusCondition(status string, customerID int64, today billing.Date) (string, []any, error) {
	due := func(op string) (string, []any, error) {
		if today.IsZero() {
			return "", nil, billing.Errorf(billing.ErrInvalid, "status", "status %q needs the business date", status)
		}
		return `i.type = 'invoice' AND i.due_date ` + op + ` ? AND i.id NOT IN (` + correctedIDs + `)`,
			[]any{today.String(), customerID}, nil
	}
	switch status {
	case StatusOpen:
		return due(">=")
	case StatusPastDue:
		return due("<")
	case StatusCorrected:
		return `i.type = 'invoice' AND i.id IN (` + correctedIDs + `)`, []any{customerID}, nil
	case StatusEstimated:
		return `i.estimated = ?`, []any{true}, nil
	}
	return "", nil, billing.Errorf(billing.ErrInvalid, "status", "%q: must be one of %s", status, strings.Join(InvoiceStatuses, ", "))
}

// InvoiceStatus is the status of a listed document on the business date today, by the same
// rules as the filter: open, past_due or corrected for an invoice, "" for a credit note.
// Estimated is not among them: it is a property beside the status (InvoiceRow.Estimated).
func InvoiceStatus(r InvoiceRow, today billing.Date, corrected bool) string {
	switch {
	case r.Type != billing.TypeInvoice:
		return ""
	case corrected:
		return StatusCorrected
	case r.DueDate.Before(today):
		return StatusPastDue
	}
	return StatusOpen
}

// CustomerCorrections tells which of the customer's invoices (by number) a credit note
// corrects: invoice number → credit note number. Another customer's numbers are never in it.
func (db *DB) CustomerCorrections(ctx context.Context, customerID int64, numbers []string) (map[string]string, error) {
	out := map[string]string{}
	if len(numbers) == 0 {
		return out, nil
	}
	args := []any{customerID}
	for _, n := range numbers {
		args = append(args, n)
	}
	q := `SELECT i.number, cn.number FROM invoices cn JOIN invoices i ON i.id = cn.corrects_id
		WHERE cn.customer_id = ? AND cn.type = 'credit_note' AND i.number IN (?` + strings.Repeat(", ?", len(numbers)-1) + `)`
	rows, err := db.Read.QueryContext(ctx, db.Q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("load corrections: %w", err)
	}
	for rows.Next() {
		var inv, cn string
		if err := rows.Scan(&inv, &cn); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load corrections: %w", err)
		}
		out[inv] = cn
	}
	return out, closeRows(rows)
}
