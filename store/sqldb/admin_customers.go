package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
)

// The back office's reads. Operators see every customer, so these queries carry no customer
// of a session; the web/admin handlers are open to signed-in operators only.

// CustomerHit is a customer found by the back-office search.
type CustomerHit struct {
	ID           int64
	Name         string
	Registration string
	Contracts    int
}

// likePattern is a LIKE pattern for a substring, with LIKE's own wildcards escaped.
func likePattern(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(s))
	return "%" + s + "%"
}

// AdminSearchCustomers finds customers whose name contains q (ignoring case), or whose
// registration number, contract number or metering point code is q, by name; and how many
// match in all. An empty q lists every customer.
func (db *DB) AdminSearchCustomers(ctx context.Context, q string, limit, offset int) ([]CustomerHit, int, error) {
	q = strings.TrimSpace(q)
	where := `lower(cu.name) LIKE ? ESCAPE '\' OR cu.registration_number = ?
		OR EXISTS (SELECT 1 FROM contracts c WHERE c.customer_id = cu.id AND c.number = ?)
		OR EXISTS (SELECT 1 FROM contracts c JOIN metering_points m ON m.contract_id = c.id WHERE c.customer_id = cu.id AND m.code = ?)`
	args := []any{likePattern(q), q, q, q}
	var total int
	if err := db.Read.QueryRowContext(ctx, db.Q(`SELECT count(*) FROM customers cu WHERE `+where), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count customers: %w", err)
	}
	rows, err := db.Read.QueryContext(ctx, db.Q(`SELECT cu.id, cu.name, cu.registration_number,
		(SELECT count(*) FROM contracts c WHERE c.customer_id = cu.id) FROM customers cu WHERE `+where+
		fmt.Sprintf(` ORDER BY cu.name, cu.id LIMIT %d OFFSET %d`, max(limit, 1), max(offset, 0))), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("search customers: %w", err)
	}
	var out []CustomerHit
	for rows.Next() {
		var h CustomerHit
		if err := rows.Scan(&h.ID, &h.Name, &h.Registration, &h.Contracts); err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, h)
	}
	return out, total, closeRows(rows)
}

// AdminCustomerDeliveries returns a customer's e-mails, newest first.
func (db *DB) AdminCustomerDeliveries(ctx context.Context, customerID int64, limit int) ([]delivery.Delivery, error) {
	return db.deliveries(ctx, `SELECT `+deliveryCols+` WHERE c.customer_id = ? ORDER BY d.id DESC LIMIT ?`, customerID, max(limit, 1))
}

// AdminCustomerAudit returns the audit entries about a customer, newest first: its own
// (contacts), its contracts', invoices' and registers', and its portal users' (whose
// entries name the customer in their details). At most limit entries.
func (db *DB) AdminCustomerAudit(ctx context.Context, customerID int64, limit int) ([]Audit, error) {
	c, err := db.Customer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	reg := c.RegistrationNumber
	out, err := db.auditEntries(ctx, `WHERE (entity = 'customer' AND entity_key = ?)
		OR (entity = 'contract' AND entity_key IN (SELECT number FROM contracts WHERE customer_id = ?))
		OR (entity = 'invoice' AND entity_key IN (SELECT number FROM invoices WHERE customer_id = ?))
		OR (entity = 'register' AND entity_key IN (SELECT m.code || '/' || g.zone FROM metering_points m
			JOIN registers g ON g.metering_point_id = m.id JOIN contracts k ON k.id = m.contract_id WHERE k.customer_id = ?))
		OR entity = 'portal_user' ORDER BY id DESC`,
		func(a Audit) bool { return a.Entity != "portal_user" || fmt.Sprint(a.Details["customer"]) == reg },
		reg, customerID, customerID, customerID)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, err
}

// AdminPeriodInvoice returns the invoice in force for a contract's billing period: the
// latest invoice (not credit note) issued for it. Not found when the period has none.
func (db *DB) AdminPeriodInvoice(ctx context.Context, contractID int64, period billing.Month) (string, error) {
	var number string
	err := db.Read.QueryRowContext(ctx, db.Q(`SELECT number FROM invoices WHERE contract_id = ? AND type = ? AND period_start >= ? AND period_start < ?
		ORDER BY id DESC LIMIT 1`), contractID, billing.TypeInvoice, period.String(), period.AddMonths(1).String()).Scan(&number)
	if err != nil {
		return "", billing.NotFound("invoice of period", period.String())
	}
	return number, nil
}

// AdminInvoiceFormats returns the formats stored for an invoice.
func (db *DB) AdminInvoiceFormats(ctx context.Context, number string) ([]string, error) {
	rows, err := db.Read.QueryContext(ctx, db.Q(`SELECT d.format FROM documents d JOIN invoices i ON i.id = d.invoice_id
		WHERE i.number = ? ORDER BY d.format`), number)
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, f)
	}
	return out, closeRows(rows)
}
