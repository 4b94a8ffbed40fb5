package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/dataset"
)

// MeteringPointCodes returns the code of every stored metering point, so that an import
// loads the state of stored registers only.
func (db *DB) MeteringPointCodes(ctx context.Context) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT code FROM metering_points`)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			rows.Close()
			return nil, err
		}
		out[code] = true
	}
	return out, closeRows(rows)
}

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
// nothing. Records are upserted by their natural keys. The readings are stored in batches;
// their IDs are not filled in.
func (db *DB) Import(ctx context.Context, ds *dataset.Dataset, readings []billing.Reading, actor string, at time.Time) (ImportStats, error) {
	return db.ImportSeq(ctx, ds, slices.Values(readings), actor, at)
}

// ImportSeq is Import with the readings given one at a time, so that millions of them need
// not be held at once.
func (db *DB) ImportSeq(ctx context.Context, ds *dataset.Dataset, readings iter.Seq[billing.Reading], actor string, at time.Time) (ImportStats, error) {
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

// The upserts of an import, by natural key, each for many rows: {rows} stands for the
// VALUES rows. The ids come back with the natural keys, as the order of RETURNING is not
// promised.
const (
	upsertCustomersSQL = `INSERT INTO customers (registration_number, name, vat_number, language, address, postal_address, peppol_id, updated_at)
		VALUES {rows} ON CONFLICT (registration_number) DO UPDATE SET name = excluded.name, vat_number = excluded.vat_number,
		language = excluded.language, address = excluded.address, postal_address = excluded.postal_address, peppol_id = excluded.peppol_id,
		updated_at = excluded.updated_at RETURNING registration_number, id`
	deleteContactsSQL  = `DELETE FROM contacts WHERE customer_id IN ({list})`
	insertContactsSQL  = `INSERT INTO contacts (customer_id, position, name, email, phone, role) VALUES {rows}`
	upsertContractsSQL = `INSERT INTO contracts (number, customer_id, start_date, end_date, price_plan, payment_term_days, monthly_estimate_kwh,
		billed_through, delivery_method, recipients, formats, updated_at) VALUES {rows}
		ON CONFLICT (number) DO UPDATE SET customer_id = excluded.customer_id, start_date = excluded.start_date, end_date = excluded.end_date,
		price_plan = excluded.price_plan, payment_term_days = excluded.payment_term_days, monthly_estimate_kwh = excluded.monthly_estimate_kwh,
		billed_through = excluded.billed_through, delivery_method = excluded.delivery_method, recipients = excluded.recipients,
		formats = excluded.formats, updated_at = excluded.updated_at RETURNING number, id`
	upsertMeteringPointsSQL = `INSERT INTO metering_points (code, contract_id, address, meter_serial, multiplier, digits) VALUES {rows}
		ON CONFLICT (code) DO UPDATE SET contract_id = excluded.contract_id, address = excluded.address, meter_serial = excluded.meter_serial,
		multiplier = excluded.multiplier, digits = excluded.digits RETURNING code, id`
	insertRegistersSQL = `INSERT INTO registers (metering_point_id, zone) VALUES {rows} ON CONFLICT (metering_point_id, zone) DO NOTHING`
)

// customersPerBatch is how many customers one round of statements writes; the file's
// natural keys are unique (dataset.Validate), so no statement touches a row twice.
const customersPerBatch = 200

func (db *DB) importCustomers(ctx context.Context, tx *sql.Tx, customers []dataset.Customer, at time.Time, st *ImportStats) error {
	now := utc(at)
	for start := 0; start < len(customers); start += customersPerBatch {
		batch := customers[start:min(start+customersPerBatch, len(customers))]
		if err := db.importCustomerBatch(ctx, tx, batch, now, st); err != nil {
			return fmt.Errorf("customers from %s: %w", batch[0].RegistrationNumber, err)
		}
	}
	return nil
}

func (db *DB) importCustomerBatch(ctx context.Context, tx *sql.Tx, batch []dataset.Customer, now time.Time, st *ImportStats) error {
	var rows [][]any
	for _, c := range batch {
		rows = append(rows, []any{c.RegistrationNumber, c.Name, c.VATNumber, c.Language, jsonText(c.Address), postal(c.PostalAddress), c.PeppolID, now})
	}
	customerIDs, err := db.upsertRows(ctx, tx, upsertCustomersSQL, rows)
	if err != nil {
		return err
	}
	st.Customers += len(batch)
	// The contacts of a customer that the file gives replace the stored ones.
	var replaced []any
	rows = rows[:0]
	for _, c := range batch {
		if len(c.Contacts) == 0 {
			continue
		}
		id := customerIDs[c.RegistrationNumber]
		replaced = append(replaced, id)
		for i, ct := range c.Contacts {
			rows = append(rows, []any{id, i + 1, ct.Name, ct.Email, ct.Phone, ct.Role})
		}
	}
	if len(replaced) > 0 {
		q := strings.Replace(deleteContactsSQL, "{list}", db.placeholders(1, len(replaced)), 1)
		if _, err := tx.ExecContext(ctx, q, replaced...); err != nil {
			return fmt.Errorf("contacts: %w", err)
		}
		if _, err := db.upsertRows(ctx, tx, insertContactsSQL, rows); err != nil {
			return fmt.Errorf("contacts: %w", err)
		}
	}
	rows = rows[:0]
	for _, c := range batch {
		for _, k := range c.Contracts {
			rows = append(rows, []any{k.Number, customerIDs[c.RegistrationNumber], k.Start.String(), nullDate(k.End), k.PricePlan, k.PaymentTermDays,
				k.MonthlyEstimateKWh.String(), nullDate(k.BilledThrough), k.Delivery.Method, jsonText(nonNil(k.Delivery.Recipients)),
				jsonText(nonNil(k.Delivery.Formats)), now})
		}
	}
	contractIDs, err := db.upsertRows(ctx, tx, upsertContractsSQL, rows)
	if err != nil {
		return fmt.Errorf("contracts: %w", err)
	}
	st.Contracts += len(rows)
	rows = rows[:0]
	for _, c := range batch {
		for _, k := range c.Contracts {
			for _, mp := range k.MeteringPoints {
				rows = append(rows, []any{mp.Code, contractIDs[k.Number], jsonText(mp.Address), mp.MeterSerial, mp.Multiplier, mp.Digits})
			}
		}
	}
	mpIDs, err := db.upsertRows(ctx, tx, upsertMeteringPointsSQL, rows)
	if err != nil {
		return fmt.Errorf("metering points: %w", err)
	}
	st.MeteringPoints += len(rows)
	rows = rows[:0]
	for _, c := range batch {
		for _, k := range c.Contracts {
			for _, mp := range k.MeteringPoints {
				for _, z := range mp.Registers {
					rows = append(rows, []any{mpIDs[mp.Code], z})
				}
			}
		}
	}
	if _, err := db.upsertRows(ctx, tx, insertRegistersSQL, rows); err != nil {
		return fmt.Errorf("registers: %w", err)
	}
	return nil
}

// upsertRows runs query with its {rows} replaced by the rows' placeholders, in statements
// of at most maxParams values. When the query returns (key, id) pairs, they come back as a map.
func (db *DB) upsertRows(ctx context.Context, tx *sql.Tx, query string, rows [][]any) (map[string]int64, error) {
	const maxParams = 4000
	ids := map[string]int64{}
	returns := strings.Contains(query, "RETURNING")
	for start := 0; start < len(rows); {
		cols := len(rows[start])
		end := min(len(rows), start+max(1, maxParams/cols))
		var args []any
		var vals strings.Builder
		for i, r := range rows[start:end] {
			if i > 0 {
				vals.WriteByte(',')
			}
			vals.WriteByte('(')
			vals.WriteString(db.placeholders(len(args)+1, len(r)))
			vals.WriteByte(')')
			args = append(args, r...)
		}
		q := strings.Replace(query, "{rows}", vals.String(), 1)
		if !returns {
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return nil, err
			}
		} else {
			res, err := tx.QueryContext(ctx, q, args...)
			if err != nil {
				return nil, err
			}
			for res.Next() {
				var key string
				var id int64
				if err := res.Scan(&key, &id); err != nil {
					res.Close()
					return nil, err
				}
				ids[key] = id
			}
			if err := closeRows(res); err != nil {
				return nil, err
			}
		}
		start = end
	}
	return ids, nil
}

// placeholders is n placeholders from the first-th, "?, ?" or "$3, $4" by dialect.
func (db *DB) placeholders(first, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		if db.Dialect == Postgres {
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(first + i))
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
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

// readingsPerInsert is how many readings one INSERT statement stores: a few hundred rows
// per statement cost a fraction of one statement per row, on SQLite and on PostgreSQL
// alike, and stay far below either's limit of parameters.
const readingsPerInsert = 500

func (db *DB) importReadings(ctx context.Context, tx *sql.Tx, readings iter.Seq[billing.Reading], st *ImportStats) error {
	var regs map[billing.RegisterKey]int64 // loaded with the first reading
	var batch, single *sql.Stmt
	defer func() {
		for _, s := range []*sql.Stmt{batch, single} {
			if s != nil {
				s.Close()
			}
		}
	}()
	args := make([]any, 0, readingsPerInsert*readingColumns)
	first := ""
	flush := func() error {
		var err error
		if len(args) == cap(args) {
			if batch == nil {
				batch, err = tx.PrepareContext(ctx, db.Q(insertReadingsSQL(readingsPerInsert)))
			}
			if err == nil {
				_, err = batch.ExecContext(ctx, args...)
			}
		} else {
			// The last few: one at a time, rather than a statement of another size.
			if single == nil && len(args) > 0 {
				single, err = tx.PrepareContext(ctx, db.Q(insertReadingsSQL(1)))
			}
			for i := 0; err == nil && i < len(args); i += readingColumns {
				_, err = single.ExecContext(ctx, args[i:i+readingColumns]...)
			}
		}
		if err != nil {
			return fmt.Errorf("readings from %s: %w", first, err)
		}
		st.Readings += len(args) / readingColumns
		args = args[:0]
		return nil
	}
	for r := range readings {
		if r.Supersedes != 0 || r.Reason != "" {
			// A correction: not what an import makes, and not what the batches hold.
			if err := flush(); err != nil {
				return err
			}
			if regs == nil {
				var err error
				if regs, err = storedRegisters(ctx, tx); err != nil {
					return err
				}
			}
			id, ok := regs[billing.RegisterKey{MeteringPoint: r.MeteringPoint, Register: r.Register}]
			if !ok {
				return fmt.Errorf("reading %s/%s %s: register not stored", r.MeteringPoint, r.Register, r.Date)
			}
			if err := db.insertReading(ctx, tx, id, &r); err != nil {
				return err
			}
			st.Readings++
			continue
		}
		if regs == nil {
			var err error
			if regs, err = storedRegisters(ctx, tx); err != nil {
				return err
			}
		}
		id, ok := regs[billing.RegisterKey{MeteringPoint: r.MeteringPoint, Register: r.Register}]
		if !ok {
			return fmt.Errorf("reading %s/%s %s: register not stored", r.MeteringPoint, r.Register, r.Date)
		}
		if len(args) == 0 {
			first = fmt.Sprintf("%s/%s %s", r.MeteringPoint, r.Register, r.Date)
		}
		args = append(args, readingArgs(id, &r)[:readingColumns]...)
		if len(args) == cap(args) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// storedRegisters maps every stored register to its id.
func storedRegisters(ctx context.Context, tx *sql.Tx) (map[billing.RegisterKey]int64, error) {
	regs := map[billing.RegisterKey]int64{}
	rows, err := tx.QueryContext(ctx, `SELECT m.code, g.zone, g.id FROM registers g JOIN metering_points m ON m.id = g.metering_point_id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var k billing.RegisterKey
		var id int64
		if err := rows.Scan(&k.MeteringPoint, &k.Register, &id); err != nil {
			rows.Close()
			return nil, err
		}
		regs[k] = id
	}
	return regs, closeRows(rows)
}

// readingColumns is the number of values of readingArgs that a batch binds: the last two,
// supersedes_id and reason, are NULL and ” for every reading of an import.
const readingColumns = 7

// insertReadingsSQL stores n readings that supersede none.
func insertReadingsSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO readings (register_id, reading_date, value, source, submitted_by, submitted_at, confirmed, supersedes_id, reason) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, NULL, '')")
	}
	return b.String()
}
