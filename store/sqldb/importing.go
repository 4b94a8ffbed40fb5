package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/dataset"
)

// KnownMeteringPoints returns the stored metering points among codes, with their registers,
// for validating a dataset that adds readings to meters imported earlier.
func (db *DB) KnownMeteringPoints(ctx context.Context, codes []string) (map[string]billing.MeteringPoint, error) {
	sts, err := db.registerStates(ctx, db, codes)
	if err != nil {
		return nil, err
	}
	out := map[string]billing.MeteringPoint{}
	for k, st := range sts {
		mp := out[k.MeteringPoint]
		mp.Code, mp.Digits, mp.Multiplier = k.MeteringPoint, st.Digits, st.Multiplier
		mp.Registers = append(mp.Registers, k.Register)
		out[k.MeteringPoint] = mp
	}
	return out, nil
}

// RegisterStates returns the state of every register of the given metering points.
func (db *DB) RegisterStates(ctx context.Context, codes []string) (map[billing.RegisterKey]*billing.RegisterState, error) {
	return db.registerStates(ctx, db, codes)
}

// ImportStats counts what an import wrote.
type ImportStats struct {
	Customers, Contracts, MeteringPoints, PricePlans, Readings, ReadingsUnchanged int
}

// Import writes a validated dataset and its accepted readings in one transaction: all or
// nothing. Records are upserted by their natural keys.
func (db *DB) Import(ctx context.Context, ds *dataset.Dataset, readings []billing.Reading, actor string, at time.Time) (ImportStats, error) {
	var st ImportStats
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		st = ImportStats{}
		if ds.Supplier != nil {
			if err := db.putSetting(ctx, tx, keySupplier, ds.Supplier); err != nil {
				return fmt.Errorf("supplier: %w", err)
			}
		}
		if ds.Calendar != nil {
			if err := db.putSetting(ctx, tx, keyCalendar, ds.Calendar); err != nil {
				return fmt.Errorf("calendar: %w", err)
			}
		}
		for _, p := range ds.PricePlans {
			if _, err := tx.ExecContext(ctx, db.Q(`INSERT INTO price_plans (code, components) VALUES (?, ?)
				ON CONFLICT (code) DO UPDATE SET components = excluded.components`), p.Code, jsonText(p.Components)); err != nil {
				return fmt.Errorf("price plan %s: %w", p.Code, err)
			}
			st.PricePlans++
		}
		if err := db.importCustomers(ctx, tx, ds.Customers, at, &st); err != nil {
			return err
		}
		if err := db.importReadings(ctx, tx, readings, &st); err != nil {
			return err
		}
		return db.audit(ctx, tx, Audit{At: at, Actor: actor, Action: "import", Entity: "dataset", EntityKey: at.UTC().Format(time.RFC3339),
			Details: map[string]any{"customers": st.Customers, "contracts": st.Contracts, "metering_points": st.MeteringPoints, "readings": st.Readings}})
	})
	return st, err
}

type importStmts struct {
	customer, contact, contract, mp, register *sql.Stmt
}

func (db *DB) importCustomers(ctx context.Context, tx *sql.Tx, customers []dataset.Customer, at time.Time, st *ImportStats) error {
	var s importStmts
	var err error
	prep := func(dst **sql.Stmt, q string) {
		if err == nil {
			*dst, err = tx.PrepareContext(ctx, db.Q(q))
		}
	}
	prep(&s.customer, `INSERT INTO customers (registration_number, name, vat_number, language, address, postal_address, peppol_id, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (registration_number) DO UPDATE SET name = excluded.name, vat_number = excluded.vat_number,
		language = excluded.language, address = excluded.address, postal_address = excluded.postal_address, peppol_id = excluded.peppol_id,
		updated_at = excluded.updated_at RETURNING id`)
	prep(&s.contact, `INSERT INTO contacts (customer_id, position, name, email, phone, role) VALUES (?, ?, ?, ?, ?, ?)`)
	prep(&s.contract, `INSERT INTO contracts (number, customer_id, start_date, end_date, price_plan, payment_term_days, monthly_estimate_kwh,
		billed_through, delivery_method, recipients, formats, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (number) DO UPDATE SET customer_id = excluded.customer_id, start_date = excluded.start_date, end_date = excluded.end_date,
		price_plan = excluded.price_plan, payment_term_days = excluded.payment_term_days, monthly_estimate_kwh = excluded.monthly_estimate_kwh,
		billed_through = excluded.billed_through, delivery_method = excluded.delivery_method, recipients = excluded.recipients,
		formats = excluded.formats, updated_at = excluded.updated_at RETURNING id`)
	prep(&s.mp, `INSERT INTO metering_points (code, contract_id, address, meter_serial, multiplier, digits) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET contract_id = excluded.contract_id, address = excluded.address, meter_serial = excluded.meter_serial,
		multiplier = excluded.multiplier, digits = excluded.digits RETURNING id`)
	prep(&s.register, `INSERT INTO registers (metering_point_id, zone) VALUES (?, ?) ON CONFLICT (metering_point_id, zone) DO NOTHING`)
	if err != nil {
		return fmt.Errorf("prepare import: %w", err)
	}
	now := utc(at)
	for _, c := range customers {
		var id int64
		if err := s.customer.QueryRowContext(ctx, c.RegistrationNumber, c.Name, c.VATNumber, c.Language, jsonText(c.Address),
			postal(c.PostalAddress), c.PeppolID, now).Scan(&id); err != nil {
			return fmt.Errorf("customer %s: %w", c.RegistrationNumber, err)
		}
		st.Customers++
		if len(c.Contacts) > 0 {
			if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM contacts WHERE customer_id = ?`), id); err != nil {
				return fmt.Errorf("customer %s contacts: %w", c.RegistrationNumber, err)
			}
			for i, ct := range c.Contacts {
				if _, err := s.contact.ExecContext(ctx, id, i+1, ct.Name, ct.Email, ct.Phone, ct.Role); err != nil {
					return fmt.Errorf("customer %s contact %d: %w", c.RegistrationNumber, i+1, err)
				}
			}
		}
		for _, k := range c.Contracts {
			var kid int64
			if err := s.contract.QueryRowContext(ctx, k.Number, id, k.Start.String(), nullDate(k.End), k.PricePlan, k.PaymentTermDays,
				k.MonthlyEstimateKWh.String(), nullDate(k.BilledThrough), k.Delivery.Method, jsonText(nonNil(k.Delivery.Recipients)),
				jsonText(nonNil(k.Delivery.Formats)), now).Scan(&kid); err != nil {
				return fmt.Errorf("contract %s: %w", k.Number, err)
			}
			st.Contracts++
			for _, mp := range k.MeteringPoints {
				var mid int64
				if err := s.mp.QueryRowContext(ctx, mp.Code, kid, jsonText(mp.Address), mp.MeterSerial, mp.Multiplier, mp.Digits).Scan(&mid); err != nil {
					return fmt.Errorf("metering point %s: %w", mp.Code, err)
				}
				st.MeteringPoints++
				for _, z := range mp.Registers {
					if _, err := s.register.ExecContext(ctx, mid, z); err != nil {
						return fmt.Errorf("metering point %s register %s: %w", mp.Code, z, err)
					}
				}
			}
		}
	}
	return nil
}

func postal(a *billing.Address) any {
	if a == nil {
		return nil
	}
	return jsonText(a)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (db *DB) importReadings(ctx context.Context, tx *sql.Tx, readings []billing.Reading, st *ImportStats) error {
	if len(readings) == 0 {
		return nil
	}
	regs := map[billing.RegisterKey]int64{}
	rows, err := tx.QueryContext(ctx, `SELECT m.code, g.zone, g.id FROM registers g JOIN metering_points m ON m.id = g.metering_point_id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k billing.RegisterKey
		var id int64
		if err := rows.Scan(&k.MeteringPoint, &k.Register, &id); err != nil {
			rows.Close()
			return err
		}
		regs[k] = id
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, db.Q(insertReadingSQL))
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range readings {
		r := &readings[i]
		id, ok := regs[billing.RegisterKey{MeteringPoint: r.MeteringPoint, Register: r.Register}]
		if !ok {
			return fmt.Errorf("reading %s/%s %s: register not stored", r.MeteringPoint, r.Register, r.Date)
		}
		if err := stmt.QueryRowContext(ctx, readingArgs(id, r)...).Scan(&r.ID); err != nil {
			return fmt.Errorf("reading %s/%s %s: %w", r.MeteringPoint, r.Register, r.Date, err)
		}
		st.Readings++
	}
	return nil
}
