package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// batchRows is how many rows one multi-row INSERT carries; 100 rows of 18 columns stay far
// below SQLite's and PostgreSQL's parameter limits.
const batchRows = 100

// batchInsert collects rows for one table and inserts them with multi-row INSERTs in the
// transaction: one statement per hundred rows instead of one per row.
type batchInsert struct {
	db     *DB
	tx     *sql.Tx
	prefix string // INSERT INTO t (cols) VALUES
	row    string // (?, ?, …)
	ncols  int
	args   []any
	full   *sql.Stmt // prepared for batchRows rows, on first use
}

func (db *DB) newBatch(tx *sql.Tx, table string, cols ...string) *batchInsert {
	return &batchInsert{db: db, tx: tx, ncols: len(cols),
		prefix: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ",
		row:    "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"}
}

func (b *batchInsert) query(rows int) string {
	return b.db.Q(b.prefix + strings.TrimSuffix(strings.Repeat(b.row+", ", rows), ", "))
}

// add queues one row, inserting a full batch when one is ready.
func (b *batchInsert) add(ctx context.Context, vals ...any) error {
	if len(vals) != b.ncols {
		return fmt.Errorf("batch insert: %d values for %d columns", len(vals), b.ncols)
	}
	b.args = append(b.args, vals...)
	if len(b.args) < batchRows*b.ncols {
		return nil
	}
	if b.full == nil {
		var err error
		if b.full, err = b.tx.PrepareContext(ctx, b.query(batchRows)); err != nil {
			return err
		}
	}
	_, err := b.full.ExecContext(ctx, b.args...)
	b.args = b.args[:0]
	return err
}

// flush inserts what is queued and releases the statement.
func (b *batchInsert) flush(ctx context.Context) error {
	defer func() {
		if b.full != nil {
			b.full.Close()
			b.full = nil
		}
	}()
	if len(b.args) == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(ctx, b.query(len(b.args)/b.ncols), b.args...)
	b.args = b.args[:0]
	return err
}
