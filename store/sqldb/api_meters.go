package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

// APIMeter is a metering point of a customer with its registers and each register's last
// reading, for the API.
type APIMeter struct {
	Contract   string
	Code       string
	Address    billing.Address
	Serial     string
	Multiplier int
	Digits     int
	Registers  []APIRegister
}

// APIRegister is a register and its last effective (not superseded) reading, if any.
type APIRegister struct {
	Zone string
	Last *APIReading
}

// APIReading is a register's reading as the API shows it.
type APIReading struct {
	Date        billing.Date
	Value       decimal.Decimal
	Source      string
	SubmittedAt time.Time
}

// APIMeters returns a customer's metering points with registers and last readings, by
// contract and code. The customer is part of the condition.
func (db *DB) APIMeters(ctx context.Context, customerID int64) ([]APIMeter, error) {
	rows, err := db.Read.QueryContext(ctx, db.Q(`SELECT c.number, m.code, m.address, m.meter_serial, m.multiplier, m.digits, g.zone,
			r.reading_date, r.value, r.source, r.submitted_at
		FROM metering_points m JOIN contracts c ON c.id = m.contract_id JOIN registers g ON g.metering_point_id = m.id
		LEFT JOIN readings r ON r.id = (SELECT r2.id FROM readings r2 WHERE r2.register_id = g.id
			AND NOT EXISTS (SELECT 1 FROM readings s WHERE s.supersedes_id = r2.id)
			ORDER BY r2.reading_date DESC, r2.submitted_at DESC, r2.id DESC LIMIT 1)
		WHERE c.customer_id = ? ORDER BY c.number, m.code, g.zone`), customerID)
	if err != nil {
		return nil, fmt.Errorf("list API meters: %w", err)
	}
	var out []APIMeter
	for rows.Next() {
		var m APIMeter
		var g APIRegister
		var last APIReading
		var value decimal.NullDecimal
		var source sql.NullString
		if err := rows.Scan(&m.Contract, &m.Code, jsonCol{&m.Address}, &m.Serial, &m.Multiplier, &m.Digits, &g.Zone,
			&last.Date, &value, &source, timeCol{&last.SubmittedAt}); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list API meters: %w", err)
		}
		if value.Valid {
			last.Value, last.Source, last.SubmittedAt = value.Decimal, source.String, last.SubmittedAt.UTC()
			g.Last = &last
		}
		if n := len(out); n > 0 && out[n-1].Code == m.Code {
			out[n-1].Registers = append(out[n-1].Registers, g)
			continue
		}
		m.Registers = []APIRegister{g}
		out = append(out, m)
	}
	return out, closeRows(rows)
}
