package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/erekins/erekins/billing"
)

// registerStates loads the state of every register of the given metering points: meter,
// contract, effective readings and billed periods, with three queries per 500 metering
// points. Missing codes are left out.
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
	if len(contracts) == 0 {
		return nil
	}
	ids := make([]any, 0, len(contracts))
	for id := range contracts {
		ids = append(ids, id)
	}
	rows, err = q.QueryContext(ctx, db.Q(`SELECT contract_id, period FROM billing_periods WHERE contract_id IN (`+
		strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`)`), ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var m billing.Month
		if err := rows.Scan(&id, &m); err != nil {
			rows.Close()
			return err
		}
		for _, st := range contracts[id] {
			st.Billed[m] = true
		}
	}
	if err := closeRows(rows); err != nil {
		return err
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
	out, _, err := db.AddReadings(ctx, []billing.RegisterKey{key}, func(_ int, st *billing.RegisterState) (billing.Accepted, error) {
		return accept(st)
	}, true)
	if err != nil {
		return billing.Accepted{}, err
	}
	return out[0].Accepted, out[0].Err
}

// ReadingOutcome is what became of one reading of a batch: accepted, or its *billing.Error.
type ReadingOutcome struct {
	Accepted billing.Accepted
	Err      error
}

// errKeepNothing rolls back a batch that is not to be stored.
var errKeepNothing = errors.New("batch not stored")

// AddReadings checks a batch of readings, keys[i] being the register of the i-th, in order
// in one transaction: accept(i, state) sees the register as stored plus the batch's readings
// before i, so two readings of one register in one batch work. Every reading that accept
// approves is written as it is approved (with its audit entry and the periods it reopens),
// so a later correction in the batch supersedes it by id; the transaction commits only when
// every reading was approved and commit is true, and rolls back otherwise (commit false is
// a preview that runs everything). Each reading's outcome is returned with stored; err is
// for failures other than a rejected reading, when the outcomes mean nothing. AddReadingsThen
// also writes something of its own in the batch's transaction.
//
// On PostgreSQL the registers of the batch's metering points are locked first, ordered by
// their natural key, so two batches that share registers wait for each other instead of
// deadlocking; SQLite has one writer at a time anyway.
func (db *DB) AddReadings(ctx context.Context, keys []billing.RegisterKey, accept func(i int, st *billing.RegisterState) (billing.Accepted, error), commit bool) ([]ReadingOutcome, bool, error) {
	return db.addReadings(ctx, keys, accept, commit, nil)
}

// AddReadingsThen is AddReadings with commit true and then called in the transaction, just
// before a batch in which every reading was approved commits, with the outcomes: what then
// writes commits or rolls back with the readings (the API's answer to an Idempotency-Key).
func (db *DB) AddReadingsThen(ctx context.Context, keys []billing.RegisterKey, accept func(i int, st *billing.RegisterState) (billing.Accepted, error), then func(tx *sql.Tx, out []ReadingOutcome) error) ([]ReadingOutcome, bool, error) {
	return db.addReadings(ctx, keys, accept, true, then)
}

func (db *DB) addReadings(ctx context.Context, keys []billing.RegisterKey, accept func(i int, st *billing.RegisterState) (billing.Accepted, error), commit bool, then func(*sql.Tx, []ReadingOutcome) error) ([]ReadingOutcome, bool, error) {
	codes := make([]string, 0, len(keys))
	for _, k := range keys {
		codes = append(codes, k.MeteringPoint)
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	var out []ReadingOutcome
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		out = make([]ReadingOutcome, len(keys))
		regIDs, err := db.lockRegisters(ctx, tx, codes)
		if err != nil {
			return fmt.Errorf("lock registers: %w", err)
		}
		sts, err := db.registerStates(ctx, tx, codes)
		if err != nil {
			return fmt.Errorf("load registers: %w", err)
		}
		w, err := db.newReadingWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		all := true
		for i, key := range keys {
			regID, st := regIDs[key], sts[key]
			if regID == 0 || st == nil {
				out[i].Err, all = db.missingRegister(ctx, tx, key), false
				continue
			}
			acc, err := accept(i, st)
			var be *billing.Error
			switch {
			case errors.As(err, &be):
				out[i].Err, all = err, false
				continue
			case err != nil:
				return err
			}
			if err := w.write(ctx, regID, key, st, &acc); err != nil {
				return err
			}
			out[i].Accepted = acc
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		if !all || !commit {
			return errKeepNothing
		}
		if then != nil {
			return then(tx, out)
		}
		return nil
	})
	switch {
	case errors.Is(err, errKeepNothing):
		return out, false, nil
	case err != nil:
		return nil, false, err
	}
	return out, true, nil
}

// lockRegisters returns the id of every register of the metering points, locking them on
// PostgreSQL in the order of codes (sorted) and zone.
func (db *DB) lockRegisters(ctx context.Context, tx *sql.Tx, codes []string) (map[billing.RegisterKey]int64, error) {
	lock := ""
	if db.Dialect == Postgres {
		lock = " FOR UPDATE OF g"
	}
	out := map[billing.RegisterKey]int64{}
	for start := 0; start < len(codes); start += 500 {
		chunk := codes[start:min(start+500, len(codes))]
		args := make([]any, len(chunk))
		for i, c := range chunk {
			args[i] = c
		}
		rows, err := tx.QueryContext(ctx, db.Q(`SELECT g.id, m.code, g.zone FROM registers g JOIN metering_points m ON m.id = g.metering_point_id
			WHERE m.code IN (`+strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")+`) ORDER BY m.code, g.zone`+lock), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var k billing.RegisterKey
			if err := rows.Scan(&id, &k.MeteringPoint, &k.Register); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = id
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// missingRegister is the not-found error for a register that does not exist, naming the
// metering point when that is what is missing.
func (db *DB) missingRegister(ctx context.Context, q querier, key billing.RegisterKey) error {
	return billing.UnknownRegister(key, db.countMP(ctx, q, key.MeteringPoint) > 0)
}

// readingWriter writes the accepted readings of a batch: the reading, the periods it
// reopens and its audit entry (queued, inserted in batches).
type readingWriter struct {
	db     *DB
	tx     *sql.Tx
	insert *sql.Stmt
	audits *batchInsert
}

func (db *DB) newReadingWriter(ctx context.Context, tx *sql.Tx) (*readingWriter, error) {
	insert, err := tx.PrepareContext(ctx, db.Q(insertReadingSQL))
	if err != nil {
		return nil, fmt.Errorf("prepare reading insert: %w", err)
	}
	return &readingWriter{db: db, tx: tx, insert: insert,
		audits: db.newBatch(tx, "audit_log", "at", "actor", "action", "entity", "entity_key", "details")}, nil
}

// write stores acc's reading of the register st, setting its id, and makes it part of st's
// history in place of the reading it supersedes.
func (w *readingWriter) write(ctx context.Context, regID int64, key billing.RegisterKey, st *billing.RegisterState, acc *billing.Accepted) error {
	r := &acc.Reading
	if err := w.insert.QueryRowContext(ctx, readingArgs(regID, r)...).Scan(&r.ID); err != nil {
		return fmt.Errorf("store reading: %w", err)
	}
	for _, m := range acc.Rebill {
		if _, err := w.tx.ExecContext(ctx, w.db.Q(`UPDATE billing_periods SET rebill_at = ?, rebill_reason = ? WHERE contract_id = ? AND period = ?`),
			utc(r.SubmittedAt), r.Reason, st.ContractID, m.String()); err != nil {
			return fmt.Errorf("reopen period %s: %w", m.String()[:7], err)
		}
	}
	details := map[string]any{"date": r.Date.String(), "value": r.Value.String(), "source": r.Source, "supersedes": r.Supersedes,
		"reason": r.Reason, "confirmed": r.Confirmed}
	if err := w.audits.add(ctx, utc(r.SubmittedAt), r.SubmittedBy, "reading.add", "register", key.String(), jsonText(details)); err != nil {
		return fmt.Errorf("audit reading: %w", err)
	}
	h := st.History
	if r.Supersedes != 0 {
		h.Readings = slices.DeleteFunc(h.Readings, func(old billing.Reading) bool { return old.ID == r.Supersedes })
	}
	h.Add(*r)
	return nil
}

func (w *readingWriter) flush(ctx context.Context) error {
	if err := w.audits.flush(ctx); err != nil {
		return fmt.Errorf("audit readings: %w", err)
	}
	return nil
}

func (w *readingWriter) close() { w.insert.Close() }

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
