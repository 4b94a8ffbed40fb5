package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// BillingStates implements billing.BillingStore.
func (db *DB) BillingStates(ctx context.Context, after int64, limit int) ([]*billing.ContractState, error) {
	rows, err := db.Read.QueryContext(ctx, db.Q(`SELECT c.id, c.number, c.customer_id, c.start_date, c.end_date, c.price_plan,
		c.payment_term_days, c.monthly_estimate_kwh, c.billed_through,
		(SELECT max(bp.period) FROM billing_periods bp WHERE bp.contract_id = c.id), c.delivery_method, c.recipients, c.formats,
		`+customerCols+`
		FROM contracts c JOIN customers cu ON cu.id = c.customer_id
		WHERE c.id > ? ORDER BY c.id LIMIT ?`), after, limit)
	if err != nil {
		return nil, err
	}
	var states []*billing.ContractState
	byID := map[int64]*billing.ContractState{}
	for rows.Next() {
		st := &billing.ContractState{Histories: map[billing.RegisterKey]*billing.History{}}
		c := &st.Contract
		dest := []any{&c.ID, &c.Number, &c.CustomerID, &c.Start, &c.End, &c.PricePlan, &c.PaymentTermDays,
			&c.MonthlyEstimateKWh, &c.BilledThrough, &st.LastBilled, &c.Delivery.Method,
			jsonCol{&c.Delivery.Recipients}, jsonCol{&c.Delivery.Formats}}
		if err := rows.Scan(append(dest, customerDest(&st.Customer)...)...); err != nil {
			rows.Close()
			return nil, err
		}
		states = append(states, st)
		byID[c.ID] = st
	}
	if err := closeRows(rows); err != nil || len(states) == 0 {
		return nil, err
	}
	lo, hi := states[0].Contract.ID, states[len(states)-1].Contract.ID
	if err := db.loadMeters(ctx, db.Read, lo, hi, byID); err != nil {
		return nil, err
	}
	since := earliestPeriod(states)
	if err := db.loadRebills(ctx, lo, hi, byID, &since); err != nil {
		return nil, err
	}
	// Most periods need only the previous window's readings and their own; the planner asks
	// for the rest (estimates look back 12 months) through FullHistories.
	since = since.AddMonths(-1)
	if err := db.loadHistories(ctx, lo, hi, since, byID); err != nil {
		return nil, err
	}
	for _, st := range states {
		st.HistorySince = since
	}
	return states, nil
}

// earliestPeriod is the month before the first period any of the states may bill: the
// month whose window holds the previous closing readings.
func earliestPeriod(states []*billing.ContractState) calendar.Date {
	var since calendar.Date
	for _, st := range states {
		first := billing.MonthOf(st.Contract.Start)
		if !st.LastBilled.IsZero() {
			first = st.LastBilled
		} else if !st.Contract.BilledThrough.IsZero() {
			first = billing.MonthOf(st.Contract.BilledThrough)
		}
		for _, rb := range st.Rebills {
			first = calendar.Min(first, rb.Period.AddMonths(-1))
		}
		if since.IsZero() || first.Before(since) {
			since = first
		}
	}
	return since
}

// FullHistories implements billing.BillingStore.
func (db *DB) FullHistories(ctx context.Context, states []*billing.ContractState) error {
	byID := map[int64]*billing.ContractState{}
	lo, hi := states[0].Contract.ID, states[0].Contract.ID
	for _, st := range states {
		byID[st.Contract.ID] = st
		lo, hi = min(lo, st.Contract.ID), max(hi, st.Contract.ID)
		for _, h := range st.Histories {
			h.Readings = h.Readings[:0]
		}
		st.HistorySince = calendar.Date{}
	}
	return db.loadHistories(ctx, lo, hi, earliestPeriod(states).AddMonths(-13), byID)
}

func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// loadMeters fills the metering points and registers of contracts lo..hi.
func (db *DB) loadMeters(ctx context.Context, q querier, lo, hi int64, byID map[int64]*billing.ContractState) error {
	rows, err := q.QueryContext(ctx, db.Q(`SELECT m.id, m.contract_id, m.code, m.address, m.meter_serial, m.multiplier, m.digits, g.zone
		FROM metering_points m JOIN registers g ON g.metering_point_id = m.id
		WHERE m.contract_id BETWEEN ? AND ? ORDER BY m.contract_id, m.id, g.id`), lo, hi)
	if err != nil {
		return err
	}
	for rows.Next() {
		var mp billing.MeteringPoint
		var contractID int64
		var zone string
		if err := rows.Scan(&mp.ID, &contractID, &mp.Code, jsonCol{&mp.Address}, &mp.MeterSerial, &mp.Multiplier, &mp.Digits, &zone); err != nil {
			rows.Close()
			return err
		}
		st := byID[contractID]
		if st == nil {
			continue
		}
		mps := &st.Contract.MeteringPoints
		if n := len(*mps); n == 0 || (*mps)[n-1].ID != mp.ID {
			*mps = append(*mps, mp)
		}
		last := &(*mps)[len(*mps)-1]
		last.Registers = append(last.Registers, zone)
		st.Histories[billing.RegisterKey{MeteringPoint: mp.Code, Register: zone}] = &billing.History{Digits: mp.Digits, Multiplier: mp.Multiplier}
	}
	return closeRows(rows)
}

// loadHistories fills the effective readings dated on or after since. Superseded readings
// are dropped and each history sorted here rather than in SQL, which is several times faster
// on SQLite for a batch of thousands of registers.
func (db *DB) loadHistories(ctx context.Context, lo, hi int64, since calendar.Date, byID map[int64]*billing.ContractState) error {
	rows, err := db.Read.QueryContext(ctx, db.Q(`SELECT m.contract_id, m.code, g.zone, `+readingCols+`
		FROM readings r JOIN registers g ON g.id = r.register_id JOIN metering_points m ON m.id = g.metering_point_id
		WHERE m.contract_id BETWEEN ? AND ? AND r.reading_date >= ?`), lo, hi, since.String())
	if err != nil {
		return err
	}
	superseded := map[int64]bool{}
	var touched []*billing.History
	for rows.Next() {
		var r billing.Reading
		var contractID int64
		var sup sql.NullInt64
		if err := rows.Scan(append([]any{&contractID, &r.MeteringPoint, &r.Register}, readingDest(&r, &sup)...)...); err != nil {
			rows.Close()
			return err
		}
		if sup.Valid {
			r.Supersedes = sup.Int64
			superseded[sup.Int64] = true
		}
		st := byID[contractID]
		if st == nil {
			continue // a contract in the id range that is not being reloaded
		}
		if h := st.Histories[billing.RegisterKey{MeteringPoint: r.MeteringPoint, Register: r.Register}]; h != nil {
			if len(h.Readings) == 0 {
				touched = append(touched, h)
			}
			h.Readings = append(h.Readings, r)
		}
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	for _, h := range touched {
		if len(superseded) > 0 {
			kept := h.Readings[:0]
			for _, r := range h.Readings {
				if !superseded[r.ID] {
					kept = append(kept, r)
				}
			}
			h.Readings = kept
		}
		h.Sort()
	}
	return nil
}

// loadRebills fills the corrected periods waiting for a credit note and a new invoice; the
// document in force for a period is its latest.
func (db *DB) loadRebills(ctx context.Context, lo, hi int64, byID map[int64]*billing.ContractState, since *calendar.Date) error {
	rows, err := db.Read.QueryContext(ctx, db.Q(`SELECT contract_id, period, rebill_at, rebill_reason
		FROM billing_periods WHERE contract_id BETWEEN ? AND ? AND rebill_at IS NOT NULL ORDER BY contract_id, period`), lo, hi)
	if err != nil {
		return err
	}
	type pending struct {
		contractID int64
		rb         billing.Rebill
	}
	var ps []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.contractID, &p.rb.Period, timeCol{&p.rb.CorrectedAt}, &p.rb.Reason); err != nil {
			rows.Close()
			return err
		}
		ps = append(ps, p)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	for _, p := range ps {
		inv, err := db.invoice(ctx, db.Read, `i.contract_id = ? AND i.period_start >= ? AND i.period_start < ? ORDER BY i.id DESC LIMIT 1`,
			p.contractID, p.rb.Period.String(), p.rb.Period.AddMonths(1).String())
		if err != nil {
			return fmt.Errorf("document in force for contract %d, %s: %w", p.contractID, p.rb.Period, err)
		}
		p.rb.Current = inv
		st := byID[p.contractID]
		st.Rebills = append(st.Rebills, p.rb)
		if p.rb.Period.Before(*since) {
			*since = p.rb.Period
		}
	}
	return nil
}

// SaveIssues implements billing.BillingStore.
func (db *DB) SaveIssues(ctx context.Context, issues []billing.Issue, series billing.Series, render billing.Renderer) ([]*billing.Invoice, error) {
	var issued []*billing.Invoice
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		issued = issued[:0]
		kept, err := db.claim(ctx, tx, issues)
		if err != nil {
			return err
		}
		if err := db.number(ctx, tx, kept, series); err != nil {
			return err
		}
		var all []*billing.Invoice
		for _, is := range kept {
			for _, inv := range is.Documents {
				if is.Rebill != nil && inv.Corrects == is.Rebill.Current.Number {
					inv.CorrectsID = is.Rebill.Current.ID
				}
				all = append(all, inv)
			}
		}
		var docs [][]billing.Document
		if render != nil {
			if docs, err = render(all); err != nil {
				return fmt.Errorf("render documents: %w", err)
			}
		}
		ins, err := db.newInvoiceInsert(ctx, tx)
		if err != nil {
			return err
		}
		defer ins.head.Close()
		for _, is := range kept {
			if err := db.insertEstimates(ctx, tx, is.Estimates); err != nil {
				return fmt.Errorf("contract %d: estimates: %w", is.ContractID, err)
			}
		}
		for i, inv := range all {
			var forms []billing.Document
			if docs != nil {
				forms = docs[i]
			}
			if err := ins.insert(ctx, inv, forms); err != nil {
				return fmt.Errorf("invoice %s: %w", inv.Number, err)
			}
			if db.OnIssue != nil {
				if err := db.OnIssue(ctx, tx, inv, forms); err != nil {
					return fmt.Errorf("invoice %s deliveries: %w", inv.Number, err)
				}
			}
		}
		issued = all
		return ins.flush(ctx)
	})
	if err != nil {
		return nil, err
	}
	return issued, nil
}

// claim marks each new period billed and each re-billed period done; an issue another run
// got to first is dropped with the rest of its contract's issues, whose claims are undone.
func (db *DB) claim(ctx context.Context, tx *sql.Tx, issues []billing.Issue) ([]billing.Issue, error) {
	type key struct {
		contract int64
		period   string
	}
	claimed := map[key]bool{}
	var fresh []billing.Issue
	for _, is := range issues {
		if is.Rebill == nil {
			fresh = append(fresh, is)
		}
	}
	for start := 0; start < len(fresh); start += batchRows {
		chunk := fresh[start:min(start+batchRows, len(fresh))]
		args := make([]any, 0, 2*len(chunk))
		for _, is := range chunk {
			args = append(args, is.ContractID, is.Period.String())
		}
		rows, err := tx.QueryContext(ctx, db.Q(`INSERT INTO billing_periods (contract_id, period) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?), ", len(chunk)), ", ")+
			` ON CONFLICT (contract_id, period) DO NOTHING RETURNING contract_id, period`), args...)
		if err != nil {
			return nil, fmt.Errorf("claim periods: %w", err)
		}
		for rows.Next() {
			var k key
			var p calendar.Date
			if err := rows.Scan(&k.contract, &p); err != nil {
				rows.Close()
				return nil, err
			}
			k.period = p.String()
			claimed[k] = true
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
	}
	lost := map[int64]bool{}
	kept := issues[:0:0]
	for _, is := range issues {
		ok := !lost[is.ContractID]
		if ok && is.Rebill != nil {
			res, err := tx.ExecContext(ctx, db.Q(`UPDATE billing_periods SET rebill_at = NULL, rebill_reason = ''
				WHERE contract_id = ? AND period = ? AND rebill_at IS NOT NULL`), is.ContractID, is.Period.String())
			if err != nil {
				return nil, fmt.Errorf("claim correction of contract %d period %s: %w", is.ContractID, is.Period, err)
			}
			n, err := res.RowsAffected()
			ok = err == nil && n == 1
		} else if ok {
			ok = claimed[key{is.ContractID, is.Period.String()}]
		}
		if !ok {
			lost[is.ContractID] = true
			if is.Rebill == nil && claimed[key{is.ContractID, is.Period.String()}] {
				if _, err := tx.ExecContext(ctx, db.Q(`DELETE FROM billing_periods WHERE contract_id = ? AND period = ?`),
					is.ContractID, is.Period.String()); err != nil {
					return nil, err
				}
			}
			continue
		}
		kept = append(kept, is)
	}
	return kept, nil
}

// number takes a block of numbers per series for the batch, in the same transaction, so
// numbers are gapless: the block commits with the documents or not at all.
func (db *DB) number(ctx context.Context, tx *sql.Tx, issues []billing.Issue, series billing.Series) error {
	type block struct {
		pattern string
		docs    []*billing.Invoice
	}
	blocks := map[string]*block{}
	var keys []string
	for _, is := range issues {
		for _, inv := range is.Documents {
			key, pattern := series(inv)
			b := blocks[key]
			if b == nil {
				b = &block{pattern: pattern}
				blocks[key] = b
				keys = append(keys, key)
			}
			b.docs = append(b.docs, inv)
		}
	}
	for _, key := range keys {
		b := blocks[key]
		var last int64
		err := tx.QueryRowContext(ctx, db.Q(`INSERT INTO number_series (series, next_value) VALUES (?, ?)
			ON CONFLICT (series) DO UPDATE SET next_value = number_series.next_value + ?
			RETURNING next_value`), key, len(b.docs)+1, len(b.docs)).Scan(&last)
		if err != nil {
			return fmt.Errorf("take numbers in series %s: %w", key, err)
		}
		first := last - int64(len(b.docs))
		for i, inv := range b.docs {
			inv.Number = billing.FormatNumber(b.pattern, inv.IssueDate.Year(), first+int64(i))
			inv.PaymentReference = billing.PaymentReference(inv.Number)
		}
	}
	return nil
}

func (db *DB) insertEstimates(ctx context.Context, tx *sql.Tx, rs []billing.Reading) error {
	for i := range rs {
		r := &rs[i]
		err := tx.QueryRowContext(ctx, db.Q(`INSERT INTO readings (register_id, reading_date, value, source, submitted_by, submitted_at, confirmed, reason)
			SELECT g.id, ?, ?, ?, ?, ?, ?, ? FROM registers g JOIN metering_points m ON m.id = g.metering_point_id
			WHERE m.code = ? AND g.zone = ? RETURNING id`),
			r.Date.String(), r.Value.String(), r.Source, r.SubmittedBy, utc(r.SubmittedAt), r.Confirmed, r.Reason,
			r.MeteringPoint, r.Register).Scan(&r.ID)
		if err != nil {
			return fmt.Errorf("estimate for %s/%s: %w", r.MeteringPoint, r.Register, err)
		}
	}
	return nil
}

var _ billing.BillingStore = (*DB)(nil)
