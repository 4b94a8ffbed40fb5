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

// addToPrintBatch puts a paper invoice in the open print batch of its issue date.
func (s *Deliveries) addToPrintBatch(ctx context.Context, tx *sql.Tx, inv *billing.Invoice) error {
	if _, err := tx.ExecContext(ctx, s.db.Q(`INSERT INTO print_batches (batch_date, created_at) VALUES (?, ?)
		ON CONFLICT (batch_date) WHERE handed_over_at IS NULL DO NOTHING`), inv.IssueDate.String(), utc(s.Now())); err != nil {
		return fmt.Errorf("print batch of %s: %w", inv.IssueDate, err)
	}
	_, err := tx.ExecContext(ctx, s.db.Q(`INSERT INTO print_batch_entries (batch_id, invoice_id)
		SELECT id, ? FROM print_batches WHERE batch_date = ? AND handed_over_at IS NULL ON CONFLICT DO NOTHING`), inv.ID, inv.IssueDate.String())
	return err
}

// PrintBatch is a day's paper invoices for the print house.
type PrintBatch struct {
	ID           int64        `json:"id"`
	Date         billing.Date `json:"date"`
	Invoices     int          `json:"invoices"`
	CreatedAt    time.Time    `json:"created_at"`
	HandedOverAt time.Time    `json:"handed_over_at,omitzero"`
	HandedOverBy string       `json:"handed_over_by,omitempty"`
	Numbers      []string     `json:"numbers,omitempty"`
}

// PrintBatches lists the print batches, newest first.
func (s *Deliveries) PrintBatches(ctx context.Context) ([]PrintBatch, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT b.id, b.batch_date, b.created_at, b.handed_over_at, b.handed_over_by,
		(SELECT count(*) FROM print_batch_entries e WHERE e.batch_id = b.id) FROM print_batches b ORDER BY b.batch_date DESC, b.id DESC`)
	if err != nil {
		return nil, err
	}
	var out []PrintBatch
	for rows.Next() {
		var b PrintBatch
		if err := rows.Scan(&b.ID, &b.Date, timeCol{&b.CreatedAt}, timeCol{&b.HandedOverAt}, &b.HandedOverBy, &b.Invoices); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, b)
	}
	return out, closeRows(rows)
}

// PrintBatch returns one batch with its invoice numbers in issue order.
func (s *Deliveries) PrintBatch(ctx context.Context, id int64) (PrintBatch, error) {
	var b PrintBatch
	err := s.db.QueryRowContext(ctx, s.db.Q(`SELECT id, batch_date, created_at, handed_over_at, handed_over_by FROM print_batches WHERE id = ?`), id).
		Scan(&b.ID, &b.Date, timeCol{&b.CreatedAt}, timeCol{&b.HandedOverAt}, &b.HandedOverBy)
	if errors.Is(err, sql.ErrNoRows) {
		return b, billing.NotFound("print batch", fmt.Sprint(id))
	}
	if err != nil {
		return b, err
	}
	rows, err := s.db.QueryContext(ctx, s.db.Q(`SELECT i.number FROM print_batch_entries e JOIN invoices i ON i.id = e.invoice_id
		WHERE e.batch_id = ? ORDER BY i.id`), id)
	if err != nil {
		return b, err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return b, err
		}
		b.Numbers = append(b.Numbers, n)
	}
	b.Invoices = len(b.Numbers)
	return b, closeRows(rows)
}

// HandOver marks a batch handed over to the print house; once only.
func (s *Deliveries) HandOver(ctx context.Context, id int64, actor string, at time.Time) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.Q(`UPDATE print_batches SET handed_over_at = ?, handed_over_by = ? WHERE id = ? AND handed_over_at IS NULL`),
			utc(at), actor, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			var exists int
			if err := tx.QueryRowContext(ctx, s.db.Q(`SELECT count(*) FROM print_batches WHERE id = ?`), id).Scan(&exists); err != nil {
				return err
			}
			if exists == 0 {
				return billing.NotFound("print batch", fmt.Sprint(id))
			}
			return billing.Errorf(billing.ErrConflict, "", "print batch %d was already handed over", id)
		}
		return s.db.audit(ctx, tx, Audit{At: at, Actor: actor, Action: "handed_over", Entity: "print_batch", EntityKey: fmt.Sprint(id)})
	})
}

// PrintEntries returns a batch's paper invoices in issue order, each with the customer as
// the invoice's snapshot has it (the address printed on the invoice) and its stored PDF.
func (s *Deliveries) PrintEntries(ctx context.Context, id int64) ([]delivery.PrintEntry, error) {
	if _, err := s.PrintBatch(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.db.Q(`SELECT i.number, i.customer, COALESCE(d.content, '')
		FROM print_batch_entries e JOIN invoices i ON i.id = e.invoice_id
		LEFT JOIN documents d ON d.invoice_id = i.id AND d.format = ?
		WHERE e.batch_id = ? ORDER BY i.id`), billing.FormatPDF, id)
	if err != nil {
		return nil, err
	}
	var out []delivery.PrintEntry
	for rows.Next() {
		var e delivery.PrintEntry
		var cu billing.Customer
		if err := rows.Scan(&e.Number, jsonCol{&cu}, &e.PDF); err != nil {
			rows.Close()
			return nil, err
		}
		e.Customer, e.LegalAddress = cu.Name, addressLine(cu.Address)
		if cu.PostalAddress != nil {
			e.PostalAddress = addressLine(*cu.PostalAddress)
		}
		out = append(out, e)
	}
	return out, closeRows(rows)
}

// addressLine writes an address on one line: "Brīvības iela 1, Rīga, LV-1010, LV".
func addressLine(a billing.Address) string {
	var parts []string
	for _, p := range []string{a.Street, a.City, a.PostalCode, a.Country} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}
