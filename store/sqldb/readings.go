package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/erekins/erekins/billing"
)

// registerStates loads the state of every register of the given metering points: meter,
// contract, effective readings and billed periods. Missing codes are left out.
func (db *DB) registerStates(ctx context.Context, q querier, codes []string) (map[billing.RegisterKey]*billing.RegisterState, error) {
	out := map[billing.RegisterKey]*billing.RegisterState{}
	for start := 0; start < len(codes); start += 500 {
		chunk := codes[start:min(start+500, len(codes))]
		if err := db.registerStatesChunk(ctx, q, chunk, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (db *DB) registerStatesChunk(ctx context.Context, q querier, codes []string, out map[billing.RegisterKey]*billing.RegisterState) error {
	in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(codes)), ",") + ")"
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	rows, err := q.QueryContext(ctx, db.Q(`SELECT m.code, g.zone, m.digits, m.multiplier, c.id, c.number, c.billed_through
		FROM metering_points m JOIN registers g ON g.metering_point_id = m.id JOIN contracts c ON c.id = m.contract_id
		WHERE m.code IN `+in), args...)
	if err != nil {
		return err
	}
	contracts := map[int64][]*billing.RegisterState{}
	for rows.Next() {
		var k billing.RegisterKey
		st := &billing.RegisterState{History: &billing.History{}, Billed: map[billing.Month]bool{}}
		if err := rows.Scan(&k.MeteringPoint, &k.Register, &st.Digits, &st.Multiplier, &st.ContractID, &st.ContractNumber, &st.BilledThrough); err != nil {
			rows.Close()
			return err
		}
		st.History.Digits, st.History.Multiplier = st.Digits, st.Multiplier
		out[k] = st
		contracts[st.ContractID] = append(contracts[st.ContractID], st)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, db.Q(`SELECT m.code, g.zone, `+readingCols+`
		FROM readings r JOIN registers g ON g.id = r.register_id JOIN metering_points m ON m.id = g.metering_point_id
		WHERE m.code IN `+in+` AND NOT EXISTS (SELECT 1 FROM readings s WHERE s.supersedes_id = r.id)
		ORDER BY r.register_id, r.reading_date, r.submitted_at`), args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r billing.Reading
		var sup sql.NullInt64
		if err := rows.Scan(append([]any{&r.MeteringPoint, &r.Register}, readingDest(&r, &sup)...)...); err != nil {
			rows.Close()
			return err
		}
		r.Supersedes = sup.Int64
		if st := out[billing.RegisterKey{MeteringPoint: r.MeteringPoint, Register: r.Register}]; st != nil {
			st.History.Readings = append(st.History.Readings, r)
		}
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	for id, sts := range contracts {
		rows, err := q.QueryContext(ctx, db.Q(`SELECT period FROM billing_periods WHERE contract_id = ?`), id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var m billing.Month
			if err := rows.Scan(&m); err != nil {
				rows.Close()
				return err
			}
			for _, st := range sts {
				st.Billed[m] = true
			}
		}
		if err := closeRows(rows); err != nil {
			return err
		}
	}
	return nil
}

// RegisterState returns the state of one register.
func (db *DB) RegisterState(ctx context.Context, key billing.RegisterKey) (*billing.RegisterState, error) {
	sts, err := db.registerStates(ctx, db, []string{key.MeteringPoint})
	if err != nil {
		return nil, err
	}
	st := sts[key]
	if st == nil {
		return nil, billing.NotFound("register", key.String())
	}
	return st, nil
}

// AddReading stores a reading that accept approves, in one transaction with its audit
// entry and the periods it reopens; accept sees the register as the transaction does.
func (db *DB) AddReading(ctx context.Context, key billing.RegisterKey, accept func(*billing.RegisterState) (billing.Accepted, error)) (billing.Accepted, error) {
	var out billing.Accepted
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var regID int64
		lock := ""
		if db.Dialect == Postgres {
			lock = " FOR UPDATE OF g"
		}
		err := tx.QueryRowContext(ctx, db.Q(`SELECT g.id FROM registers g JOIN metering_points m ON m.id = g.metering_point_id
			WHERE m.code = ? AND g.zone = ?`+lock), key.MeteringPoint, key.Register).Scan(&regID)
		if err == sql.ErrNoRows {
			if n := db.countMP(ctx, tx, key.MeteringPoint); n == 0 {
				return billing.Errorf(billing.ErrNotFound, "metering_point", "metering point %q not found", key.MeteringPoint)
			}
			return billing.Errorf(billing.ErrNotFound, "register", "metering point %s has no register %q", key.MeteringPoint, key.Register)
		}
		if err != nil {
			return err
		}
		sts, err := db.registerStates(ctx, tx, []string{key.MeteringPoint})
		if err != nil {
			return err
		}
		st := sts[key]
		if out, err = accept(st); err != nil {
			return err
		}
		if err := db.insertReading(ctx, tx, regID, &out.Reading); err != nil {
			return err
		}
		for _, m := range out.Rebill {
			if _, err := tx.ExecContext(ctx, db.Q(`UPDATE billing_periods SET rebill_at = ?, rebill_reason = ? WHERE contract_id = ? AND period = ?`),
				utc(out.Reading.SubmittedAt), out.Reading.Reason, st.ContractID, m.String()); err != nil {
				return err
			}
		}
		r := out.Reading
		return db.audit(ctx, tx, Audit{At: r.SubmittedAt, Actor: r.SubmittedBy, Action: "reading.add", Entity: "register", EntityKey: key.String(),
			Details: map[string]any{"date": r.Date.String(), "value": r.Value.String(), "source": r.Source, "supersedes": r.Supersedes,
				"reason": r.Reason, "confirmed": r.Confirmed}})
	})
	return out, err
}

func (db *DB) countMP(ctx context.Context, q querier, code string) int {
	var n int
	q.QueryRowContext(ctx, db.Q(`SELECT count(*) FROM metering_points WHERE code = ?`), code).Scan(&n)
	return n
}

const insertReadingSQL = `INSERT INTO readings (register_id, reading_date, value, source, submitted_by, submitted_at, confirmed, supersedes_id, reason)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

func readingArgs(regID int64, r *billing.Reading) []any {
	var sup any
	if r.Supersedes != 0 {
		sup = r.Supersedes
	}
	return []any{regID, r.Date.String(), r.Value.String(), r.Source, r.SubmittedBy, utc(r.SubmittedAt), r.Confirmed, sup, r.Reason}
}

func (db *DB) insertReading(ctx context.Context, q querier, regID int64, r *billing.Reading) error {
	if err := q.QueryRowContext(ctx, db.Q(insertReadingSQL), readingArgs(regID, r)...).Scan(&r.ID); err != nil {
		return fmt.Errorf("store reading: %w", err)
	}
	return nil
}

// Readings returns a register's readings, superseded ones included, oldest first.
func (db *DB) Readings(ctx context.Context, key billing.RegisterKey) ([]billing.Reading, error) {
	rows, err := db.QueryContext(ctx, db.Q(`SELECT `+readingCols+` FROM readings r JOIN registers g ON g.id = r.register_id
		JOIN metering_points m ON m.id = g.metering_point_id WHERE m.code = ? AND g.zone = ? ORDER BY r.reading_date, r.id`),
		key.MeteringPoint, key.Register)
	if err != nil {
		return nil, err
	}
	var out []billing.Reading
	for rows.Next() {
		r := billing.Reading{MeteringPoint: key.MeteringPoint, Register: key.Register}
		var sup sql.NullInt64
		if err := rows.Scan(readingDest(&r, &sup)...); err != nil {
			rows.Close()
			return nil, err
		}
		r.Supersedes = sup.Int64
		out = append(out, r)
	}
	return out, closeRows(rows)
}
