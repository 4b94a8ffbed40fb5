package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/erekins/erekins/billing"
)

// CustomerMeter is a metering point of a customer with its registers, for the portal.
type CustomerMeter struct {
	Contract  string
	Code      string
	Address   billing.Address
	Serial    string
	Registers []string
}

// CustomerMeters returns a customer's metering points and registers, by contract and code.
func (db *DB) CustomerMeters(ctx context.Context, customerID int64) ([]CustomerMeter, error) {
	rows, err := db.Read.QueryContext(ctx, db.Q(`SELECT c.number, m.code, m.address, m.meter_serial, g.zone
		FROM metering_points m JOIN contracts c ON c.id = m.contract_id JOIN registers g ON g.metering_point_id = m.id
		WHERE c.customer_id = ? ORDER BY c.number, m.code, g.zone`), customerID)
	if err != nil {
		return nil, err
	}
	var out []CustomerMeter
	for rows.Next() {
		var m CustomerMeter
		var zone string
		if err := rows.Scan(&m.Contract, &m.Code, jsonCol{&m.Address}, &m.Serial, &zone); err != nil {
			rows.Close()
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].Code == m.Code {
			out[n-1].Registers = append(out[n-1].Registers, zone)
			continue
		}
		m.Registers = []string{zone}
		out = append(out, m)
	}
	return out, closeRows(rows)
}

// Customer returns a customer with its contacts.
func (db *DB) Customer(ctx context.Context, id int64) (billing.Customer, error) {
	var c billing.Customer
	err := db.QueryRowContext(ctx, db.Q(`SELECT `+customerCols+` FROM customers cu WHERE cu.id = ?`), id).Scan(customerDest(&c)...)
	if errors.Is(err, sql.ErrNoRows) {
		return c, billing.NotFound("customer", "")
	}
	if err != nil {
		return c, err
	}
	rows, err := db.QueryContext(ctx, db.Q(`SELECT name, email, phone, role FROM contacts WHERE customer_id = ? ORDER BY position`), id)
	if err != nil {
		return c, err
	}
	for rows.Next() {
		var ct billing.Contact
		if err := rows.Scan(&ct.Name, &ct.Email, &ct.Phone, &ct.Role); err != nil {
			rows.Close()
			return c, err
		}
		c.Contacts = append(c.Contacts, ct)
	}
	return c, closeRows(rows)
}

// SetContacts replaces a customer's contact persons, with the old and new lists in the audit
// log under the customer's registration number.
func (db *DB) SetContacts(ctx context.Context, customerID int64, contacts []billing.Contact, actor string, at time.Time) error {
	old, err := db.Customer(ctx, customerID)
	if err != nil {
		return err
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM contacts WHERE customer_id = ?`), customerID); err != nil {
			return err
		}
		for i, ct := range contacts {
			if _, err := tx.ExecContext(ctx, db.Q(`INSERT INTO contacts (customer_id, position, name, email, phone, role) VALUES (?, ?, ?, ?, ?, ?)`),
				customerID, i+1, ct.Name, ct.Email, ct.Phone, ct.Role); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, db.Q(`UPDATE customers SET updated_at = ? WHERE id = ?`), utc(at), customerID); err != nil {
			return err
		}
		return db.audit(ctx, tx, Audit{At: at, Actor: actor, Action: "contacts.update", Entity: "customer", EntityKey: old.RegistrationNumber,
			Details: map[string]any{"before": nonNilContacts(old.Contacts), "after": nonNilContacts(contacts)}})
	})
}

func nonNilContacts(c []billing.Contact) []billing.Contact {
	if c == nil {
		return []billing.Contact{}
	}
	return c
}
